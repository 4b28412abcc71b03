import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from programs.models import DialogueMeetingStatus, InterestRegistration, Program
from programs.timing import OSLO, deadline_from_date
from tests.factories import (
    CountyBranchFactory,
    ProgramFactory,
    UserFactory,
    board_member,
    municipal_contact,
)
from tests.programs.factories import (
    AnnualMeetingDecisionFactory,
    DialogueMeetingFactory,
    InterestDeadlineExtensionFactory,
    InterestRegistrationFactory,
)


def _leader():
    return UserFactory(leadership=True, full_name="Liv Leder", email="leder@example.org")


def _form_data(setup, **extra):
    data = {
        "level": "yes",
        "municipalities": [str(m.pk) for m in setup["members"][:2]],
        "contact_name": "Stian Styre",
        "contact_email": "stian@example.org",
        "contact_phone": "",
        "comment": "Styret er positivt.",
        "version": "0",
    }
    data.update(extra)
    return data


def _reg_url(setup, branch=None):
    return reverse(
        "programs:interest_registration",
        kwargs={"pk": setup["program"].pk, "branch_id": (branch or setup["branch"]).pk},
    )


# --- anonymous -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("programs:program_list", {}),
        ("programs:program_create", {}),
        ("programs:program_detail", {"pk": 1}),
        ("programs:program_update", {"pk": 1}),
        ("programs:interest_registration", {"pk": 1, "branch_id": 1}),
        ("programs:deadline_extend", {"pk": 1, "branch_id": 1}),
        ("programs:annual_meeting_decision", {"pk": 1, "branch_id": 1}),
        ("programs:temperature", {"pk": 1}),
        ("programs:temperature_export", {"pk": 1, "fmt": "csv"}),
        ("programs:dialogue_meeting_list", {"pk": 1}),
        ("programs:dialogue_meeting_request", {"pk": 1}),
        ("programs:dialogue_meeting_schedule", {"meeting_id": 1}),
        ("programs:dialogue_meeting_calendar", {"meeting_id": 1}),
        ("programs:regional_program_list", {"pk": 1}),
    ],
)
def test_anonymous_is_sent_to_login(client, db, name, kwargs):
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_public_page_needs_no_login_and_shows_invitation_and_timeline(client, db):
    program = ProgramFactory(
        slug="rp-2027",
        invitation_text="Vil dere være med?\n\n## Organiseringen\n- Tre semestre\n- Seks samlinger\n\n<script>x</script>",
        interest_deadline=deadline_from_date(dt.date(2027, 9, 15)),
        start_semester="høst 2028",
    )
    response = client.get(reverse("programs:program_public", kwargs={"slug": program.slug}))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<h2 class="h4 mt-4">Organiseringen</h2>' in html
    assert "<li>Tre semestre</li>" in html
    assert "<script>x</script>" not in html
    assert "&lt;script&gt;" in html
    assert "15. september 2027 kl. 23:59" in html
    assert "Høst 2028" in html


def test_unpublished_edition_has_no_public_page(client, db):
    program = ProgramFactory(unpublished=True)
    assert client.get(reverse("programs:program_public", kwargs={"slug": program.slug})).status_code == 404


# --- scope -----------------------------------------------------------------------------------------------


def test_board_member_of_another_branch_gets_404_everywhere(client, branch_setup):
    InterestRegistrationFactory(program=branch_setup["program"], branch=branch_setup["branch"])
    other = board_member(CountyBranchFactory(), full_name="Annen Styre")
    client.force_login(other)
    pk, bid = branch_setup["program"].pk, branch_setup["branch"].pk
    assert client.get(_reg_url(branch_setup)).status_code == 404
    assert client.post(_reg_url(branch_setup), _form_data(branch_setup)).status_code == 404
    assert (
        client.get(
            reverse("programs:annual_meeting_decision", kwargs={"pk": pk, "branch_id": bid})
        ).status_code
        == 404
    )
    assert client.get(reverse("programs:temperature", kwargs={"pk": pk})).status_code == 404
    assert (
        client.get(reverse("programs:deadline_extend", kwargs={"pk": pk, "branch_id": bid})).status_code
        == 404
    )
    assert InterestRegistration.objects.get().comment == ""


