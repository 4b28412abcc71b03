import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.contrib.contenttypes.models import ContentType

from accounts.models import User
from audit.models import AuditEntry
from audit.services import audit_log
from tests.factories import MunicipalityFactory, UserFactory, municipal_contact

pytestmark = pytest.mark.django_db
OSLO = ZoneInfo("Europe/Oslo")


@pytest.fixture
def leader(client):
    user = UserFactory(full_name="Liv Leder", leadership=True)
    client.force_login(user)
    return user


def _entry(actor, action, obj=None, at=None, details=None):
    entry = audit_log(actor=actor, action=action, obj=obj, details=details or {})
    if at is not None:
        AuditEntry.objects.filter(pk=entry.pk).update(at=at)
    return entry


def _count(fn) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_anonymous_is_sent_to_login(client):
    person = UserFactory()
    ct = ContentType.objects.get_for_model(User)
    for url in ["/logg/", f"/logg/objekt/{ct.pk}/{person.pk}/"]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/logg-inn/")


@pytest.mark.parametrize("kind", ["advisor", "jury", "contact"])
def test_non_leadership_gets_404(client, kind):
    user = municipal_contact(MunicipalityFactory()) if kind == "contact" else UserFactory(**{kind: True})
    _entry(user, "accounts.role.added", obj=user)
    client.force_login(user)
    ct = ContentType.objects.get_for_model(User)
    assert client.get("/logg/").status_code == 404
    assert client.get(f"/logg/objekt/{ct.pk}/{user.pk}/").status_code == 404


def test_log_lists_entries_with_readable_actions(client, leader):
    person = UserFactory(full_name="Per Person")
    _entry(
        leader,
        "accounts.role.added",
        obj=person,
        details={"rolle": "advisor", "kommune": {"id": 1, "navn": "Sunnfjord"}},
    )
    response = client.get("/logg/")
    content = response.content.decode()
    assert response.status_code == 200
    assert "Rolle lagt til" in content
    assert '<span title="accounts.role.added">Rolle lagt til</span>' in content
    assert "Per Person" in content
    assert "Liv Leder" in content
    assert "Sunnfjord" in content
    ct = ContentType.objects.get_for_model(User)
    assert f"/logg/objekt/{ct.pk}/{person.pk}/" in content


def test_filter_by_person_and_action_prefix(client, leader):
    other = UserFactory(full_name="Otto Annen")
    _entry(leader, "accounts.role.added", obj=other)
    _entry(other, "applications.application.submitted", obj=other)
    content = client.get("/logg/", {"actor": other.pk}).content.decode()
    assert '<span title="applications.application.submitted">Søknad sendt inn</span>' in content
    assert '<span title="accounts.role.added">Rolle lagt til</span>' not in content
    assert "Viser det Otto Annen har gjort." in content
    # the person filter is a search field: part of the name or the e-mail address
    content = client.get("/logg/", {"person": "otto ann"}).content.decode()
    assert '<span title="applications.application.submitted">Søknad sendt inn</span>' in content
    assert '<span title="accounts.role.added">Rolle lagt til</span>' not in content
    assert 'type="search" name="person"' in content
    assert '<select name="actor"' not in content
    content = client.get("/logg/", {"action": "accounts."}).content.decode()
    assert '<span title="accounts.role.added">Rolle lagt til</span>' in content
    assert '<span title="applications.application.submitted">Søknad sendt inn</span>' not in content


def test_date_filter_uses_oslo_calendar_days(client, leader):
    # 23:30 UTC on 1 December is already 2 December in Oslo.
    _entry(leader, "x.late.evening", at=dt.datetime(2026, 12, 1, 23, 30, tzinfo=dt.UTC))
    _entry(leader, "x.same.day", at=dt.datetime(2026, 12, 1, 12, 0, tzinfo=OSLO))
    content = client.get("/logg/", {"date_from": "2026-12-02", "date_to": "2026-12-02"}).content.decode()
    assert '<span title="x.late.evening">x.late.evening</span>' in content
    assert '<span title="x.same.day">x.same.day</span>' not in content
    content = client.get("/logg/", {"date_to": "01.12.2026"}).content.decode()
    assert '<span title="x.same.day">x.same.day</span>' in content
    assert '<span title="x.late.evening">x.late.evening</span>' not in content


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"date_from": "2026-13-45"}, "gyldig dato"),
        ({"date_to": "i morgen"}, "gyldig dato"),
        ({"date_from": "99999-01-01"}, "gyldig dato"),
        ({"date_from": "1066-10-14"}, "mellom år 2000 og 2100"),
        ({"date_from": "2026-12-10", "date_to": "2026-12-01"}, "kan ikke være før"),
        ({"actor": "abc"}, "gyldig valg"),
        ({"actor": "999999"}, "gyldig valg"),
        ({"action": "a" * 500}, "gyldig valg"),
        ({"action": "accounts"}, "gyldig valg"),
    ],
)
def test_invalid_filters_are_field_errors_not_500(client, leader, params, message):
    _entry(leader, "accounts.role.added")
    response = client.get("/logg/", params)
    content = response.content.decode()
    assert response.status_code == 200
    assert "Noe må rettes" in content
    assert message in content
    assert (
        '<span title="accounts.role.added">Rolle lagt til</span>' not in content
    )  # nothing listed under a broken filter


