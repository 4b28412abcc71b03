import datetime as dt
import io
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from applications.models import Application, ApplicationStatus, MunicipalGroup
from core.dates import datetime_display
from core.models import DraftRecovery
from tests.applications.factories import (
    ApplicationFactory,
    JuryMemberFactory,
    ReviewFactory,
    SelectionCriterionFactory,
    open_region,
    pdf_bytes,
    submitted_review,
)
from tests.factories import (
    CountyFactory,
    MunicipalityFactory,
    ProgramFactory,
    RegionalProgramFactory,
    UserFactory,
    board_member,
    municipal_contact,
)

pytestmark = pytest.mark.django_db


# The confirm step's POST: send, and decide before the (future) deadline of the test region.
DECIDE = {"send": "1", "confirm_before_deadline": "on"}


def _login(client, user):
    client.force_login(user)
    return client


# --- Anonymous ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["applications:list", "applications:jury"],
)
def test_anonymous_is_sent_to_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_anonymous_is_sent_to_login_from_an_application(client, region):
    rp, _b, municipalities = region
    application = ApplicationFactory(regional_program=rp, municipality=municipalities[0])
    for name in ("detail", "edit", "members", "attachments", "print"):
        response = client.get(reverse(f"applications:{name}", args=[application.pk]))
        assert response.status_code == 302, name
        assert response.url.startswith(reverse("accounts:login"))
    response = client.get(reverse("applications:ranking", args=[rp.pk]))
    assert response.status_code == 302


# --- Writing ---------------------------------------------------------------------------------------------------


def test_contact_starts_an_application_from_the_list(client, region):
    rp, _b, municipalities = region
    contact = municipal_contact(municipalities[0])
    _login(client, contact)
    page = client.get(reverse("applications:list"))
    assert rp.name in page.content.decode()

    response = client.post(
        reverse("applications:start", args=[rp.pk]), {"municipality": municipalities[0].pk}
    )
    application = Application.objects.get()
    assert response.url == reverse("applications:edit", args=[application.pk])
    assert application.municipality == municipalities[0]
    detail = client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert detail.count("Ikke fylt ut.") == 3
    assert "(mangler)" in detail


def test_the_municipality_choice_starts_empty_and_is_required_when_there_are_several(client, region):
    rp, _b, municipalities = region
    _login(client, board_member(_b))
    page = client.get(reverse("applications:list")).content.decode()
    assert '<option value="" selected>– velg kommune –</option>' in page
    assert f'<option value="{municipalities[0].pk}" selected>' not in page
    response = client.post(reverse("applications:start", args=[rp.pk]), {"municipality": ""})
    assert response.status_code == 302
    assert not Application.objects.exists()


def test_one_municipality_is_named_not_offered_and_an_empty_post_starts_nothing(client, region):
    rp, _b, municipalities = region
    _login(client, municipal_contact(municipalities[0]))
    page = client.get(reverse("applications:list")).content.decode()
    assert f"Søknad fra {municipalities[0].name}" in page
    assert "– velg kommune –" not in page
    response = client.post(reverse("applications:start", args=[rp.pk]), {"municipality": ""}, follow=True)
    assert "Velg en kommune fra listen." in response.content.decode()
    assert not Application.objects.exists()


def test_a_get_on_an_action_url_goes_to_the_page_it_belongs_to(client, region):
    rp, _b, municipalities = region
    application = ApplicationFactory(regional_program=rp, municipality=municipalities[0], submitted=True)
    _login(client, municipal_contact(municipalities[0]))
    start = client.get(reverse("applications:start", args=[rp.pk]))
    assert start.status_code == 302
    assert start.url == reverse("applications:list")
    submit = client.get(reverse("applications:submit", args=[application.pk]))
    assert submit.url == reverse("applications:detail", args=[application.pk])
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED


def test_withdrawing_asks_first_and_then_says_how_to_send_in_again(client, region):
    rp, _b, municipalities = region
    application = ApplicationFactory(regional_program=rp, municipality=municipalities[0], submitted=True)
    _login(client, municipal_contact(municipalities[0]))
    url = reverse("applications:withdraw", args=[application.pk])
    detail = client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert f'href="{url}"' in detail  # a link to the confirm page, not a one-click form
    confirm = client.get(url).content.decode()
    assert "Trekke søknaden?" in confirm
    assert "Ja, trekk søknaden" in confirm
    client.post(url)  # without the confirmation nothing happens
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    response = client.post(url, {"confirm": "yes"}, follow=True)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN
    html = response.content.decode()
    assert "trykker dere «Send inn på nytt»" in html
    assert ">Send inn på nytt</button>" in html


def test_contact_cannot_start_for_another_municipality_by_posting_its_id(client, region):
    rp, _b, municipalities = region
    _login(client, municipal_contact(municipalities[0]))
    client.post(reverse("applications:start", args=[rp.pk]), {"municipality": municipalities[1].pk})
    client.post(reverse("applications:start", args=[rp.pk]), {"municipality": "nonsense"})
    assert not Application.objects.exists()
    assert client.post(reverse("applications:start", args=[999999]), {"municipality": 1}).status_code == 404


