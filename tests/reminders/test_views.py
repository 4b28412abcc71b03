"""Leadership's reminder pages: scope (anonymous → login, others → 404), what leadership sees and does."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from reminders import services
from reminders.models import Delivery, DeliveryState, OccasionSetting
from tests.factories import (
    CountyBranchFactory,
    MunicipalityFactory,
    ProgramFactory,
    UserFactory,
    board_member,
)
from tests.reminders.factories import DeliveryFactory
from tests.reminders.occasions import CODE

pytestmark = pytest.mark.django_db


@pytest.fixture
def leader(client):
    user = UserFactory(leadership=True, full_name="Lea Leder")
    client.force_login(user)
    return user


@pytest.fixture
def outsider(client):
    user = board_member(CountyBranchFactory(), full_name="Styre Medlem")
    client.force_login(user)
    return user


def _urls(delivery, program):
    return {
        "list": ("get", reverse("reminders:delivery_list")),
        "resend": ("post", reverse("reminders:delivery_resend", args=[delivery.pk])),
        "cancel": ("post", reverse("reminders:delivery_cancel", args=[delivery.pk])),
        "edit": ("get", reverse("reminders:occasion_setting_edit", args=[program.pk, CODE])),
        "pause": ("post", reverse("reminders:occasion_pause", args=[program.pk, CODE])),
    }


@pytest.mark.usefixtures("test_occasion")
def test_anonymous_is_sent_to_login(client):
    delivery, program = DeliveryFactory(), ProgramFactory()
    for method, url in _urls(delivery, program).values():
        response = getattr(client, method)(url)
        assert response.status_code == 302
        assert "/logg-inn/" in response.url


@pytest.mark.usefixtures("test_occasion")
def test_other_roles_get_404_and_change_nothing(client, outsider):
    delivery, program = DeliveryFactory(planned_at=timezone.now() + dt.timedelta(days=1)), ProgramFactory()
    for method, url in _urls(delivery, program).values():
        assert getattr(client, method)(url).status_code == 404
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.PLANNED
    assert not AuditEntry.objects.exists()


def test_leadership_sees_upcoming_failing_and_sent(client, leader):
    DeliveryFactory(recipient_email="kommende@example.org", planned_at=timezone.now() + dt.timedelta(days=2))
    DeliveryFactory(
        failed=True, recipient_email="feil@example.org", last_error="SMTPRecipientsRefused: 550 ukjent"
    )
    DeliveryFactory(sent=True, recipient_email="sendt@example.org")
    url = reverse("reminders:delivery_list")

    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "kommende@example.org" in html
    assert html.count("<h1") == 1
    assert "1 e-post har feilet." in html  # failures are announced on every tab but their own

    failing = client.get(url, {"vis": "feilet"}).content.decode()
    assert "feil@example.org" in failing
    assert "kjenner ikke adressen" in failing  # what went wrong, for a person
    assert "550 ukjent" in failing  # and the server's own words beside it
    assert "kommende@example.org" not in failing
    assert "sendt@example.org" in client.get(url, {"vis": "sendt"}).content.decode()


def test_the_list_finds_a_recipient_and_pages_through_many(client, leader):
    for i in range(60):
        DeliveryFactory(
            recipient_email=f"kommune{i:02d}@example.org",
            recipient_name=f"Kommune {i:02d}",
            planned_at=timezone.now() + dt.timedelta(days=1, minutes=i),
        )
    url = reverse("reminders:delivery_list")
    first = client.get(url).content.decode()
    assert "kommune00@example.org" in first
    assert "kommune55@example.org" not in first
    assert "Side 1 av 2" in first
    second = client.get(url, {"side": "2"}).content.decode()
    assert "kommune55@example.org" in second
    assert "kommune00@example.org" not in second
    # nonsense page numbers and odd search text give a page, never an error
    for params in ({"side": "x"}, {"side": "-3"}, {"side": "99"}, {"q": "\x00<b>'"}, {"vis": "alt"}):
        assert client.get(url, params).status_code == 200

    found = client.get(url, {"q": "Kommune 07"}).content.decode()
    assert "kommune07@example.org" in found
    assert "kommune08@example.org" not in found
    assert "Ingen treff på «ingen-slik»" in client.get(url, {"q": "ingen-slik"}).content.decode()


def test_an_action_returns_to_the_same_tab_search_and_page(client, leader):
    row = DeliveryFactory(
        recipient_email="kari@example.org", planned_at=timezone.now() + dt.timedelta(days=3)
    )
    here = reverse("reminders:delivery_list") + "?q=kari&vis=kommende&side=1"
    response = client.post(reverse("reminders:delivery_cancel", args=[row.pk]), {"next": here})
    assert response.url == here
    # a foreign address is never followed
    response = client.post(
        reverse("reminders:delivery_restore", args=[row.pk]), {"next": "https://evil.example/"}
    )
    assert response.url == reverse("reminders:delivery_list")


def test_a_cancelled_reminder_can_be_restored_to_its_time(client, leader):
    when = timezone.now() + dt.timedelta(days=3)
    row = DeliveryFactory(recipient_email="kari@example.org", planned_at=when, next_attempt_at=when)
    client.post(reverse("reminders:delivery_cancel", args=[row.pk]))
    page = client.get(reverse("reminders:delivery_list"), {"vis": "ikke-sendt"}).content.decode()
    assert "Avbrutt av programledelsen" in page
    assert "Avbrutt – Avbrutt" not in page
    assert "Gjenopprett" in page

    response = client.post(reverse("reminders:delivery_restore", args=[row.pk]), follow=True)
    assert "er planlagt igjen" in response.content.decode()
    row.refresh_from_db()
    assert row.state == DeliveryState.PLANNED
    assert row.next_attempt_at == when
    assert AuditEntry.objects.filter(action="reminders.delivery.restored", actor=leader).count() == 1
    # restoring what is not cancelled by leadership is refused with a message, not an error
    response = client.post(reverse("reminders:delivery_restore", args=[row.pk]), follow=True)
    assert "kan gjenopprettes" in response.content.decode()


def test_sending_again_while_paused_is_refused_and_says_why(client, leader, test_occasion):
    program = ProgramFactory()
    row = DeliveryFactory(program=program, occasion=CODE, failed=True)
    services.occasion_pause(actor=leader, program=program, occasion=test_occasion, paused=True)
    page = client.get(reverse("reminders:delivery_list"), {"vis": "feilet"}).content.decode()
    assert "På pause" in page
    response = client.post(reverse("reminders:delivery_resend", args=[row.pk]), follow=True)
    assert "er satt på pause" in response.content.decode()
    row.refresh_from_db()
    assert row.state == DeliveryState.FAILED


def test_a_resend_is_a_new_email_with_its_own_message_id(leader, django_capture_on_commit_callbacks):
    from django.core import mail

    row = DeliveryFactory()
    services.deliveries_send(delivery_ids=[row.pk])
    with django_capture_on_commit_callbacks(execute=True):
        services.delivery_resend(actor=leader, delivery=row)
    with django_capture_on_commit_callbacks(execute=True):
        services.delivery_resend(actor=leader, delivery=row)
    ids = [m.extra_headers["Message-ID"] for m in mail.outbox]
    assert len(ids) == 3
    assert len(set(ids)) == 3


def test_the_planner_leaves_a_resent_reminder_alone(
    leader, test_occasion, django_capture_on_commit_callbacks
):
    program = ProgramFactory(interest_deadline=timezone.now() + dt.timedelta(days=20))
    MunicipalityFactory(email="post@sunnfjord.example.org")
    services.deliveries_plan()
    row = Delivery.objects.get(program=program, key__endswith=":d14")
    services.delivery_cancel(actor=leader, delivery=row)
    with django_capture_on_commit_callbacks(execute=False):  # the send task has not run yet
        services.delivery_resend(actor=leader, delivery=row)
    services.deliveries_plan()
    row.refresh_from_db()
    assert row.state == DeliveryState.PLANNED
    assert row.next_attempt_at <= timezone.now()  # still "now", not moved back to its planned day


def test_non_numeric_or_unknown_program_filter_gives_404(client, leader):
    assert client.get(reverse("reminders:delivery_list"), {"program": "x'"}).status_code == 404
    assert client.get(reverse("reminders:delivery_list"), {"program": "²"}).status_code == 404
    assert client.get(reverse("reminders:delivery_list"), {"program": "9" * 40}).status_code == 404
    assert client.get(reverse("reminders:delivery_list"), {"program": "999999"}).status_code == 404


def test_resend_and_cancel_from_the_page(client, leader, django_capture_on_commit_callbacks):
    failed = DeliveryFactory(failed=True)
    upcoming = DeliveryFactory(planned_at=timezone.now() + dt.timedelta(days=2))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reminders:delivery_resend", args=[failed.pk]))
    assert response.status_code == 302
    client.post(reverse("reminders:delivery_cancel", args=[upcoming.pk]))
    failed.refresh_from_db()
    upcoming.refresh_from_db()
    assert failed.state == DeliveryState.SENT
    assert upcoming.state == DeliveryState.CANCELLED
    assert set(AuditEntry.objects.values_list("action", "actor")) == {
        ("reminders.delivery.resent", leader.pk),
        ("reminders.delivery.cancelled", leader.pk),
    }
    # cancelling it again is a domain error shown as a message, not a 500
    response = client.post(reverse("reminders:delivery_cancel", args=[upcoming.pk]), follow=True)
    assert "Bare planlagte påminnelser kan avbrytes" in response.content.decode()


def test_pause_and_resume_an_occasion(client, leader, test_occasion):
    program = ProgramFactory()
    url = reverse("reminders:occasion_pause", args=[program.pk, CODE])
    client.post(url, {"paused": "1"})
    assert OccasionSetting.objects.get(program=program, occasion=CODE).paused is True
    page = client.get(reverse("reminders:delivery_list"), {"program": program.pk}).content.decode()
    assert "På pause" in page
    client.post(url, {"paused": "0"})
    assert OccasionSetting.objects.get(program=program, occasion=CODE).paused is False


def test_unknown_occasion_is_404(client, leader):
    program = ProgramFactory()
    assert (
        client.get(reverse("reminders:occasion_setting_edit", args=[program.pk, "finnes.ikke"])).status_code
        == 404
    )


def test_edit_shows_a_preview_on_real_data_and_saves(client, leader, test_occasion):
    program = ProgramFactory(interest_deadline=dt.datetime(2030, 9, 15, 21, 59, tzinfo=dt.UTC))
    MunicipalityFactory(email="post@sunnfjord.example.org", name="Sunnfjord")
    services.deliveries_plan(now=dt.datetime(2030, 8, 1, tzinfo=dt.UTC))
    url = reverse("reminders:occasion_setting_edit", args=[program.pk, CODE])

    page = client.get(url).content.decode()
    assert "post@sunnfjord.example.org" in page
    assert "15. september 2030 kl. 23:59" in page

    preview = client.post(
        url,
        {
            "offsets_days": "14, 3, 1",
            "subject_override": "Husk fristen {frist}, {navn}",
            "body_override": "",
            "preview": "1",
        },
    ).content.decode()
    assert "Husk fristen 15. september 2030 kl. 23:59, Sunnfjord" in preview
    assert OccasionSetting.objects.filter(program=program).count() == 0  # a preview saves nothing

    response = client.post(
        url, {"offsets_days": "10; 2", "subject_override": "", "body_override": "Hei {navn}!"}
    )
    assert response.status_code == 302
    setting = OccasionSetting.objects.get(program=program, occasion=CODE)
    assert setting.offsets_days == [10, 2]
    assert sorted(
        k.rsplit(":", 1)[1]
        for k in Delivery.objects.filter(state=DeliveryState.PLANNED).values_list("key", flat=True)
    ) == ["d10", "d2"]


@pytest.mark.parametrize(
    ("data", "field_error"),
    [
        ({"offsets_days": "fjorten"}, "er ikke et helt tall"),
        ({"offsets_days": "-1"}, "er ikke et helt tall"),
        ({"offsets_days": "14", "subject_override": "Hei {ukjent}"}, "Ukjent felt"),
        ({"offsets_days": "14", "subject_override": "Husk fristen {navn:x}"}, "Ukjent felt: {navn:x}"),
        ({"offsets_days": "14", "body_override": "Husk { fristen"}, "brukes bare rundt et felt"),
        ({"offsets_days": "²"}, "er ikke et helt tall"),
        ({"offsets_days": "14, ³, 1"}, "er ikke et helt tall"),
        ({"offsets_days": "14", "body_override": "x" * 5000}, "maks 4000 tegn, du har skrevet 5000"),
        ({"offsets_days": "14", "subject_override": "y" * 250}, "maks 200 tegn, du har skrevet 250"),
        ({"offsets_days": ""}, "Feltet er påkrevet"),
    ],
)
def test_invalid_settings_are_field_errors_with_the_input_kept(
    client, leader, test_occasion, data, field_error
):
    program = ProgramFactory()
    url = reverse("reminders:occasion_setting_edit", args=[program.pk, CODE])
    response = client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert field_error in html
    if data["offsets_days"]:
        assert data["offsets_days"] in html
    assert 'maxlength="200"' not in html  # the browser does not cut what is typed or pasted
    assert 'maxlength="4000"' not in html
    assert not OccasionSetting.objects.exists()


def _list_queries(client, django_assert_num_queries, program=None):
    params = {"program": program.pk} if program else {}
    with django_assert_num_queries(10 if program else 8):  # the same for 1 row and for 120
        assert client.get(reverse("reminders:delivery_list"), params).status_code == 200


@pytest.mark.usefixtures("test_occasion")
def test_list_query_count_does_not_grow_with_rows(client, leader, django_assert_num_queries):
    program = ProgramFactory()
    DeliveryFactory(program=program)
    _list_queries(client, django_assert_num_queries)
    _list_queries(client, django_assert_num_queries, program)
    for i in range(30):
        DeliveryFactory(program=program, planned_at=timezone.now() + dt.timedelta(days=i))
        DeliveryFactory(program=program, failed=True)
        DeliveryFactory(program=ProgramFactory(), sent=True)
        DeliveryFactory(program=program, state=DeliveryState.SKIPPED)
    _list_queries(client, django_assert_num_queries)
    _list_queries(client, django_assert_num_queries, program)


def test_dashboard_panel_for_leadership_only(client, leader):
    DeliveryFactory(failed=True)
    html = client.get(reverse("accounts:dashboard")).content.decode()
    assert "Se alle påminnelser" in html
    assert "1 feilet" in html
    assert reverse("reminders:delivery_list") in html


def test_dashboard_panel_counts_the_week_the_failures_the_retries_and_the_sent(client, leader):
    soon = timezone.now() + dt.timedelta(days=2)
    for _ in range(2):
        DeliveryFactory(planned_at=soon)
    DeliveryFactory(planned_at=timezone.now() + dt.timedelta(days=10))  # beyond the week
    DeliveryFactory(
        planned_at=soon, attempts=2, last_error="SMTPConnectError: nede"
    )  # retried, within the week
    for _ in range(3):
        DeliveryFactory(failed=True)
    for _ in range(4):
        DeliveryFactory(sent=True)
    DeliveryFactory(sent=True, sent_at=timezone.now() - dt.timedelta(days=8))  # before the week
    DeliveryFactory(state=DeliveryState.CANCELLED)
    html = client.get(reverse("accounts:dashboard")).content.decode()
    assert "3 planlagt de neste sju dagene" in html
    assert "3 feilet, 1 prøves igjen" in html
    assert "4 sendt de siste sju dagene" in html


def test_dashboard_panel_hidden_for_others(client, outsider):
    html = client.get(reverse("accounts:dashboard")).content.decode()
    assert "Se alle påminnelser" not in html


def test_a_setting_stored_with_odd_braces_still_opens_previews_and_sends(client, leader, test_occasion):
    """Texts saved before braces were checked this strictly must not lock leadership out or stop sending."""
    from django.core import mail

    from tests.reminders.factories import OccasionSettingFactory

    program = ProgramFactory(interest_deadline=timezone.now() + dt.timedelta(days=2, hours=12))
    MunicipalityFactory(email="post@sunnfjord.example.org", name="Sunnfjord")
    OccasionSettingFactory(program=program, occasion=CODE, subject_override="Husk {navn:x} {0} {")
    services.deliveries_plan()
    url = reverse("reminders:occasion_setting_edit", args=[program.pk, CODE])

    page = client.get(url)
    assert page.status_code == 200
    assert "Husk {navn:x} {0} {" in page.content.decode()

    due = Delivery.objects.get(program=program, key__endswith=":d3")
    stats = services.deliveries_send(delivery_ids=[due.pk])
    assert stats.sent == 1
    assert mail.outbox[0].subject == "Husk {navn:x} {0} {"


def test_the_preview_shows_typed_html_as_text_and_the_mail_in_a_sandbox(client, leader, test_occasion):
    program = ProgramFactory(interest_deadline=dt.datetime(2030, 9, 15, 21, 59, tzinfo=dt.UTC))
    MunicipalityFactory(email="post@sunnfjord.example.org", name="Sunnfjord <b>fet</b>")
    services.deliveries_plan(now=dt.datetime(2030, 8, 1, tzinfo=dt.UTC))
    url = reverse("reminders:occasion_setting_edit", args=[program.pk, CODE])
    attack = 'Test <img src=x onerror="document.title=1">'
    html = client.post(
        url, {"offsets_days": "14", "subject_override": "", "body_override": attack, "preview": "1"}
    ).content.decode()
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=" in html  # in the plain-text version, as text
    assert "<b>fet</b>" not in html
    assert 'sandbox=""' in html  # the HTML version runs no script even if something slipped through


def test_the_settings_page_says_when_reminders_go_and_whether_paused(client, leader, test_occasion):
    program = ProgramFactory(interest_deadline=dt.datetime(2030, 9, 15, 21, 59, tzinfo=dt.UTC))
    ProgramFactory(interest_deadline=dt.datetime(2030, 10, 1, 21, 59, tzinfo=dt.UTC))
    MunicipalityFactory(email="post@sunnfjord.example.org", name="Sunnfjord")
    services.deliveries_plan(now=dt.datetime(2030, 8, 1, tzinfo=dt.UTC))
    url = reverse("reminders:occasion_setting_edit", args=[program.pk, CODE])

    html = client.post(
        url, {"offsets_days": "10, 2", "subject_override": "", "body_override": "", "preview": "1"}
    ).content.decode()
    assert "Frist 15. september 2030 kl. 23:59" in html
    assert "5. september 2030 kl. 08:00; 13. september 2030 kl. 08:00" in html
    assert "Frist 1. oktober 2030" not in html  # another edition's deadline is not this page's
    assert "satt på pause" not in html

    services.occasion_pause(actor=leader, program=program, occasion=test_occasion, paused=True)
    assert "satt på pause" in client.get(url).content.decode()


def test_the_preview_prefers_a_planned_recipient(client, leader, test_occasion):
    program = ProgramFactory(interest_deadline=dt.datetime(2030, 9, 15, 21, 59, tzinfo=dt.UTC))
    first = MunicipalityFactory(email="a-avbrutt@example.org", name="Avbrutt kommune")
    MunicipalityFactory(email="b-planlagt@example.org", name="Planlagt kommune")
    services.deliveries_plan(now=dt.datetime(2030, 8, 1, tzinfo=dt.UTC))
    Delivery.objects.filter(recipient_email=first.email).update(state=DeliveryState.CANCELLED)
    url = reverse("reminders:occasion_setting_edit", args=[program.pk, CODE])
    html = client.get(url).content.decode()
    assert "Slik blir e-posten til b-planlagt@example.org" in html


def test_the_preview_costs_the_same_however_many_candidates_are_skipped(
    client, leader, test_occasion, django_assert_max_num_queries
):
    program = ProgramFactory(interest_deadline=dt.datetime(2030, 9, 15, 21, 59, tzinfo=dt.UTC))
    for i in range(15):
        MunicipalityFactory(email=f"k{i:02d}@example.org")
    services.deliveries_plan(now=dt.datetime(2030, 8, 1, tzinfo=dt.UTC))
    # all but the last have left the membership: the test occasion skips them at prepare time
    from municipalities.models import Municipality

    Municipality.objects.exclude(email="k14@example.org").update(is_member=False)
    url = reverse("reminders:occasion_setting_edit", args=[program.pk, CODE])
    with django_assert_max_num_queries(20):
        html = client.get(url).content.decode()
    assert "Slik blir e-posten til k14@example.org" in html


def test_an_old_invitation_or_password_link_is_not_sent_again(client, leader):
    from accounts.models import Invitation

    row = DeliveryFactory(occasion="accounts.invitation", key="invitation:999999:abc", sent=True)
    response = client.post(reverse("reminders:delivery_resend", args=[row.pk]), follow=True)
    assert "Send en ny invitasjon fra Personer" in response.content.decode()
    row.refresh_from_db()
    assert row.state == DeliveryState.SENT
    reset = DeliveryFactory(occasion="accounts.password_reset", key="reset:x:y", sent=True)
    response = client.post(reverse("reminders:delivery_resend", args=[reset.pk]), follow=True)
    assert "Glemt passord" in response.content.decode()
    assert not Invitation.objects.exists()


def test_a_waiting_invitation_can_be_sent_again_and_a_used_one_cannot(
    client, leader, django_capture_on_commit_callbacks
):
    from django.core import mail

    from accounts import services as accounts
    from accounts.models import Role

    with django_capture_on_commit_callbacks(execute=True):
        invitation = accounts.invitation_create(
            actor=leader, email="ny@example.org", full_name="Nora Ny", role=Role.ADVISOR
        )
    row = Delivery.objects.get(occasion="accounts.invitation", recipient_email="ny@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reminders:delivery_resend", args=[row.pk]), follow=True)
    assert "sendes nå" in response.content.decode()
    assert len(mail.outbox) == 2  # the same link again, while it still works

    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    response = client.post(reverse("reminders:delivery_resend", args=[row.pk]), follow=True)
    assert "Send en ny invitasjon fra Personer" in response.content.decode()
    assert len(mail.outbox) == 2


def _row_html(html: str, email: str) -> str:
    return next(tr for tr in re.findall(r'<tr role="row">.*?</tr>', html, flags=re.DOTALL) if email in tr)


def test_send_now_is_offered_only_where_the_reminder_still_applies(
    client, leader, test_occasion, django_capture_on_commit_callbacks
):
    ProgramFactory(interest_deadline=timezone.now() + dt.timedelta(days=30))
    leaving = MunicipalityFactory(email="post@utmeldt.example.org", is_member=True)
    staying = MunicipalityFactory(email="post@medlem.example.org", is_member=True)
    services.deliveries_plan(codes=[CODE])
    Delivery.objects.filter(occasion=CODE, recipient_email=leaving.email).update(state=DeliveryState.SKIPPED)
    Delivery.objects.filter(occasion=CODE, recipient_email=staying.email).update(state=DeliveryState.MISSED)
    leaving.is_member = False  # the worker's check (the occasion's prepare) now says: no longer applies
    leaving.save()

    html = client.get(reverse("reminders:delivery_list"), {"vis": "ikke-sendt"}).content.decode()
    skipped = _row_html(html, leaving.email)
    assert "Hoppet over" in skipped
    assert str(services.NO_LONGER_APPLIES) in skipped
    assert "Send nå" not in skipped
    assert "Send nå" in _row_html(html, staying.email)

    row = Delivery.objects.filter(recipient_email=leaving.email).first()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reminders:delivery_resend", args=[row.pk]), follow=True)
    assert str(services.NO_LONGER_APPLIES) in response.content.decode()
    assert f"E-posten til {leaving.email} sendes nå" not in response.content.decode()
    assert Delivery.objects.get(pk=row.pk).state == DeliveryState.SKIPPED


def test_send_again_is_not_offered_for_a_link_that_no_longer_works(client, leader):
    old_link = DeliveryFactory(occasion="accounts.invitation", key="invitation:999999:abc", sent=True)
    other = DeliveryFactory(occasion="accounts.role_added", sent=True)
    html = client.get(reverse("reminders:delivery_list"), {"vis": "sendt"}).content.decode()
    sent = _row_html(html, old_link.recipient_email)
    assert "Send på nytt" not in sent
    # a sent row is not «Kan ikke sendes nå» (that is for rows never sent): it is not sent again, and why
    assert "Sendes ikke på nytt: Invitasjonen er allerede tatt i bruk" in sent
    assert "Send på nytt" in _row_html(html, other.recipient_email)


def test_the_preview_frame_is_the_mail_as_sent_with_its_own_policy_and_the_page_keeps_the_sites(
    client, leader, test_occasion
):
    """The mail's inline styles are allowed in the frame's own response only: the settings page itself keeps the
    site's policy (no inline style), and the frame holds the HTML mail as it is sent, not a copy in srcdoc."""
    program = ProgramFactory(interest_deadline=dt.datetime(2030, 9, 15, 21, 59, tzinfo=dt.UTC))
    MunicipalityFactory(email="post@sunnfjord.example.org", name="Sunnfjord")
    services.deliveries_plan(now=dt.datetime(2030, 8, 1, tzinfo=dt.UTC))
    url = reverse("reminders:occasion_setting_edit", args=[program.pk, CODE])
    mail_url = reverse("reminders:occasion_preview_mail", args=[program.pk, CODE])

    page = client.get(url)
    policy = page["Content-Security-Policy"]
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert page["X-Frame-Options"] == "DENY"
    html = page.content.decode()
    assert "srcdoc" not in html
    assert f'sandbox="" title="Forhåndsvisning av e-posten" src="{mail_url}"' in html

    frame = client.get(mail_url)
    assert frame.status_code == 200
    assert frame["Content-Type"] == "text/html; charset=utf-8"
    frame_policy = frame["Content-Security-Policy"]
    assert "style-src 'unsafe-inline'" in frame_policy
    assert "default-src 'none'" in frame_policy
    assert "frame-ancestors 'self'" in frame_policy
    assert "sandbox" in frame_policy
    assert "script-src" not in frame_policy  # falls back to default-src 'none': no script at all
    assert frame["X-Frame-Options"] == "SAMEORIGIN"
    body = frame.content.decode()
    assert "Sunnfjord har frist 15. september 2030 kl. 23:59" in body
    from reminders.occasions import OccasionConfig

    as_sent = services.occasion_preview(occasion=test_occasion, program=program, config=OccasionConfig())
    assert body == as_sent.html