@pytest.mark.parametrize("params", [{"side": "x"}, {"side": "-1"}, {"side": "100000"}, {"action": "\x00"}])
def test_weird_page_and_input_no_500(client, leader, params):
    assert client.get("/logg/", params).status_code == 200


def test_log_query_count_is_constant(client, leader):
    person = UserFactory()
    _entry(leader, "accounts.role.added", obj=person)
    client.get("/logg/")
    few = _count(lambda: client.get("/logg/", {"action": "accounts."}))
    for i in range(60):
        other = UserFactory(email=f"p{i}@example.org")
        _entry(other, "accounts.role.added", obj=other)
    many = _count(lambda: client.get("/logg/", {"action": "accounts."}))
    assert few == many


def test_object_log_page(client, leader):
    person = UserFactory(full_name="Per Person")
    other = UserFactory()
    _entry(leader, "accounts.role.added", obj=person)
    _entry(leader, "accounts.user.deactivated", obj=person)
    _entry(leader, "accounts.role.removed", obj=other)
    ct = ContentType.objects.get_for_model(User)
    response = client.get(f"/logg/objekt/{ct.pk}/{person.pk}/")
    content = response.content.decode()
    assert response.status_code == 200
    assert "Historikk for Per Person" in content
    assert "Person deaktivert" in content
    assert "Rolle fjernet" not in content


def test_object_log_query_count_is_constant(client, leader):
    person = UserFactory()
    ct = ContentType.objects.get_for_model(User)
    _entry(leader, "accounts.role.added", obj=person)
    url = f"/logg/objekt/{ct.pk}/{person.pk}/"
    client.get(url)
    few = _count(lambda: client.get(url))
    for i in range(40):
        _entry(UserFactory(email=f"q{i}@example.org"), "accounts.role.added", obj=person)
    assert _count(lambda: client.get(url)) == few


@pytest.mark.parametrize(
    "path", ["/logg/objekt/999999/1/", "/logg/objekt/{ct}/999999/", "/logg/objekt/{ct}/" + "x" * 300 + "/"]
)
def test_object_log_unknown_is_404(client, leader, path):
    ct = ContentType.objects.get_for_model(User)
    assert client.get(path.format(ct=ct.pk)).status_code == 404


def test_person_page_shows_the_object_log_partial(client, leader):
    person = UserFactory(full_name="Per Person")
    _entry(leader, "accounts.user.deactivated", obj=person, details={"grunn": "sluttet"})
    content = client.get(f"/personer/{person.pk}/").content.decode()
    assert "Historikk" in content
    assert "Person deaktivert" in content
    assert "sluttet" in content
    ct = ContentType.objects.get_for_model(User)
    assert f"/logg/objekt/{ct.pk}/{person.pk}/" in content


def test_log_details_are_readable_norwegian(client, leader):
    from programs.models import AnnualMeetingDecision, DialogueMeeting
    from tests.factories import CountyBranchFactory, ProgramFactory

    program = ProgramFactory()
    branch = CountyBranchFactory()
    decision = AnnualMeetingDecision.objects.create(
        program=program, branch=branch, meeting_date=dt.date(2026, 4, 1), participates=True
    )
    meeting = DialogueMeeting.objects.create(program=program, branch=branch)
    _entry(
        leader,
        "programs.annual_meeting_decision.recorded",
        obj=decision,
        details={"changed_fields": {"participates": {"fra": None, "til": True}}},
    )
    _entry(
        leader,
        "programs.dialogue_meeting.scheduled",
        obj=meeting,
        details={
            "fra": "requested",
            "til": "scheduled",
            "starts_at": "2020-01-01 09:00:00+00:00",
            "felt": "topic",
        },
    )
    html = _details_cells(client.get("/logg/").content.decode())
    assert "<li>Fylkesavdelingen deltar: ikke satt → ja</li>" in html
    assert "Endrede felt" in html
    assert "changed fields" not in html
    assert "participates" not in html
    assert "True" not in html
    assert "Fra:</span> Ønsket" in html
    assert "Til:</span> Avtalt" in html
    assert "requested" not in html
    assert "1. januar 2020 kl. 10:00" in html
    assert "+00:00" not in html
    assert "Felt:</span> tema" in html
    assert "topic" not in html