def test_an_invalid_post_stores_the_valid_fields_and_shows_everything_typed(client, region):
    rp, _b, municipalities = region
    contact = municipal_contact(municipalities[0])
    application = ApplicationFactory(regional_program=rp, municipality=municipalities[0])
    _login(client, contact)
    long_text = "Vi vil utvikle kulturskolen sammen med barnehagene. " * 3
    response = client.post(
        reverse("applications:edit", args=[application.pk]),
        {
            "motivation": long_text,
            "development_links": "SFO og skole",
            "anchoring": "Kommunestyret",
            "anchoring_decided_on": "32.13.2025",
            "commitment": "on",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Datoen 32.13.2025 finnes ikke." in html  # the right shape, but no such day (issue 12)
    assert "32.13.2025" in html  # what the user typed is shown again
    assert datetime_display(rp.application_deadline) in html
    assert "Vi vil utvikle kulturskolen sammen med barnehagene." in html
    application.refresh_from_db()
    assert application.motivation == long_text.strip()
    assert application.development_links == "SFO og skole"
    assert application.commitment is True
    assert application.anchoring_decided_on is None


def test_saving_a_submitted_application_keeps_it_submitted_with_a_clear_notice(
    client, region, django_capture_on_commit_callbacks
):
    rp, _b, municipalities = region
    application = ApplicationFactory(regional_program=rp, municipality=municipalities[0], submitted=True)
    _login(client, municipal_contact(municipalities[0]))
    page = client.get(reverse("applications:edit", args=[application.pk])).content.decode()
    assert "Lagre endringer" in page
    assert "Lagre utkast" not in page
    assert "Endringer du lagrer før fristen blir med i søknaden." in page
    data = {
        "motivation": "Endret motivasjon",
        "development_links": application.development_links,
        "anchoring": application.anchoring,
        "commitment": "on",
        "save": "",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("applications:edit", args=[application.pk]), data)
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.motivation == "Endret motivasjon"
    assert any("Endret motivasjon" in m.body for m in mail.outbox)


def test_emptying_a_field_of_a_submitted_application_is_refused_and_the_text_is_kept(client, region):
    rp, _b, municipalities = region
    application = ApplicationFactory(regional_program=rp, municipality=municipalities[0], submitted=True)
    original = application.motivation
    _login(client, municipal_contact(municipalities[0]))
    response = client.post(
        reverse("applications:edit", args=[application.pk]),
        {
            "motivation": "Ny tekst jeg skrev",
            "development_links": "",
            "anchoring": application.anchoring,
            "commitment": "on",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ny tekst jeg skrev" in html
    assert "den innsendte versjonen gjelder fortsatt" in html
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.motivation == original


def test_two_people_saving_the_same_application_the_second_is_refused_and_keeps_their_text(client, region):
    rp, _b, municipalities = region
    application = ApplicationFactory(regional_program=rp, municipality=municipalities[0])
    contact = municipal_contact(municipalities[0])
    board = board_member(municipalities[0].county.branch, full_name="Styremedlem Berit")
    url = reverse("applications:edit", args=[application.pk])
    _login(client, contact)
    assert 'name="version" value="1"' in client.get(url).content.decode()
    # The board member saves first, from a form opened at version 1.
    client.force_login(board)
    assert client.post(url, {"motivation": "Styrets tekst", "version": "1"}).status_code == 302
    # The contact saves from the stale form.
    client.force_login(contact)
    response = client.post(url, {"motivation": "Kontaktens tekst", "version": "1"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Søknaden ble endret av Styremedlem Berit" in html
    assert "Kontaktens tekst" in html  # what they typed is still in the form
    assert "Styrets tekst" in html  # and they see what is stored now
    assert 'name="version" value="2"' in html
    application.refresh_from_db()
    assert application.motivation == "Styrets tekst"
    # Saving again from the page (now at the current version) goes through.
    assert client.post(url, {"motivation": "Kontaktens tekst", "version": "2"}).status_code == 302
    application.refresh_from_db()
    assert application.motivation == "Kontaktens tekst"


def test_text_longer_than_allowed_is_a_field_error_and_other_fields_are_kept(client, region):
    rp, _b, municipalities = region
    application = ApplicationFactory(regional_program=rp, municipality=municipalities[0])
    _login(client, municipal_contact(municipalities[0]))
    response = client.post(
        reverse("applications:edit", args=[application.pk]),
        {"motivation": "x" * 20001, "anchoring": "Formannskapet"},
    )
    assert response.status_code == 200
    application.refresh_from_db()
    assert application.anchoring == "Formannskapet"
    assert application.motivation == ""


def _open_the_form_then_lose_the_session(client, person, url):
    """The person opens the form (the browser is marked as theirs), then the session expires."""
    client.force_login(person)
    assert client.get(url).status_code == 200
    del client.cookies["sessionid"]


def test_an_expired_session_keeps_the_draft_and_the_user_finds_it_after_logging_in(client, region):
    rp, _b, municipalities = region
    kari = municipal_contact(municipalities[0], email="kari@example.org")
    application = ApplicationFactory(
        regional_program=rp, municipality=municipalities[0], motivation="Gammel tekst"
    )
    _open_the_form_then_lose_the_session(client, kari, reverse("applications:edit", args=[application.pk]))
    response = client.post(
        reverse("applications:edit", args=[application.pk]),
        {"motivation": "Ny tekst skrevet i en time", "anchoring": "Vedtatt i kommunestyret"},
    )
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert DraftRecovery.objects.filter(form_key=f"applications.application:{application.pk}").count() == 1
    application.refresh_from_db()
    assert application.motivation == "Gammel tekst"  # nothing applied by an anonymous post
    # The user logs in through the normal login page and lands on the form with their text.
    login = client.post(response.url, {"username": "kari@example.org", "password": "kulturskole"})
    assert login.status_code == 302
    page = client.get(login.url)
    html = page.content.decode()
    assert "Ny tekst skrevet i en time" in html
    assert "Vedtatt i kommunestyret" in html
    assert "Økten din hadde utløpt" in html
    token = login.url.split("gjenopprett=")[1]
    client.post(
        login.url, {"motivation": "Ny tekst skrevet i en time", "anchoring": "Vedtatt i kommunestyret"}
    )
    application.refresh_from_db()
    assert application.motivation == "Ny tekst skrevet i en time"
    assert not DraftRecovery.objects.filter(token=token).exists()


def test_a_group_member_typed_in_an_expired_session_comes_back_after_login(client, region):
    rp, _b, municipalities = region
    kari = municipal_contact(municipalities[0], email="kari@example.org")
    application = ApplicationFactory(regional_program=rp, municipality=municipalities[0])
    _open_the_form_then_lose_the_session(client, kari, reverse("applications:members", args=[application.pk]))
    response = client.post(
        reverse("applications:members", args=[application.pk]),
        {"name": "Sofie SFO", "email": "sofie@example.org", "sector": "sfo", "is_coordinator": "on"},
    )
    login = client.post(response.url, {"username": "kari@example.org", "password": "kulturskole"})
    html = client.get(login.url).content.decode()
    assert 'value="Sofie SFO"' in html
    assert 'value="sofie@example.org"' in html
    assert not application.group_members.exists()


def test_a_recovered_draft_is_not_shown_to_someone_else(client, region):
    rp, _b, municipalities = region
    kari = municipal_contact(municipalities[0])
    application = ApplicationFactory(regional_program=rp, municipality=municipalities[0])
    _open_the_form_then_lose_the_session(client, kari, reverse("applications:edit", args=[application.pk]))
    response = client.post(reverse("applications:edit", args=[application.pk]), {"motivation": "Hemmelig"})
    link = response.url.split("next=")[1]
    from urllib.parse import unquote

    # Another contact of the same municipality, in the same browser, follows the link: no text.
    _login(client, municipal_contact(municipalities[0]))
    page = client.get(unquote(link)).content.decode()
    assert "Hemmelig" not in page
    assert "Økten din hadde utløpt" not in page
    # Someone from another municipality: the application itself is out of scope.
    _login(client, municipal_contact(municipalities[1]))
    assert client.get(unquote(link)).status_code == 404


def test_an_anonymous_post_plants_nothing_and_learns_nothing_about_ids(client, region):
    """A stranger's browser was never signed in as the contact: no recovery, and the same answer for an
    application that exists and one that does not."""
    rp, _b, municipalities = region
    kari = municipal_contact(municipalities[0], email="kari@example.org")
    application = ApplicationFactory(
        regional_program=rp, municipality=municipalities[0], motivation="Egen tekst"
    )
    existing = client.post(reverse("applications:edit", args=[application.pk]), {"motivation": "Plantet"})
    missing = client.post(
        reverse("applications:edit", args=[application.pk + 1000]), {"motivation": "Plantet"}
    )
    assert existing.status_code == missing.status_code == 302
    assert existing.url.replace(str(application.pk), "N") == missing.url.replace(
        str(application.pk + 1000), "N"
    )
    assert "gjenopprett" not in existing.url
    assert not DraftRecovery.objects.exists()
    # A stranger signed in as themself cannot plant text for Kari either.
    stranger = municipal_contact(municipalities[1])
    client.force_login(stranger)
    client.get("/")
    del client.cookies["sessionid"]
    client.post(reverse("applications:edit", args=[application.pk]), {"motivation": "Plantet"})
    assert not DraftRecovery.objects.exists()
    # Kari's own recovery is untouched by any of this.
    other = client.__class__()
    _open_the_form_then_lose_the_session(other, kari, reverse("applications:edit", args=[application.pk]))
    other.post(reverse("applications:edit", args=[application.pk]), {"motivation": "Karis tekst"})
    assert DraftRecovery.objects.get().user == kari


def test_members_and_submit_from_the_pages(client, region, django_capture_on_commit_callbacks):
    rp, _b, municipalities = region
    contact = municipal_contact(municipalities[0])
    application = ApplicationFactory(
        regional_program=rp,
        municipality=municipalities[0],
        motivation="a",
        development_links="b",
        anchoring="c",
        commitment=True,
    )
    _login(client, contact)
    url = reverse("applications:members", args=[application.pk])
    bad = client.post(url, {"name": "Kari", "email": "ikke-epost", "sector": "ukjent"})
    assert bad.status_code == 200
    assert "Velg en sektor fra listen." in bad.content.decode()
    assert 'value="Kari"' in bad.content.decode()
    client.post(
        url,
        {
            "name": "Kari Koordinator",
            "email": "kari.k@example.org",
            "sector": "kulturskole",
            "is_coordinator": "on",
        },
    )
    client.post(url, {"name": "Berit Barnehage", "email": "berit@example.org", "sector": "barnehage"})
    assert application.group_members.count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("applications:submit", args=[application.pk]))
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    page = client.get(response.url).content.decode()
    assert "Søknaden er sendt inn" in page
    assert "sendt inn" in page


def test_after_the_deadline_the_application_is_read_only(client, region):
    rp, _b, municipalities = region
    application = ApplicationFactory(regional_program=rp, municipality=municipalities[0], submitted=True)
    rp.application_deadline = timezone.now() - dt.timedelta(minutes=5)
    rp.save()
    _login(client, municipal_contact(municipalities[0]))
    page = client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert "Søknadsfristen har gått ut" in page
    assert "Skriv søknaden" not in page
    response = client.get(reverse("applications:edit", args=[application.pk]))
    assert response.status_code == 302
    assert (
        client.post(reverse("applications:members", args=[application.pk]), {"name": "x"}).status_code == 404
    )


def test_attachment_upload_and_download_in_scope_only(client, region):
    from django.core.files.uploadedfile import SimpleUploadedFile

    rp, branch, municipalities = region
    application = ApplicationFactory(regional_program=rp, municipality=municipalities[0])
    _login(client, municipal_contact(municipalities[0]))
    bad = client.post(
        reverse("applications:attachments", args=[application.pk]),
        {"file": SimpleUploadedFile("falsk.pdf", b"GIF89a")},
    )
    assert "stemmer ikke med filtypen" in bad.content.decode()
    content = pdf_bytes()
    client.post(
        reverse("applications:attachments", args=[application.pk]),
        {"file": SimpleUploadedFile("vedtak.pdf", content)},
    )
    attachment = application.attachments.get()
    url = reverse("applications:attachment", args=[application.pk, attachment.pk])
    download = client.get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == content
    assert 'filename="vedtak.pdf"' in download["Content-Disposition"]
    # Another municipality, a board member elsewhere, an unassigned jury member: 404.
    for outsider in (
        municipal_contact(municipalities[1]),
        board_member(CountyFactory().branch),
        UserFactory(jury=True),
    ):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
    client.force_login(board_member(branch))
    assert client.get(url).status_code == 200


# --- Scope --------------------------------------------------------------------------------------------------


def test_a_contact_of_another_municipality_gets_404_everywhere(client, region):
    rp, _b, municipalities = region
    application = ApplicationFactory(regional_program=rp, municipality=municipalities[0], submitted=True)
    _login(client, municipal_contact(municipalities[1]))
    for name in ("detail", "edit", "members", "attachments", "print", "recommend", "decide"):
        assert client.get(reverse(f"applications:{name}", args=[application.pk])).status_code == 404, name
    for name in ("submit", "withdraw"):
        assert client.post(reverse(f"applications:{name}", args=[application.pk])).status_code == 404, name
    assert client.get(reverse("applications:selection", args=[rp.pk])).status_code == 404
    assert client.get(reverse("applications:ranking", args=[rp.pk])).status_code == 404
    assert municipalities[0].name not in client.get(reverse("applications:list")).content.decode()


def test_a_board_member_sees_only_their_region(client, region):
    rp, branch, municipalities = region
    mine = ApplicationFactory(regional_program=rp, municipality=municipalities[0], submitted=True)
    other_rp, _ob, _oc, other_municipalities = open_region()
    theirs = ApplicationFactory(
        regional_program=other_rp, municipality=other_municipalities[0], submitted=True
    )
    _login(client, board_member(branch))
    html = client.get(reverse("applications:list")).content.decode()
    assert municipalities[0].name in html
    assert other_municipalities[0].name not in html
    assert client.get(reverse("applications:detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("applications:detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("applications:recommend", args=[theirs.pk])).status_code == 404


def test_board_member_adds_a_recommendation(client, region):
    rp, branch, municipalities = region
    application = ApplicationFactory(regional_program=rp, municipality=municipalities[0], submitted=True)
    _login(client, board_member(branch))
    bad = client.post(
        reverse("applications:recommend", args=[application.pk]), {"recommendation_priority": "x"}
    )
    assert bad.status_code == 200
    client.post(
        reverse("applications:recommend", args=[application.pk]),
        {"recommendation": "Godt forankret", "recommendation_priority": "1"},
    )
    application.refresh_from_db()
    assert application.recommendation == "Godt forankret"
    assert (
        "Godt forankret" in client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    )


def test_a_jury_member_never_sees_an_application_they_declared_a_conflict_on(client, region):
    rp, _b, municipalities = region
    application = ApplicationFactory(regional_program=rp, municipality=municipalities[0], submitted=True)
    review = ReviewFactory(application=application, jury_member=JuryMemberFactory(regional_program=rp))
    _login(client, review.jury_member.user)
    url = reverse("applications:review", args=[review.pk])
    first = client.get(url).content.decode()
    assert "Er du inhabil" in first
    assert application.motivation not in first  # the text is shown only after the conflict question
    client.post(url, {"has_conflict": "ja", "conflict_note": "Nabo til koordinatoren"})
    assert client.get(url).status_code == 404
    assert municipalities[0].name not in client.get(reverse("applications:jury")).content.decode()
    assert client.get(reverse("applications:detail", args=[application.pk])).status_code == 404
    # Leadership sees the conflict, on the ranked list and with the application.
    client.force_login(UserFactory(leadership=True))
    ranking = client.get(reverse("applications:ranking", args=[rp.pk])).content.decode()
    assert "Nabo til koordinatoren" in ranking
    detail = client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert "inhabil – Nabo til koordinatoren" in detail


def test_a_jury_member_sees_other_scores_only_after_submitting_their_own(client, region):
    rp, _b, municipalities = region
    criterion = SelectionCriterionFactory(regional_program=rp, name="Forankring")
    application = ApplicationFactory(regional_program=rp, municipality=municipalities[0], submitted=True)
    other = JuryMemberFactory(regional_program=rp, user__full_name="Olga Annen")
    submitted_review(application, other, {criterion: 2}, comment="Svak forankring fra Olga")
    review = ReviewFactory(
        application=application, jury_member=JuryMemberFactory(regional_program=rp), no_conflict=True
    )
    _login(client, review.jury_member.user)
    url = reverse("applications:review", args=[review.pk])
    before = client.get(url).content.decode()
    assert application.motivation in before
    assert "Svak forankring fra Olga" not in before
    assert "Olga Annen" not in before
    invalid = client.post(url, {f"criterion_{criterion.pk}": "9", "submit": "1"})
    assert "Velg poeng fra 1 til 5." in invalid.content.decode()
    client.post(url, {f"criterion_{criterion.pk}": "4", "comment": "Bra", "submit": "1"})
    after = client.get(url).content.decode()
    assert "Svak forankring fra Olga" in after
    assert "Olga Annen" in after


def test_a_conflict_discovered_while_scoring_takes_the_application_away(client, region):
    rp, _b, municipalities = region
    criterion = SelectionCriterionFactory(regional_program=rp)
    application = ApplicationFactory(regional_program=rp, municipality=municipalities[0], submitted=True)
    review = ReviewFactory(
        application=application, jury_member=JuryMemberFactory(regional_program=rp), no_conflict=True
    )
    _login(client, review.jury_member.user)
    url = reverse("applications:review", args=[review.pk])
    client.post(url, {f"criterion_{criterion.pk}": "5", "save": "1"})
    conflict_url = reverse("applications:review_conflict", args=[review.pk])
    client.post(conflict_url, {"conflict_note": ""})
    assert client.get(url).status_code == 200  # a reason is required
    client.post(conflict_url, {"conflict_note": "Gift med rektor"})
    assert client.get(url).status_code == 404
    from applications.selectors import ranked_applications

    [row] = ranked_applications(regional_program=rp)
    assert row.review_count == 0
    assert row.conflict_count == 1


def test_a_jury_member_cannot_open_another_members_review(client, region):
    rp, _b, municipalities = region
    application = ApplicationFactory(regional_program=rp, municipality=municipalities[0], submitted=True)
    review = ReviewFactory(application=application, jury_member=JuryMemberFactory(regional_program=rp))
    _login(client, JuryMemberFactory(regional_program=rp).user)
    assert client.get(reverse("applications:review", args=[review.pk])).status_code == 404


# --- Leadership -------------------------------------------------------------------------------------------


def test_leadership_sets_the_application_window_and_criteria(client, region):
    rp, _b, _m = region
    _login(client, UserFactory(leadership=True))
    response = client.post(
        reverse("applications:window", args=[rp.pk]),
        {
            "applications_open_at": "2026-10-01T09:00",
            "application_deadline": "2026-12-01T23:59",
            "places": "8",
            "applicant_guidance": "Les invitasjonen.",
        },
    )
    assert response.status_code == 302
    rp.refresh_from_db()
    assert timezone.localtime(rp.application_deadline).strftime("%d.%m.%Y %H:%M") == "01.12.2026 23:59"
    assert rp.places == 8
    bad = client.post(
        reverse("applications:window", args=[rp.pk]),
        {"applications_open_at": "2026-12-02T09:00", "application_deadline": "2026-12-01T23:59"},
    )
    assert "Søknadsfristen må være etter" in bad.content.decode()
    client.post(
        reverse("applications:criterion_create", args=[rp.pk]),
        {"name": "Forankring", "weight": "3", "position": "1"},
    )
    assert rp.selection_criteria.get().weight == 3
    page = client.get(reverse("applications:selection", args=[rp.pk])).content.decode()
    assert "Forankring" in page


def test_deleting_a_criterion_asks_first_and_only_the_confirmed_post_deletes(client, region):
    rp, _b, _m = region
    criterion = SelectionCriterionFactory(regional_program=rp, name="Forankring")
    _login(client, UserFactory(leadership=True))
    url = reverse("applications:criterion_delete", args=[rp.pk, criterion.pk])
    page = client.get(url).content.decode()
    assert "Slette kriterium?" in page
    assert "Ja, slett kriteriet" in page
    client.post(url)  # a bare POST (no confirmation) deletes nothing
    assert rp.selection_criteria.filter(pk=criterion.pk).exists()
    response = client.post(url, {"confirm": "yes"})
    assert response.status_code == 302
    assert not rp.selection_criteria.filter(pk=criterion.pk).exists()


def test_criteria_are_locked_once_a_review_is_submitted(client, region):
    rp, _b, municipalities = region
    criterion = SelectionCriterionFactory(regional_program=rp, name="Forankring", weight=2)
    application = ApplicationFactory(regional_program=rp, municipality=municipalities[0], submitted=True)
    submitted_review(application, JuryMemberFactory(regional_program=rp), {criterion: 4})
    _login(client, UserFactory(leadership=True))
    url = reverse("applications:criterion_delete", args=[rp.pk, criterion.pk])
    page = client.get(url).content.decode()
    assert "Juryen har allerede levert vurderinger" in page
    overview = client.get(reverse("applications:selection", args=[rp.pk])).content.decode()
    assert "Juryen har allerede levert vurderinger" in overview
    assert reverse("applications:criterion_create", args=[rp.pk]) not in overview
    client.post(url, {"confirm": "yes"})
    assert rp.selection_criteria.filter(pk=criterion.pk).exists()
    edit = client.post(
        reverse("applications:criterion_edit", args=[rp.pk, criterion.pk]),
        {"name": "Forankring", "weight": "5", "position": "0"},
    )
    assert "vektene kan ikke endres" in edit.content.decode()
    criterion.refresh_from_db()
    assert criterion.weight == 2
    renamed = client.post(
        reverse("applications:criterion_edit", args=[rp.pk, criterion.pk]),
        {"name": "Forankring i kommunen", "weight": "2", "position": "0"},
    )
    assert renamed.status_code == 302
    criterion.refresh_from_db()
    assert criterion.name == "Forankring i kommunen"


@pytest.mark.parametrize(
    ("opens", "deadline", "field_error"),
    [
        ("0001-01-01T09:00", "2026-12-01T23:59", "Velg et år mellom 2000 og 2100."),
        ("2026-10-01T09:00", "9999-03-01T23:59", "Velg et år mellom 2000 og 2100."),
        ("2026-12-02T09:00", "2026-12-01T23:59", "Søknadsfristen må være etter at søknadene åpner."),
        ("2026-10-01T09:00", "i morgen", "Skriv dato og klokkeslett som dd.mm.åååå tt:mm."),
        # the asked-for format, but no such day: say so (issue 12)
        ("2026-10-01T09:00", "31.02.2027 23:59", "Datoen 31.02.2027 finnes ikke."),
        ("2027-02-31T09:00", "2027-03-01T23:59", "Datoen 31.02.2027 finnes ikke."),
    ],
)
def test_absurd_window_dates_are_norwegian_field_errors(client, region, opens, deadline, field_error):
    rp, _b, _m = region
    before = rp.application_deadline
    _login(client, UserFactory(leadership=True))
    response = client.post(
        reverse("applications:window", args=[rp.pk]),
        {"applications_open_at": opens, "application_deadline": deadline},
    )
    assert response.status_code == 200
    assert field_error in response.content.decode()
    rp.refresh_from_db()
    assert rp.application_deadline == before


def test_absurd_dates_for_a_late_deadline_and_the_anchoring_decision_are_refused(client, region):
    rp, _b, municipalities = region
    application = ApplicationFactory(regional_program=rp, municipality=municipalities[0])
    _login(client, UserFactory(leadership=True))
    response = client.post(
        reverse("applications:extension_create", args=[rp.pk]),
        {"municipality": municipalities[0].pk, "deadline": "0001-01-01T00:00"},
    )
    assert "Velg et år mellom 2000 og 2100." in response.content.decode()
    assert not rp.deadline_extensions.exists()
    client.force_login(municipal_contact(municipalities[0]))
    response = client.post(
        reverse("applications:edit", args=[application.pk]), {"anchoring_decided_on": "9999-03-01"}
    )
    assert "Velg et år mellom 2000 og 2100." in response.content.decode()
    application.refresh_from_db()
    assert application.anchoring_decided_on is None


def test_leadership_grants_a_late_deadline_from_the_page(client, region):
    rp, _b, municipalities = region
    _login(client, UserFactory(leadership=True))
    response = client.post(
        reverse("applications:extension_create", args=[rp.pk]),
        {
            "municipality": municipalities[0].pk,
            "deadline": "2030-01-10T12:00",
            "reason": "Søkte om utsettelse",
        },
    )
    assert response.status_code == 302
    bad = client.post(
        reverse("applications:extension_create", args=[rp.pk]),
        {"municipality": MunicipalityFactory().pk, "deadline": "2030-01-10T12:00"},
    )
    assert "Velg en kommune fra listen." in bad.content.decode()


def test_over_capacity_acceptance_asks_for_confirmation_on_the_page(
    client, django_capture_on_commit_callbacks
):
    rp, _b, _c, municipalities = open_region(places=1)
    first = ApplicationFactory(regional_program=rp, municipality=municipalities[0], submitted=True)
    second = ApplicationFactory(regional_program=rp, municipality=municipalities[1], submitted=True)
    _login(client, UserFactory(leadership=True))
    client.post(reverse("applications:decide", args=[first.pk]), DECIDE | {"outcome": "accepted"})
    response = client.post(reverse("applications:decide", args=[second.pk]), DECIDE | {"outcome": "accepted"})
    assert response.status_code == 200
    assert "Bekreft at du vil ta opp flere" in response.content.decode()
    second.refresh_from_db()
    assert second.status == ApplicationStatus.SUBMITTED
    client.post(
        reverse("applications:decide", args=[second.pk]),
        DECIDE | {"outcome": "accepted", "confirm_over_capacity": "on"},
    )
    second.refresh_from_db()
    assert second.status == ApplicationStatus.ACCEPTED
    assert MunicipalGroup.objects.count() == 2


def test_deciding_shows_the_letter_and_warnings_before_anything_is_sent(
    client, region, django_capture_on_commit_callbacks
):
    rp, _b, municipalities = region
    application = ApplicationFactory(regional_program=rp, municipality=municipalities[0], submitted=True)
    ApplicationFactory(regional_program=rp, municipality=municipalities[1], submitted=True)
    _login(client, UserFactory(leadership=True))
    url = reverse("applications:decide", args=[application.pk])
    with django_capture_on_commit_callbacks(execute=True):
        preview = client.post(url, {"outcome": "accepted"})
    html = preview.content.decode()
    assert preview.status_code == 200
    assert "Bekreft vedtaket" in html
    assert "Søknadsfristen er ikke ute." in html
    assert "2 av 2 søknader mangler vurdering." in html
    assert "Fatt vedtak og send brev" in html
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert not mail.outbox
    # Sending without ticking the before-deadline box is refused.
    refused = client.post(url, {"outcome": "accepted", "send": "1"})
    assert "Bekreft at du vil fatte vedtak før fristen" in refused.content.decode()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, DECIDE | {"outcome": "accepted"})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACCEPTED
    assert mail.outbox


def test_without_places_the_pages_say_so_and_offer_no_over_capacity_box(client):
    rp, _b, _c, municipalities = open_region(places=None)
    application = ApplicationFactory(regional_program=rp, municipality=municipalities[0], submitted=True)
    _login(client, UserFactory(leadership=True))
    ranking = client.get(reverse("applications:ranking", args=[rp.pk])).content.decode()
    assert "Tatt opp: 0 (antall plasser er ikke satt)" in ranking
    assert "av – plasser" not in ranking
    url = reverse("applications:decide", args=[application.pk])
    page = client.get(url).content.decode()
    assert "antall plasser er ikke satt" in page
    assert "confirm_over_capacity" not in page
    preview = client.post(url, {"outcome": "accepted"}).content.decode()
    assert "confirm_over_capacity" not in preview


def test_contact_sees_the_decision_and_the_group(client, region, django_capture_on_commit_callbacks):
    rp, _b, municipalities = region
    application = ApplicationFactory(regional_program=rp, municipality=municipalities[0], submitted=True)
    contact = municipal_contact(municipalities[0])
    _login(client, UserFactory(leadership=True))
    client.post(reverse("applications:decide", args=[application.pk]), DECIDE | {"outcome": "accepted"})
    leadership_page = client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert "Historikk" in leadership_page
    client.force_login(contact)
    page = client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    assert "tatt opp" in page
    assert "Historikk" not in page
    group = MunicipalGroup.objects.get()
    group_page = client.get(reverse("applications:group", args=[group.pk]))
    assert group_page.status_code == 200
    assert group.coordinator_name in group_page.content.decode()
    client.force_login(municipal_contact(municipalities[1]))
    assert client.get(reverse("applications:group", args=[group.pk])).status_code == 404


def test_exports_as_csv_and_xlsx_and_the_print_bundle(client, region):
    rp, _b, municipalities = region
    scored = ApplicationFactory(
        regional_program=rp, municipality=municipalities[0], submitted=True, motivation="=HYPERLINK()"
    )
    criterion = SelectionCriterionFactory(regional_program=rp, name="Forankring")
    submitted_review(scored, JuryMemberFactory(regional_program=rp), {criterion: 4})
    submitted_review(scored, JuryMemberFactory(regional_program=rp), {criterion: 3})
    ApplicationFactory(regional_program=rp, municipality=municipalities[1])  # a draft: not exported
    _login(client, UserFactory(leadership=True))
    csv_response = client.get(reverse("applications:export", args=[rp.pk, "csv"]))
    text = csv_response.content.decode("utf-8-sig")
    assert municipalities[0].name in text
    assert municipalities[1].name not in text
    assert "'=HYPERLINK()" in text  # formulas are neutralised
    xlsx = client.get(reverse("applications:export", args=[rp.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet["B2"].value == municipalities[0].name
    headers = [cell.value for cell in sheet[1]]
    assert headers[-1] == "Snitt: Forankring"
    assert sheet.cell(row=2, column=len(headers)).value == 3.5
    assert sheet["G2"].value == 3.5  # the weighted score
    motivation = sheet.cell(row=2, column=headers.index("Hvorfor delta") + 1)
    assert motivation.value == "=HYPERLINK()"  # text as typed, no apostrophe in XLSX
    assert motivation.data_type == "s"  # a string, not a formula
    assert client.get(reverse("applications:export", args=[rp.pk, "pdf"])).status_code == 404
    bundle = client.get(reverse("applications:print_bundle", args=[rp.pk])).content.decode()
    assert municipalities[0].name in bundle
    client.force_login(municipal_contact(municipalities[0]))
    assert client.get(reverse("applications:export", args=[rp.pk, "csv"])).status_code == 404


def test_leadership_assigns_applications_to_a_jury_member(client, region):
    rp, _b, municipalities = region
    application = ApplicationFactory(regional_program=rp, municipality=municipalities[0], submitted=True)
    ApplicationFactory(regional_program=rp, municipality=municipalities[1])  # drafts cannot be assigned
    juror = UserFactory(email="jurist@example.org", jury=True)
    _login(client, UserFactory(leadership=True))
    client.post(reverse("applications:jury_add", args=[rp.pk]), {"email": "jurist@example.org"})
    member = rp.jury_members.get()
    assert member.user == juror
    url = reverse("applications:jury_assign", args=[rp.pk, member.pk])
    client.post(url, {"applications": [application.pk]})
    assert list(member.reviews.values_list("application_id", flat=True)) == [application.pk]
    bad = client.post(url, {"applications": ["abc"]})
    assert bad.status_code == 200
    client.force_login(juror)
    assert municipalities[0].name in client.get(reverse("applications:jury")).content.decode()


# --- Query counts -------------------------------------------------------------------------------------------


def _many_applications(rp, municipalities_count: int):
    county = rp.branches.get().counties.get()
    for _ in range(municipalities_count):
        ApplicationFactory(
            regional_program=rp, municipality=MunicipalityFactory(county=county), submitted=True
        )


def test_leadership_filters_the_list_by_programme_and_status(client, region):
    rp, _b, municipalities = region
    ApplicationFactory(regional_program=rp, municipality=municipalities[0], submitted=True)
    ApplicationFactory(regional_program=rp, municipality=municipalities[1])
    other_rp, _ob, _oc, other_municipalities = open_region()
    ApplicationFactory(regional_program=other_rp, municipality=other_municipalities[0], submitted=True)
    _login(client, UserFactory(leadership=True))
    html = client.get(f"/soknader/?program={rp.pk}&status=submitted").content.decode()
    assert municipalities[0].name in html
    assert municipalities[1].name not in html
    assert other_municipalities[0].name not in html


@pytest.mark.parametrize("count", [5, 200])
def test_application_list_query_count_is_constant(client, django_assert_num_queries, count):
    rp, _b, _c, _m = open_region(municipalities=0)
    _many_applications(rp, count)
    leader = UserFactory(leadership=True)
    _login(client, leader)
    # session, user, roles, the programmes (filter and selection in one), count, page's ids, page's rows
    with django_assert_num_queries(7):
        response = client.get(reverse("applications:list"))
    # one page of at most 50 rows, and the pager says how many pages there are
    assert response.content.decode().count('data-status="submitted"') == min(count, 50)
    assert ("Side 1 av 4" in response.content.decode()) is (count == 200)


@pytest.mark.parametrize("count", [5, 200])
def test_ranked_list_query_count_is_constant(client, django_assert_num_queries, count):
    rp, _b, _c, _m = open_region(municipalities=0)
    _many_applications(rp, count)
    criteria = [SelectionCriterionFactory(regional_program=rp, weight=w) for w in (1, 2)]
    members = [JuryMemberFactory(regional_program=rp) for _ in range(2)]
    for application in Application.objects.filter(regional_program=rp):
        for member in members:
            submitted_review(application, member, {criteria[0]: 3, criteria[1]: 4})
    _login(client, UserFactory(leadership=True))
    with django_assert_num_queries(8):
        response = client.get(reverse("applications:ranking", args=[rp.pk]))
    html = response.content.decode()
    assert html.count('data-testid="rank-row"') == count
    # (3×1 + 4×2) / 3 = 3,67 per application; per criterion 3,00 and 4,00 (Norwegian decimals).
    assert html.count("<td>3,67</td>") == count
    assert html.count("<td>4,00</td>") == count


@pytest.mark.parametrize("count", [5, 60])
def test_jury_list_query_count_is_constant(client, django_assert_num_queries, count):
    rp, _b, _c, _m = open_region(municipalities=0)
    _many_applications(rp, count)
    member = JuryMemberFactory(regional_program=rp)
    for application in Application.objects.filter(regional_program=rp):
        ReviewFactory(application=application, jury_member=member)
    _login(client, member.user)
    with django_assert_num_queries(5):  # session, user, roles, count, reviews (no claim on GET any more)
        response = client.get(reverse("applications:jury"))
    assert response.content.decode().count("/soknader/vurderinger/") == min(count, 50)
    assert ("Side 1 av 2" in response.content.decode()) is (count == 60)


def test_absurd_ids_answer_404_and_absurd_filters_a_field_error_never_500(client, region):
    _login(client, UserFactory(leadership=True))
    huge = "9" * 25
    assert client.get(f"/soknader/{huge}/").status_code == 404
    for query in (f"program={huge}", "program=abc", "status=ukjent"):
        response = client.get(f"/soknader/?{query}")
        assert response.status_code == 200
        assert "fra listen" in response.content.decode()
    assert client.get(f"/soknader/program/{huge}/rangering/").status_code == 404
    assert client.get(f"/soknader/vurderinger/{huge}/").status_code == 404


@pytest.mark.parametrize("count", [5, 50])
def test_print_bundle_query_count_is_constant(client, django_assert_num_queries, count):
    rp, _b, _c, _m = open_region(municipalities=0)
    _many_applications(rp, count)
    _login(client, UserFactory(leadership=True))
    with django_assert_num_queries(7):
        response = client.get(reverse("applications:print_bundle", args=[rp.pk]))
    assert response.content.decode().count('class="print-page') == count


def test_nul_characters_are_a_field_error_or_dropped_never_a_500(client, region):
    rp, _b, municipalities = region
    application = ApplicationFactory(regional_program=rp, municipality=municipalities[0])
    contact = municipal_contact(municipalities[0])
    _open_the_form_then_lose_the_session(client, contact, reverse("applications:edit", args=[application.pk]))
    anonymous = client.post(reverse("applications:edit", args=[application.pk]), {"motivation": "a\x00b"})
    assert anonymous.status_code == 302
    assert DraftRecovery.objects.get().data == {"motivation": "ab"}
    _login(client, contact)
    response = client.post(reverse("applications:edit", args=[application.pk]), {"motivation": "a\x00b"})
    assert response.status_code == 200
    assert "Null-tegn er ikke tillatt." in response.content.decode()
    assert (
        client.get(reverse("applications:edit", args=[application.pk]) + "?gjenopprett=%00x").status_code
        == 200
    )


def test_the_dashboard_shows_the_contacts_application_and_the_jurys_open_reviews(client, region):
    rp, _b, municipalities = region
    application = ApplicationFactory(regional_program=rp, municipality=municipalities[0])
    _login(client, municipal_contact(municipalities[0]))
    html = client.get(reverse("accounts:dashboard")).content.decode()
    assert "utkast" in html
    assert "Fortsett utkastet" in html
    assert reverse("applications:edit", args=[application.pk]) in html
    oslo = timezone.localtime(rp.application_deadline, timezone.get_current_timezone())
    assert datetime_display(oslo) in html  # «12. desember 2026 kl. 01:07»: the one format
    application.status = ApplicationStatus.SUBMITTED
    application.save()
    html = client.get(reverse("accounts:dashboard")).content.decode()
    assert "Se søknaden" in html
    application.status = ApplicationStatus.ACCEPTED
    application.save()
    html = client.get(reverse("accounts:dashboard")).content.decode()
    assert "Se vedtaket" in html
    assert reverse("applications:detail", args=[application.pk]) + "#decision-heading" in html
    review = ReviewFactory(
        application=ApplicationFactory(regional_program=rp, municipality=municipalities[1], submitted=True),
        jury_member=JuryMemberFactory(regional_program=rp),
    )
    client.force_login(review.jury_member.user)
    assert "1 søknad venter på vurderingen din." in client.get(reverse("accounts:dashboard")).content.decode()


def test_the_contact_keeps_the_group_up_to_date_after_acceptance(
    client, region, django_capture_on_commit_callbacks
):
    rp, _b, municipalities = region
    application = ApplicationFactory(regional_program=rp, municipality=municipalities[0], submitted=True)
    _login(client, UserFactory(leadership=True))
    client.post(reverse("applications:decide", args=[application.pk]), DECIDE | {"outcome": "accepted"})
    group = MunicipalGroup.objects.get()
    overview = client.get(reverse("applications:selection", args=[rp.pk])).content.decode()
    assert reverse("applications:group", args=[group.pk]) in overview
    contact = municipal_contact(municipalities[0])
    client.force_login(contact)
    create = reverse("applications:group_member_create", args=[group.pk])
    bad = client.post(create, {"name": "Ny", "email": "x", "sector": "skole"})
    assert bad.status_code == 200
    client.post(
        create,
        {
            "name": "Nils Ny",
            "email": "nils@example.org",
            "sector": "politisk_ledelse",
            "is_coordinator": "on",
        },
    )
    group.refresh_from_db()
    assert group.coordinator_name == "Nils Ny"
    assert group.members.filter(is_coordinator=True).count() == 1
    nils = group.members.get(name="Nils Ny")
    # the same address in other capitals is the same person (issue 12)
    twice = client.post(create, {"name": "Nils To", "email": "NILS@example.org", "sector": "skole"})
    assert "Nils Ny er allerede med i gruppen" in twice.content.decode()
    assert group.members.filter(email__iexact="nils@example.org").count() == 1
    # "Fjern" asks first; only the confirmation removes
    delete = reverse("applications:group_member_delete", args=[group.pk, nils.pk])
    page = client.post(delete)
    assert "Fjerne Nils Ny fra kommunegruppen?" in page.content.decode()
    assert group.members.filter(pk=nils.pk).exists()
    client.post(delete, {"confirm": "yes"})
    assert not group.members.filter(pk=nils.pk).exists()
    group.refresh_from_db()
    assert group.coordinator_name == ""
    # Another municipality's contact gets 404; a board member of another branch too.
    client.force_login(municipal_contact(municipalities[1]))
    assert client.get(create).status_code == 404
    client.force_login(board_member(CountyFactory().branch))
    assert client.get(create).status_code == 404


def test_leadership_pages_redirect_anonymous_and_answer_404_to_everyone_else(client, region):
    rp, branch, municipalities = region
    application = ApplicationFactory(regional_program=rp, municipality=municipalities[0], submitted=True)
    member = JuryMemberFactory(regional_program=rp)
    criterion = SelectionCriterionFactory(regional_program=rp)
    urls = [
        reverse("applications:selection", args=[rp.pk]),
        reverse("applications:window", args=[rp.pk]),
        reverse("applications:criterion_create", args=[rp.pk]),
        reverse("applications:criterion_edit", args=[rp.pk, criterion.pk]),
        reverse("applications:extension_create", args=[rp.pk]),
        reverse("applications:jury_add", args=[rp.pk]),
        reverse("applications:jury_assign", args=[rp.pk, member.pk]),
        reverse("applications:ranking", args=[rp.pk]),
        reverse("applications:letter_template", args=[rp.pk, "accepted"]),
        reverse("applications:export", args=[rp.pk, "csv"]),
        reverse("applications:print_bundle", args=[rp.pk]),
        reverse("applications:decide", args=[application.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("accounts:login"))
    for outsider in (board_member(branch), municipal_contact(municipalities[0]), member.user):
        client.force_login(outsider)
        for url in urls:
            assert client.get(url).status_code == 404, (outsider, url)
    client.force_login(UserFactory(leadership=True))
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_an_assigned_jury_member_downloads_attachments_until_declaring_a_conflict(client, region):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from applications import services

    rp, _b, municipalities = region
    application = ApplicationFactory(regional_program=rp, municipality=municipalities[0], submitted=True)
    attachment = services.application_attachment_add(
        actor=municipal_contact(municipalities[0]),
        application=application,
        upload=SimpleUploadedFile("plan.pdf", pdf_bytes()),
    )
    review = ReviewFactory(
        application=application, jury_member=JuryMemberFactory(regional_program=rp), no_conflict=True
    )
    _login(client, review.jury_member.user)
    url = reverse("applications:attachment", args=[application.pk, attachment.pk])
    assert client.get(url).status_code == 200
    services.review_conflict_declare(
        actor=review.jury_member.user, review=review, has_conflict=True, note="Nabo"
    )
    assert client.get(url).status_code == 404


def test_an_invited_jury_member_finds_their_assignments_after_accepting(
    client, region, django_capture_on_commit_callbacks
):
    """Accepting the invitation links the jury place (accounts' `invitation_accepted`, answered here)."""
    rp, _b, municipalities = region
    application = ApplicationFactory(regional_program=rp, municipality=municipalities[0], submitted=True)
    with django_capture_on_commit_callbacks(execute=True):
        place = services_jury_member_add(rp, "ny@example.org")
    review = ReviewFactory(application=application, jury_member=place)
    token = re.search(r"/invitasjon/([^/\s]+)/", mail.outbox[-1].body).group(1)
    accepted = client.post(
        reverse("accounts:invitation_accept", args=[token]),
        {
            "full_name": "Ny Jurist",
            "password": "Fiolin-og-tromme-2026",
            "password_confirm": "Fiolin-og-tromme-2026",
        },
    )
    assert accepted.status_code == 302
    place.refresh_from_db()
    assert place.user is not None
    assert place.user.email == "ny@example.org"
    assert "1 søknad venter på vurderingen din." in client.get(reverse("accounts:dashboard")).content.decode()
    assert client.get(reverse("applications:review", args=[review.pk])).status_code == 200


def test_the_jury_pages_write_nothing_on_get(client, region):
    """A jury place given to this e-mail is linked when the invitation is accepted, not by visiting a page."""
    from applications.models import JuryMember
    from audit.models import AuditEntry

    rp, _b, municipalities = region
    application = ApplicationFactory(regional_program=rp, municipality=municipalities[0], submitted=True)
    place = JuryMember.objects.create(regional_program=rp, email="ny@example.org", full_name="Ny Jurist")
    review = ReviewFactory(application=application, jury_member=place)
    _login(client, UserFactory(email="ny@example.org", jury=True))
    assert client.get(reverse("applications:jury")).status_code == 200
    assert client.get(reverse("applications:review", args=[review.pk])).status_code == 200
    place.refresh_from_db()
    assert place.user is None
    assert not AuditEntry.objects.filter(action="applications.jury_member.linked").exists()


def services_jury_member_add(rp, email):
    from applications import services

    return services.jury_member_add(actor=UserFactory(leadership=True), regional_program=rp, email=email)


def test_scores_typed_in_an_expired_session_come_back_after_login(client, region):
    rp, _b, municipalities = region
    criterion = SelectionCriterionFactory(regional_program=rp)
    application = ApplicationFactory(regional_program=rp, municipality=municipalities[0], submitted=True)
    member = JuryMemberFactory(regional_program=rp, user__email="jurist@example.org")
    review = ReviewFactory(application=application, jury_member=member, no_conflict=True)
    url = reverse("applications:review", args=[review.pk])
    _open_the_form_then_lose_the_session(client, member.user, url)
    response = client.post(
        url, {f"criterion_{criterion.pk}": "4", "comment": "Lang kommentar", "submit": "1"}
    )
    assert response.url.startswith(reverse("accounts:login"))
    login = client.post(response.url, {"username": "jurist@example.org", "password": "kulturskole"})
    html = client.get(login.url).content.decode()
    assert "Lang kommentar" in html
    assert f'name="criterion_{criterion.pk}" value="4"' in html
    radios = re.findall(rf'<input[^>]*name="criterion_{criterion.pk}"[^>]*>', html)
    assert len(radios) == 6  # "Ikke satt" and 1–5
    assert [r for r in radios if re.search(r"\bchecked\b", r)] == [r for r in radios if 'value="4"' in r]
    review.refresh_from_db()
    assert review.submitted_at is None  # nothing delivered behind the person's back


def test_the_list_opens_on_the_newest_edition_and_can_show_all_or_search(client):
    older_rp, _b, _c, older_municipalities = open_region(
        program=ProgramFactory(interest_deadline=timezone.now() - dt.timedelta(days=400))
    )
    newer_rp, _b2, _c2, newer_municipalities = open_region()
    for municipality, name in (
        (older_municipalities[0], "Austevoll"),
        (newer_municipalities[0], "Bjørnafjorden"),
    ):
        municipality.name = name
        municipality.save()
    ApplicationFactory(regional_program=older_rp, municipality=older_municipalities[0], submitted=True)
    ApplicationFactory(regional_program=newer_rp, municipality=newer_municipalities[0], submitted=True)
    _login(client, UserFactory(leadership=True))
    default = client.get(reverse("applications:list")).content.decode()
    assert newer_municipalities[0].name in default
    assert older_municipalities[0].name not in default
    everything = client.get(reverse("applications:list"), {"edition": ""}).content.decode()
    assert newer_municipalities[0].name in everything
    assert older_municipalities[0].name in everything
    searched = client.get(reverse("applications:list"), {"edition": "", "q": "STEVO"}).content.decode()
    assert older_municipalities[0].name in searched
    assert newer_municipalities[0].name not in searched
    # an older edition's regional programme, chosen in the filter, shows its applications under its name
    chosen = client.get(reverse("applications:list"), {"program": older_rp.pk}).content.decode()
    assert older_municipalities[0].name in chosen
    assert newer_municipalities[0].name not in chosen
    assert f"Søknader til {older_rp.name}" in chosen
    assert f'<option value="{older_rp.pk}" selected>' in chosen
    # a programme the person sees no application in is not a choice
    empty_rp, *_rest = open_region()
    refused = client.get(reverse("applications:list"), {"program": empty_rp.pk}).content.decode()
    assert "Velg et regionalt program fra listen." in refused


@pytest.mark.parametrize("count", [5, 60])
def test_a_board_members_list_costs_the_same_queries_for_few_and_many(
    client, django_assert_num_queries, count
):
    rp, branch, _c, _m = open_region(municipalities=0)
    _many_applications(rp, count)
    older_rp = RegionalProgramFactory(
        program=ProgramFactory(interest_deadline=timezone.now() - dt.timedelta(days=400)), branches=[branch]
    )
    _many_applications(older_rp, 2)
    _login(client, board_member(branch))
    # session, user, roles, the filter's programmes, count, page's ids, page's rows, and the open windows (one)
    with django_assert_num_queries(8):
        response = client.get(reverse("applications:list"))
    html = response.content.decode()
    assert html.count('data-status="submitted"') == min(count, 50)  # the newest edition's only


def test_a_stranger_cannot_plant_scores_for_a_jury_member(client, region):
    rp, _b, municipalities = region
    SelectionCriterionFactory(regional_program=rp)
    application = ApplicationFactory(regional_program=rp, municipality=municipalities[0], submitted=True)
    member = JuryMemberFactory(regional_program=rp, user__email="jurist@example.org")
    review = ReviewFactory(application=application, jury_member=member, no_conflict=True)
    response = client.post(reverse("applications:review", args=[review.pk]), {"comment": "Plantet"})
    assert "gjenopprett" not in response.url
    assert not DraftRecovery.objects.exists()


def test_waitlisting_with_free_places_warns_and_the_letter_claims_no_competition(
    client, django_capture_on_commit_callbacks
):
    # two applicants for two places (issue 12): the letter said "flere søkere enn plasser"
    rp, _b, _c, municipalities = open_region(places=2)
    application = ApplicationFactory(regional_program=rp, municipality=municipalities[0], submitted=True)
    ApplicationFactory(regional_program=rp, municipality=municipalities[1], submitted=True)
    _login(client, UserFactory(leadership=True))
    url = reverse("applications:decide", args=[application.pk])
    preview = client.post(url, {"outcome": "waitlisted"}).content.decode()
    assert "Det er fortsatt ledige plasser: 0 av 2 er tatt opp." in preview
    assert "flere søkere enn" not in preview
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, DECIDE | {"outcome": "waitlisted"})
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WAITLISTED
    assert mail.outbox
    assert all("flere søkere enn" not in m.body for m in mail.outbox)
    assert "venteliste" in mail.outbox[0].body


def test_naming_a_new_coordinator_says_the_previous_one_is_demoted(client, region):
    rp, _b, municipalities = region
    contact = municipal_contact(municipalities[0])
    application = ApplicationFactory(regional_program=rp, municipality=municipalities[0], complete=True)
    previous = application.group_members.get(is_coordinator=True)
    client.force_login(contact)
    url = reverse("applications:members", args=[application.pk])
    form_page = client.get(url).content.decode()
    assert f"Nå er det {previous.name}; krysser du av her, blir {previous.name} vanlig medlem." in form_page
    response = client.post(
        url,
        {"name": "Kari Ny", "email": "kari.ny@example.org", "sector": "skole", "is_coordinator": "on"},
        follow=True,
    )
    text = response.content.decode()
    assert f"{previous.name} er ikke lenger koordinator" in text
    previous.refresh_from_db()
    assert not previous.is_coordinator


def test_changing_a_proposed_member_opens_with_what_is_stored(client, region):
    rp, _b, municipalities = region
    contact = municipal_contact(municipalities[0])
    application = ApplicationFactory(regional_program=rp, municipality=municipalities[0], complete=True)
    member = application.group_members.first()
    member.role_title = "Rektor ved Førde skule"
    member.save(update_fields=["role_title"])
    client.force_login(contact)
    form = client.get(reverse("applications:member_edit", args=[application.pk, member.pk])).context["form"]
    assert form["name"].value() == member.name
    assert form["email"].value() == member.email
    assert form["role_title"].value() == "Rektor ved Førde skule"
    assert form["is_coordinator"].value() is member.is_coordinator


def test_removing_a_proposed_member_or_a_jury_member_asks_first(client, region):
    rp, _b, municipalities = region
    contact = municipal_contact(municipalities[0])
    application = ApplicationFactory(regional_program=rp, municipality=municipalities[0], complete=True)
    member = (
        application.group_members.exclude(is_coordinator=True).first() or application.group_members.first()
    )
    client.force_login(contact)
    url = reverse("applications:member_delete", args=[application.pk, member.pk])
    assert "Fjerne " in client.post(url).content.decode()
    assert application.group_members.filter(pk=member.pk).exists()

    juror = JuryMemberFactory(regional_program=rp)
    client.force_login(UserFactory(leadership=True))
    url = reverse("applications:jury_remove", args=[rp.pk, juror.pk])
    page = client.post(url).content.decode()
    assert "fra juryen?" in page
    assert rp.jury_members.filter(pk=juror.pk).exists()
    client.post(url, {"confirm": "yes"})
    assert not rp.jury_members.filter(pk=juror.pk).exists()


def test_two_applications_with_priority_1_get_a_hint_about_the_tie(client, region):
    rp, branch, municipalities = region
    first = ApplicationFactory(regional_program=rp, municipality=municipalities[0], submitted=True)
    second = ApplicationFactory(regional_program=rp, municipality=municipalities[1], submitted=True)
    _login(client, board_member(branch))
    client.post(reverse("applications:recommend", args=[first.pk]), {"recommendation_priority": "1"})
    form = client.get(reverse("applications:recommend", args=[second.pk])).content.decode()
    assert "rangerer dem likt" in form
    response = client.post(
        reverse("applications:recommend", args=[second.pk]), {"recommendation_priority": "1"}, follow=True
    )
    assert f"{municipalities[0].name} har også prioritet 1." in response.content.decode()
    second.refresh_from_db()
    assert second.recommendation_priority == 1  # a tie is allowed, only pointed out


def test_the_contacts_dashboard_shows_an_open_window_with_deadline_and_a_button(client, region):
    rp, _b, municipalities = region
    _login(client, municipal_contact(municipalities[0]))
    html = client.get(reverse("accounts:dashboard")).content.decode()
    assert f"Søknadene til {rp.name} er åpne" in html
    assert f"Søknadsfrist: {datetime_display(rp.application_deadline)}" in html
    assert f"Start søknad for {municipalities[0].name}" in html
    assert reverse("applications:start", args=[rp.pk]) in html
    # once started, the window is no longer offered; the draft is shown instead
    client.post(reverse("applications:start", args=[rp.pk]), {"municipality": municipalities[0].pk})
    html = client.get(reverse("accounts:dashboard")).content.decode()
    assert "er åpne" not in html
    assert "Fortsett utkastet" in html