def test_municipal_contact_cannot_reach_any_of_it(client, branch_setup):
    InterestRegistrationFactory(program=branch_setup["program"], branch=branch_setup["branch"])
    meeting = DialogueMeetingFactory(
        program=branch_setup["program"], branch=branch_setup["branch"], scheduled=True
    )
    contact = municipal_contact(branch_setup["members"][0], full_name="Kari Kommune")
    client.force_login(contact)
    pk, bid = branch_setup["program"].pk, branch_setup["branch"].pk
    urls = [
        reverse("programs:program_detail", kwargs={"pk": pk}),
        _reg_url(branch_setup),
        reverse("programs:annual_meeting_decision", kwargs={"pk": pk, "branch_id": bid}),
        reverse("programs:temperature", kwargs={"pk": pk}),
        reverse("programs:temperature_export", kwargs={"pk": pk, "fmt": "xlsx"}),
        reverse("programs:dialogue_meeting_list", kwargs={"pk": pk}),
        reverse("programs:dialogue_meeting_request", kwargs={"pk": pk}),
        reverse("programs:dialogue_meeting_calendar", kwargs={"meeting_id": meeting.pk}),
        reverse("programs:regional_program_list", kwargs={"pk": pk}),
        reverse("programs:program_create"),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert client.post(_reg_url(branch_setup), _form_data(branch_setup)).status_code == 404


def test_board_member_cannot_see_unpublished_edition(client, branch_setup):
    program = ProgramFactory(unpublished=True)
    client.force_login(branch_setup["board"])
    url = reverse(
        "programs:interest_registration", kwargs={"pk": program.pk, "branch_id": branch_setup["branch"].pk}
    )
    assert client.get(url).status_code == 404


# --- the board member's registration --------------------------------------------------------------------


def test_board_member_registers_interest_and_gets_a_receipt(
    client, branch_setup, django_capture_on_commit_callbacks
):
    client.force_login(branch_setup["board"])
    response = client.get(_reg_url(branch_setup))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Askvoll" in html
    assert "Ikkemedlem" not in html  # only the branch's member municipalities can be chosen
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_reg_url(branch_setup), _form_data(branch_setup), follow=True)
    assert "Interessemeldingen er lagret" in response.content.decode()
    reg = InterestRegistration.objects.get()
    assert reg.updated_by == branch_setup["board"]
    assert len(mail.outbox) == 3


def test_board_member_dashboard_shows_countdown_and_status(client, branch_setup):
    client.force_login(branch_setup["board"])
    html = client.get(reverse("accounts:dashboard")).content.decode()
    assert "Interessemelding fra fylkesavdelingen" in html
    assert "igjen" in html
    assert "Ikke svart" in html
    assert "Meld interesse" in html


def test_board_member_of_several_branches_sees_them_in_norwegian_alphabetical_order(client, db):
    """A, O, Æ, Ø, Å: the editions per branch in the order the branch panels above them (and a Norwegian
    reader) have them, not the code-point order that puts Å before Æ and Ø."""
    import re

    from django.db import connection

    from accounts.models import Role, RoleAssignment

    if connection.vendor != "postgresql":
        pytest.skip("norsk sortering gjelder PostgreSQL; SQLite beholder sin egen rekkefølge")
    person = UserFactory()
    for name in ("Østfold", "Åsen", "Agder", "Ærøy", "Oppland"):  # neither made nor named in order
        branch = CountyBranchFactory(name=f"Norsk kulturskoleråd {name}")
        RoleAssignment.objects.create(user=person, role=Role.BOARD_MEMBER, branch=branch)
    ProgramFactory(name="Kulturskolen 2027")
    client.force_login(person)
    html = client.get(reverse("accounts:dashboard")).content.decode()

    norwegian = ["Agder", "Oppland", "Ærøy", "Østfold", "Åsen"]
    editions = re.findall(r"<strong>Kulturskolen 2027</strong> – (.+?)</p>", html)
    branch_panels = re.findall(r'<p class="fw-semibold mb-2">Norsk kulturskoleråd (.+?)</p>', html)
    assert editions == norwegian
    assert branch_panels == norwegian


def test_invalid_input_gives_field_errors_not_500(client, branch_setup):
    client.force_login(branch_setup["board"])
    bad = _form_data(
        branch_setup,
        level="kanskje-ikke",
        municipalities=["abc", "999999", str(branch_setup["outsider"].pk)],
        contact_email="ikke-epost",
        comment="x" * 50000,
        version="-1",
    )
    response = client.post(_reg_url(branch_setup), bad)
    assert response.status_code == 200
    form = response.context["form"]
    assert {"level", "municipalities", "contact_email", "comment", "version"} <= set(form.errors)
    assert "Noe må rettes" in response.content.decode()
    assert not InterestRegistration.objects.exists()