def _details_cells(html: str) -> str:
    """Only the «Detaljer» cells of the log table (the object column has its own text)."""
    import re

    return "\n".join(re.findall(r'<td class="small">(.*?)</td>', html, flags=re.DOTALL))


def test_reminder_entries_name_the_occasion_and_show_lists_and_times_as_people_read_them(client, leader):
    from programs.reminders import INTEREST_DEADLINE
    from programs.services import interest_deadline_extend
    from reminders import services as reminders
    from reminders.models import OccasionSetting
    from reminders.occasions import occasion_get
    from tests.factories import CountyBranchFactory, ProgramFactory
    from tests.reminders.factories import DeliveryFactory

    deadline = dt.datetime(2027, 9, 20, 21, 59, tzinfo=dt.UTC)
    program = ProgramFactory(interest_deadline=deadline)
    occasion = occasion_get(INTEREST_DEADLINE)
    reminders.occasion_setting_update(
        actor=leader,
        program=program,
        occasion=occasion,
        offsets_days=[2, 10],
        subject_override="",
        body_override="",
    )
    reminders.occasion_pause(actor=leader, program=program, occasion=occasion, paused=True)
    reminders.occasion_pause(actor=leader, program=program, occasion=occasion, paused=False)
    sent = DeliveryFactory(occasion=INTEREST_DEADLINE, sent=True, recipient_email="vestland@example.org")
    reminders.delivery_resend(actor=leader, delivery=sent)
    # Rows written before lists were kept as lists hold their Python text.
    _entry(
        leader,
        "reminders.occasion_setting.updated",
        obj=OccasionSetting.objects.get(program=program),
        details={
            "anledning": INTEREST_DEADLINE,
            "endringer": {"offsets_days": {"fra": "[7]", "til": "[5, 1]"}},
        },
    )
    interest_deadline_extend(
        actor=leader,
        program=program,
        branch=CountyBranchFactory(),
        deadline=dt.datetime(2027, 10, 5, 6, 0, tzinfo=dt.UTC),
    )

    html = client.get("/logg/").content.decode()
    details = _details_cells(html)
    assert "Påminnelser satt på pause" in html
    assert "Påminnelser slått på igjen" in html
    assert (
        '<span title="reminders.occasion_setting.resumed">Påminnelser slått på igjen</span>' in html
    )  # the code only as the title
    assert details.count("Anledning:</span> Frist for interessemelding") == 5
    assert "programs.interest_deadline" not in details
    assert "Dager før fristen: 14, 3, 1 → 10, 2" in details
    assert "Dager før fristen: 7 → 5, 1" in details
    assert "[" not in details
    assert "Status før:</span> Sendt" in details
    assert "5. oktober 2027 kl. 08:00" in details  # 06:00 UTC is 08:00 in Oslo (summer time)
    assert "06:00" not in details
    assert "– 05.10.2027 08:00</a>" in html  # the extension's name in the object column, Oslo time too


def test_an_application_deadline_extension_is_named_in_oslo_time(client, leader):
    from tests.reminders.factories import ApplicationDeadlineExtensionFactory

    extension = ApplicationDeadlineExtensionFactory(
        municipality=MunicipalityFactory(name="Sunnfjord"),
        deadline=dt.datetime(2027, 1, 15, 22, 59, tzinfo=dt.UTC),
    )
    _entry(leader, "applications.deadline_extension.granted", obj=extension)
    assert "Sunnfjord: 15.01.2027 23:59</a>" in client.get("/logg/").content.decode()


def test_reminder_details_keep_an_unknown_occasion_code(client, leader):
    _entry(
        leader,
        "reminders.delivery.cancelled",
        details={"anledning": "gone.occasion", "mottaker": "a@example.org"},
    )
    details = _details_cells(client.get("/logg/").content.decode())
    assert "Anledning:</span> gone.occasion" in details


def test_log_query_count_is_constant_with_reminder_entries(client, leader):
    from programs.reminders import INTEREST_DEADLINE
    from tests.reminders.factories import DeliveryFactory

    def add(n):
        for _i in range(n):
            row = DeliveryFactory(occasion=INTEREST_DEADLINE)
            _entry(leader, "reminders.delivery.cancelled", obj=row, details={"anledning": row.occasion})

    add(1)
    client.get("/logg/")
    few = _count(lambda: client.get("/logg/", {"action": "reminders."}))
    add(40)
    assert _count(lambda: client.get("/logg/", {"action": "reminders."})) == few