def test_the_preview_frame_shows_the_text_being_previewed_before_it_is_saved(client, leader, test_occasion):
    program = ProgramFactory(interest_deadline=dt.datetime(2030, 9, 15, 21, 59, tzinfo=dt.UTC))
    MunicipalityFactory(email="post@sunnfjord.example.org", name="Sunnfjord")
    services.deliveries_plan(now=dt.datetime(2030, 8, 1, tzinfo=dt.UTC))
    url = reverse("reminders:occasion_setting_edit", args=[program.pk, CODE])
    page = client.post(
        url,
        {"offsets_days": "14", "subject_override": "", "body_override": "Kjære {navn} & co", "preview": "1"},
    )
    src = re.search(r'src="([^"]+)" data-testid="preview-html"', page.content.decode()).group(1)
    frame = client.get(src.replace("&amp;", "&"))
    assert "Kjære Sunnfjord &amp; co" in frame.content.decode()
    assert OccasionSetting.objects.filter(program=program).count() == 0
    # the saved text (none) when the address holds none
    plain = client.get(reverse("reminders:occasion_preview_mail", args=[program.pk, CODE]))
    assert "Kjære" not in plain.content.decode()


@pytest.mark.usefixtures("test_occasion")
def test_the_preview_frame_is_for_leadership_only(client):
    program = ProgramFactory()
    url = reverse("reminders:occasion_preview_mail", args=[program.pk, CODE])
    response = client.get(url)
    assert response.status_code == 302
    assert "/logg-inn/" in response.url
    client.force_login(board_member(CountyBranchFactory()))
    assert client.get(url).status_code == 404