def test_second_session_is_refused_and_keeps_its_text(client, branch_setup):
    reg = InterestRegistrationFactory(
        program=branch_setup["program"], branch=branch_setup["branch"], comment="Første", version=1
    )
    colleague = board_member(branch_setup["branch"], full_name="Olga Annen")
    from django.test import Client

    first, second = Client(), client
    first.force_login(colleague)
    second.force_login(branch_setup["board"])
    # Both opened the form at version 1.
    assert first.get(_reg_url(branch_setup)).context["form"].initial["version"] == 1
    assert second.get(_reg_url(branch_setup)).context["form"].initial["version"] == 1
    r1 = first.post(_reg_url(branch_setup), _form_data(branch_setup, comment="Olgas tekst", version="1"))
    assert r1.status_code == 302
    r2 = second.post(
        _reg_url(branch_setup), _form_data(branch_setup, comment="Stians lange tekst", version="1")
    )
    html = r2.content.decode()
    assert r2.status_code == 200
    assert "ble endret av Olga Annen" in html
    assert "Stians lange tekst" in html  # the second writer's text is still in the form
    assert "Olgas tekst" in html  # and what is saved now is shown next to it for merging
    assert r2.context["form"]["version"].value() == "2"
    reg.refresh_from_db()
    assert reg.comment == "Olgas tekst"
    # After merging, saving again goes through.
    r3 = second.post(
        _reg_url(branch_setup), _form_data(branch_setup, comment="Olgas tekst + Stians", version="2")
    )
    assert r3.status_code == 302
    reg.refresh_from_db()
    assert reg.comment == "Olgas tekst + Stians"
    assert reg.version == 3


def test_form_opened_before_and_posted_after_deadline_is_refused_with_text_kept(client, branch_setup, clock):
    program = branch_setup["program"]
    program.interest_deadline = deadline_from_date(dt.date(2026, 10, 25))  # the day summer time ends
    program.save()
    client.force_login(branch_setup["board"])
    clock.set(dt.datetime(2026, 10, 25, 23, 59, 30, tzinfo=OSLO))
    assert "interest-form" in client.get(_reg_url(branch_setup)).content.decode()
    clock.set(dt.datetime(2026, 10, 26, 0, 0, 5, tzinfo=OSLO))
    response = client.post(_reg_url(branch_setup), _form_data(branch_setup, comment="Skrevet i siste liten"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Fristen for interessemelding gikk ut 25. oktober 2026 kl. 23:59" in html
    assert "Skrevet i siste liten" in html
    assert not InterestRegistration.objects.exists()


def test_after_deadline_the_board_sees_a_read_only_registration(client, branch_setup):
    program = branch_setup["program"]
    InterestRegistrationFactory(program=program, branch=branch_setup["branch"], comment="Låst tekst")
    program.interest_deadline = timezone.now() - dt.timedelta(days=1)
    program.save()
    client.force_login(branch_setup["board"])
    response = client.get(_reg_url(branch_setup))
    html = response.content.decode()
    assert response.context["form"] is None
    assert "Fristen gikk ut" in html
    assert "Låst tekst" in html


def test_board_sees_its_extension(client, branch_setup):
    program = branch_setup["program"]
    program.interest_deadline = timezone.now() - dt.timedelta(days=1)
    program.save()
    InterestDeadlineExtensionFactory(
        program=program,
        branch=branch_setup["branch"],
        deadline=deadline_from_date(timezone.localdate() + dt.timedelta(days=3)),
    )
    client.force_login(branch_setup["board"])
    response = client.get(_reg_url(branch_setup))
    assert response.context["form"] is not None
    assert "Forlenget frist for fylkesavdelingen" in response.content.decode()


# --- leadership ------------------------------------------------------------------------------------------


def test_leadership_creates_and_edits_an_edition_with_default_deadline(client, db):
    client.force_login(_leader())
    form = client.get(reverse("programs:program_create")).context["form"]
    assert form.initial["deadline_date"].month == 9
    assert form.initial["deadline_date"].day == 15
    response = client.post(
        reverse("programs:program_create"),
        {
            "name": "Regionale program 2027–2029",
            "slug": "rp-2027",
            "invitation_text": "Velkommen",
            "deadline_date": "2027-09-15",
            "deadline_time": "",
            "start_semester": "høst 2028",
            "contact_email": "program@example.org",
        },
    )
    program = Program.objects.get(slug="rp-2027")
    assert response.status_code == 302
    assert program.interest_deadline == dt.datetime(2027, 9, 15, 23, 59, tzinfo=OSLO)
    response = client.post(
        reverse("programs:program_update", kwargs={"pk": program.pk}),
        {"name": "Nytt navn", "slug": "rp-2027", "deadline_date": "2027-09-16", "deadline_time": "12:00"},
    )
    program.refresh_from_db()
    assert program.name == "Nytt navn"
    assert program.interest_deadline == dt.datetime(2027, 9, 16, 12, 0, tzinfo=OSLO)
    # one click asks first (and says who gets the invitation); only the confirmation publishes
    page = client.post(reverse("programs:program_publish", kwargs={"pk": program.pk}), {"publish": "1"})
    assert page.status_code == 200
    assert "Invitasjonen sendes nå på e-post" in page.content.decode()
    program.refresh_from_db()
    assert not program.is_published
    client.post(
        reverse("programs:program_publish", kwargs={"pk": program.pk}), {"publish": "1", "confirm": "yes"}
    )
    program.refresh_from_db()
    assert program.is_published
    assert AuditEntry.objects.filter(action="programs.program.published").exists()


def test_unpublish_asks_first(client, db):
    client.force_login(_leader())
    program = ProgramFactory()
    url = reverse("programs:program_publish", kwargs={"pk": program.pk})
    page = client.post(url, {"publish": "0"})
    assert "Avpublisere" in page.content.decode()
    program.refresh_from_db()
    assert program.is_published
    client.post(url, {"publish": "0", "confirm": "yes"})
    program.refresh_from_db()
    assert not program.is_published


def test_editing_refuses_a_deadline_in_the_past_and_keeps_the_reminders(client, db):
    client.force_login(_leader())
    program = ProgramFactory(slug="rp-past")
    before = program.interest_deadline
    response = client.post(
        reverse("programs:program_update", kwargs={"pk": program.pk}),
        {"name": program.name, "slug": "rp-past", "deadline_date": "2020-11-01", "deadline_time": ""},
    )
    assert response.status_code == 200
    assert "Den nye fristen er passert" in " ".join(response.context["form"].errors["deadline_date"])
    program.refresh_from_db()
    assert program.interest_deadline == before


def test_edition_name_with_en_dash_gives_a_slug_with_a_hyphen(client, db):
    client.force_login(_leader())
    client.post(
        reverse("programs:program_create"),
        {
            "name": "Regionale program 2028–2030",
            "slug": "",
            "deadline_date": "2099-09-15",
            "deadline_time": "",
        },
    )
    assert Program.objects.filter(slug="regionale-program-2028-2030").exists()


def test_edition_form_rejects_bad_dates_and_reserved_slug(client, db):
    client.force_login(_leader())
    response = client.post(
        reverse("programs:program_create"),
        {"name": "X", "slug": "ny", "deadline_date": "99999-01-01"},
    )
    assert response.status_code == 200
    assert {"slug", "deadline_date"} <= set(response.context["form"].errors)


def test_board_member_cannot_create_or_edit_editions(client, branch_setup):
    client.force_login(branch_setup["board"])
    assert client.get(reverse("programs:program_create")).status_code == 404
    assert (
        client.get(reverse("programs:program_update", kwargs={"pk": branch_setup["program"].pk})).status_code
        == 404
    )
    assert (
        client.post(
            reverse("programs:program_publish", kwargs={"pk": branch_setup["program"].pk})
        ).status_code
        == 404
    )


def test_temperature_shows_statuses_totals_and_filters(client, branch_setup):
    program = branch_setup["program"]
    InterestRegistrationFactory(
        program=program, branch=branch_setup["branch"], municipalities=branch_setup["members"][:2]
    )
    InterestRegistrationFactory(
        program=program, branch=CountyBranchFactory(name="Norsk kulturskoleråd Nord"), maybe=True
    )
    CountyBranchFactory(name="Norsk kulturskoleråd Sør")
    client.force_login(_leader())
    url = reverse("programs:temperature", kwargs={"pk": program.pk})
    response = client.get(url)
    overview = response.context["overview"]
    assert [(s, c) for s, _l, c in overview.totals] == [("yes", 1), ("maybe", 1), ("no", 0), ("none", 1)]
    html = response.content.decode()
    assert "2 av 3 fylkesavdelinger har svart. 2 medlemskommuner er meldt inn." in html
    assert "Askvoll, Kinn" in html
    assert "Ikke svart" in html  # status in text, not colour only
    filtered = client.get(url, {"status": "none"}).context["overview"]
    assert [r.branch.short_name for r in filtered.rows] == ["Sør"]
    assert client.get(url, {"q": "kinn"}).context["overview"].rows[0].branch == branch_setup["branch"]
    assert client.get(url, {"status": "<script>"}).status_code == 200


def test_leadership_grants_an_extension(client, branch_setup):
    client.force_login(_leader())
    url = reverse(
        "programs:deadline_extend",
        kwargs={"pk": branch_setup["program"].pk, "branch_id": branch_setup["branch"].pk},
    )
    day = (branch_setup["program"].interest_deadline + dt.timedelta(days=7)).date()
    response = client.post(url, {"deadline_date": day.isoformat()})
    assert response.status_code == 302
    ext = branch_setup["branch"].interest_deadline_extensions.get()
    assert ext.deadline == dt.datetime.combine(day, dt.time(23, 59), tzinfo=OSLO)
    too_early = client.post(url, {"deadline_date": "2000-01-01"})
    assert "deadline_date" in too_early.context["form"].errors


def test_leadership_dashboard_links_to_the_temperature(client, branch_setup):
    client.force_login(_leader())
    html = client.get(reverse("accounts:dashboard")).content.decode()
    assert reverse("programs:temperature", kwargs={"pk": branch_setup["program"].pk}) in html
    assert "0 av 1 fylkesavdelinger har svart" in html


# --- dialogue meetings, annual meeting, regional programmes --------------------------------------------


def test_board_requests_and_leadership_schedules_a_dialogue_meeting_with_ics(client, branch_setup):
    program = branch_setup["program"]
    client.force_login(branch_setup["board"])
    response = client.post(
        reverse("programs:dialogue_meeting_request", kwargs={"pk": program.pk}),
        {"topic": "Forankring", "suggested_times": "Tirsdag"},
    )
    assert response.status_code == 302
    meeting = program.dialogue_meetings.get()
    assert meeting.branch == branch_setup["branch"]
    assert (
        client.get(
            reverse("programs:dialogue_meeting_schedule", kwargs={"meeting_id": meeting.pk})
        ).status_code
        == 404
    )

    leader_client = client.__class__()
    leader_client.force_login(_leader())
    day = timezone.localdate() + dt.timedelta(days=10)
    response = leader_client.post(
        reverse("programs:dialogue_meeting_schedule", kwargs={"meeting_id": meeting.pk}),
        {
            "date": day.isoformat(),
            "time": "10:00",
            "duration_minutes": "90",
            "video_link": "https://video.example.org/m",
        },
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == DialogueMeetingStatus.SCHEDULED
    ics = client.get(reverse("programs:dialogue_meeting_calendar", kwargs={"meeting_id": meeting.pk}))
    body = ics.content.decode()
    assert ics["Content-Type"].startswith("text/calendar")
    # Local time with its zone, and the zone's rules in the file, so a client shows 10:00 in Oslo.
    assert f"DTSTART;TZID=Europe/Oslo:{day:%Y%m%d}T100000" in body
    assert f"DTEND;TZID=Europe/Oslo:{day:%Y%m%d}T113000" in body  # 90 minutes
    assert "BEGIN:VTIMEZONE" in body
    assert "TZID:Europe/Oslo" in body
    assert "Forankring" in body
    html = client.get(reverse("accounts:dashboard")).content.decode()
    assert f"{day.day}. " in html
    assert "kl. 10:00" in html


def test_leadership_registers_a_request_for_another_actor(client, branch_setup):
    client.force_login(_leader())
    url = reverse("programs:dialogue_meeting_request", kwargs={"pk": branch_setup["program"].pk})
    empty = client.post(url, {"topic": "Oppstart"})
    assert "requester_name" in empty.context["form"].errors
    assert client.post(url, {"topic": "Oppstart", "requester_name": "Kinn kommune"}).status_code == 302
    assert branch_setup["program"].dialogue_meetings.get().counterpart == "Kinn kommune"


def test_board_records_the_annual_meeting_decision(client, branch_setup):
    client.force_login(branch_setup["board"])
    url = reverse(
        "programs:annual_meeting_decision",
        kwargs={"pk": branch_setup["program"].pk, "branch_id": branch_setup["branch"].pk},
    )
    assert client.post(url, {"meeting_date": "ikke-dato", "participates": "kanskje"}).status_code == 200
    day = timezone.localdate() - dt.timedelta(days=2)
    response = client.post(
        url, {"meeting_date": day.isoformat(), "participates": "true", "comment": "Enstemmig"}
    )
    assert response.status_code == 302
    decision = branch_setup["branch"].annual_meeting_decisions.get()
    assert decision.participates is True
    assert decision.recorded_by == branch_setup["board"]


def test_leadership_creates_a_regional_program_from_confirmed_branches(client, branch_setup):
    program = branch_setup["program"]
    AnnualMeetingDecisionFactory(program=program, branch=branch_setup["branch"])
    second = AnnualMeetingDecisionFactory(program=program).branch
    declined = AnnualMeetingDecisionFactory(program=program, participates=False).branch
    client.force_login(_leader())
    url = reverse("programs:regional_program_list", kwargs={"pk": program.pk})
    choices = list(client.get(url).context["form"].fields["branches"].queryset)
    assert declined not in choices
    response = client.post(url, {"name": "Vest", "branches": [branch_setup["branch"].pk, second.pk]})
    assert response.status_code == 302
    regional = program.regional_programs.get()
    assert set(regional.branches.all()) == {branch_setup["branch"], second}
    window_url = reverse("applications:window", kwargs={"rp_id": regional.pk})
    page = client.get(url).content.decode()
    assert "Neste steg" in page
    assert f'<a href="{window_url}" class="alert-link">Åpne søknadsvinduet</a>' in page
    assert f'<a href="{window_url}"><strong>Vest</strong></a>' in page
    detail = client.get(reverse("programs:program_detail", kwargs={"pk": program.pk})).content.decode()
    assert f'<a href="{window_url}">Vest</a>' in detail
    assert client.get(window_url).status_code == 200
    response = client.post(url, {"name": "Ny", "branches": [declined.pk]})
    assert "branches" in response.context["form"].errors


def test_program_list_for_board_member_hides_unpublished(client, branch_setup):
    ProgramFactory(unpublished=True, name="Hemmelig periode")
    client.force_login(branch_setup["board"])
    html = client.get(reverse("programs:program_list")).content.decode()
    assert branch_setup["program"].name in html
    assert "Hemmelig periode" not in html


def test_unknown_export_format_is_404(client, branch_setup):
    client.force_login(_leader())
    url = reverse("programs:temperature_export", kwargs={"pk": branch_setup["program"].pk, "fmt": "pdf"})
    assert client.get(url).status_code == 404


def test_leadership_reads_a_registration_with_its_history_but_cannot_edit(client, branch_setup):
    board_client = client.__class__()
    board_client.force_login(branch_setup["board"])
    board_client.post(_reg_url(branch_setup), _form_data(branch_setup))
    board_client.post(_reg_url(branch_setup), _form_data(branch_setup, level="maybe", version="1"))
    client.force_login(_leader())
    response = client.get(_reg_url(branch_setup))
    html = response.content.decode()
    assert response.context["form"] is None
    assert "Kanskje, vi vil vite mer" in html
    assert "Gi fylkesavdelingen ny frist" in html
    assert response.context["registration"].version == 2
    history = response.context["log_entries"]
    assert [e.action for e in history] == [
        "programs.interest_registration.updated",
        "programs.interest_registration.created",
    ]
    assert 'data-testid="registration-history"' in html
    assert client.post(_reg_url(branch_setup), _form_data(branch_setup, version="2")).status_code == 404
    # The board does not see the audit history.
    assert (
        'data-testid="registration-history"' not in board_client.get(_reg_url(branch_setup)).content.decode()
    )


def test_huge_ids_in_urls_are_404_not_500(client, branch_setup):
    client.force_login(_leader())
    huge = 10**30
    for url in [
        f"/program/{huge}/",
        f"/program/{branch_setup['program'].pk}/fylkesavdeling/{huge}/interessemelding/",
        f"/program/{huge}/temperaturmaling/",
        f"/program/dialogmoter/{huge}/kalender.ics",
    ]:
        assert client.get(url).status_code == 404, url


def test_public_timeline_lists_the_regions_application_deadlines(client, db):
    from tests.factories import RegionalProgramFactory

    program = ProgramFactory(slug="rp-tidslinje")
    RegionalProgramFactory(
        program=program, name="Vestland", application_deadline=dt.datetime(2027, 1, 31, 23, 59, tzinfo=OSLO)
    )
    html = client.get(reverse("programs:program_public", kwargs={"slug": program.slug})).content.decode()
    assert "Søknadsfrist for kommunene i Vestland" in html
    assert "31. januar 2027 kl. 23:59" in html


def test_menu_entry_per_role(client, branch_setup):
    client.force_login(branch_setup["board"])
    html = client.get(reverse("programs:program_list")).content.decode()
    assert 'aria-current="page" href="/program/">Interessemelding</a>' in html
    client.force_login(_leader())
    assert ">Programperioder</a>" in client.get(reverse("accounts:dashboard")).content.decode()
    client.force_login(municipal_contact(branch_setup["members"][0], full_name="Kari Kommune"))
    html = client.get(reverse("accounts:dashboard")).content.decode()
    assert ">Programperioder</a>" not in html
    assert ">Interessemelding</a>" not in html


# --- absurd dates, phone numbers, short names ----------------------------------------------------------------


def test_dialogue_meeting_in_the_past_is_refused_and_no_invitation_is_sent(
    client, branch_setup, django_capture_on_commit_callbacks
):
    meeting = DialogueMeetingFactory(program=branch_setup["program"], branch=branch_setup["branch"])
    client.force_login(_leader())
    url = reverse("programs:dialogue_meeting_schedule", kwargs={"meeting_id": meeting.pk})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"date": "2020-01-01", "time": "10:00", "duration_minutes": "60", "location": "Førde"}
        )
    assert response.status_code == 200
    assert "Dialogmøtet må være fram i tid" in response.content.decode()
    assert "date" in response.context["form"].errors
    meeting.refresh_from_db()
    assert meeting.status == DialogueMeetingStatus.REQUESTED
    assert mail.outbox == []
    for year in ("0001", "9999"):
        response = client.post(
            url, {"date": f"{year}-06-01", "time": "10:00", "duration_minutes": "60", "location": "Førde"}
        )
        assert response.status_code == 200
        assert "date" in response.context["form"].errors


def test_service_refuses_a_past_dialogue_meeting(branch_setup):
    from django.core.exceptions import ValidationError

    from programs import services

    meeting = DialogueMeetingFactory(program=branch_setup["program"], branch=branch_setup["branch"])
    with pytest.raises(ValidationError) as exc:
        services.dialogue_meeting_schedule(
            actor=_leader(),
            meeting=meeting,
            starts_at=timezone.now() - dt.timedelta(days=1),
            duration_minutes=60,
            location="Førde",
        )
    assert "starts_at" in exc.value.message_dict


def test_deadline_extension_must_be_after_the_deadline_and_within_a_year(client, branch_setup):
    program = branch_setup["program"]
    client.force_login(_leader())
    url = reverse(
        "programs:deadline_extend", kwargs={"pk": program.pk, "branch_id": branch_setup["branch"].pk}
    )
    deadline_day = timezone.localtime(program.interest_deadline, OSLO).date()
    for day, message in [
        ("2099-01-01", "høyst ett år"),
        ((deadline_day - dt.timedelta(days=1)).isoformat(), "etter programperiodens frist"),
        ("0001-01-01", "mellom 2000 og 2100"),
    ]:
        response = client.post(url, {"deadline_date": day, "deadline_time": "12:00"})
        assert response.status_code == 200, day
        assert message in str(response.context["form"].errors["deadline_date"]), day
    assert not AuditEntry.objects.filter(action="programs.interest_deadline_extension.granted").exists()
    ok = (deadline_day + dt.timedelta(days=14)).isoformat()
    assert client.post(url, {"deadline_date": ok, "deadline_time": "12:00"}).status_code == 302
    assert AuditEntry.objects.filter(action="programs.interest_deadline_extension.granted").count() == 1


def test_annual_meeting_before_the_interest_deadline_gives_a_warning(client, branch_setup):
    client.force_login(branch_setup["board"])
    url = reverse(
        "programs:annual_meeting_decision",
        kwargs={"pk": branch_setup["program"].pk, "branch_id": branch_setup["branch"].pk},
    )
    response = client.post(url, {"meeting_date": "2020-03-01", "participates": "true"}, follow=True)
    html = response.content.decode()
    assert "Årsmøtets vedtak er registrert" in html
    assert "er før fristen for interessemelding" in html
    assert client.post(url, {"meeting_date": "9999-03-01", "participates": "true"}).status_code == 200


def test_interest_form_rejects_a_phone_number_with_letters(client, branch_setup):
    client.force_login(branch_setup["board"])
    response = client.post(_reg_url(branch_setup), _form_data(branch_setup, contact_phone="abcdefg"))
    assert response.status_code == 200
    assert "Oppgi et gyldig telefonnummer" in str(response.context["form"].errors["contact_phone"])
    assert not InterestRegistration.objects.exists()
    response = client.post(_reg_url(branch_setup), _form_data(branch_setup, contact_phone="+47 (912) 34-567"))
    assert response.status_code == 302
    assert InterestRegistration.objects.get().contact_phone == "+47 (912) 34-567"


def test_edition_short_name_is_made_from_the_name_and_errors_are_norwegian(client, db):
    client.force_login(_leader())
    url = reverse("programs:program_create")
    bad = client.post(url, {"name": "X", "slug": "ikke gyldig!", "deadline_date": "2027-09-15"})
    errors = str(bad.context["form"].errors["slug"])
    assert "Kortnavnet kan bare inneholde små bokstaver, tall og bindestrek" in errors
    assert "slug" not in errors.replace('id="id_slug', "")
    response = client.post(url, {"name": "Regionale program 2027", "slug": "", "deadline_date": "2027-09-15"})
    assert response.status_code == 302
    assert Program.objects.get().slug == "regionale-program-2027"


def test_long_text_shows_its_limit_and_is_refused_not_cut(client, db):
    client.force_login(_leader())
    url = reverse("programs:program_create")
    page = client.get(url).content.decode()
    assert "Maks 20\u00a0000 tegn" in page
    assert 'maxlength="20000"' not in page  # the browser would cut pasted text silently
    response = client.post(
        url,
        {"name": "Lang", "slug": "lang", "deadline_date": "2027-09-15", "invitation_text": "x" * 20001},
    )
    assert response.status_code == 200
    assert "Teksten er for lang: maks 20000 tegn, du har skrevet 20001" in str(
        response.context["form"].errors["invitation_text"]
    )
    assert response.context["form"]["invitation_text"].value() == "x" * 20001
    assert not Program.objects.exists()


def test_interest_form_lists_the_chosen_municipalities_outside_the_scroll_box(client, branch_setup):
    client.force_login(branch_setup["board"])
    empty = client.get(_reg_url(branch_setup)).content.decode()
    assert 'id="municipality-chosen-none">' in empty  # «ingen ennå» visible
    data = _form_data(branch_setup, contact_email="ikke-epost")  # invalid: the page comes back
    html = client.post(_reg_url(branch_setup), data).content.decode()
    chosen = html.split('id="municipality-chosen-list">')[1].split("</ul>")[0]
    assert "Askvoll" in chosen
    assert "Kinn" in chosen
    assert "Sunnfjord" not in chosen
    assert 'id="municipality-chosen-none" hidden>' in html


def test_new_edition_needs_a_future_interest_deadline(client, db):
    client.force_login(_leader())
    url = reverse("programs:program_create")
    response = client.post(url, {"name": "Gammel", "deadline_date": "2020-09-15"})
    assert response.status_code == 200
    assert "må være fram i tid" in str(response.context["form"].errors["deadline_date"])
    response = client.post(url, {"name": "Rar", "deadline_date": "9999-09-15"})
    assert "mellom 2000 og 2100" in str(response.context["form"].errors["deadline_date"])
    assert not Program.objects.exists()


def test_a_held_dialogue_meeting_can_still_be_corrected(client, branch_setup):
    held = timezone.now().astimezone(OSLO).replace(second=0, microsecond=0) - dt.timedelta(days=3)
    meeting = DialogueMeetingFactory(
        program=branch_setup["program"], branch=branch_setup["branch"], scheduled=True, starts_at=held
    )
    client.force_login(_leader())
    url = reverse("programs:dialogue_meeting_schedule", kwargs={"meeting_id": meeting.pk})
    data = {
        "date": held.date().isoformat(),
        "time": held.strftime("%H:%M"),
        "duration_minutes": "60",
        "location": "Førde",
        "participants": "Liv Leder, Stian Styre",
    }
    assert client.post(url, data).status_code == 302
    meeting.refresh_from_db()
    assert meeting.participants == "Liv Leder, Stian Styre"
    moved = {**data, "date": (held - dt.timedelta(days=1)).date().isoformat()}
    assert "date" in client.post(url, moved).context["form"].errors
