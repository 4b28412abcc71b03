"""The gathering notices are checked again when the worker sends them: a late worker (a broker outage, the
sweep picks the rows up later) sends nothing stale. Each test queues a notice, changes the state before the
worker runs (`deliveries_send` called directly) and looks at what reached the mailbox. (In these tests the
transaction never commits, so the task queued after commit never runs: the rows wait as after an outage.)"""

import datetime as dt
from email.utils import parseaddr

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from gatherings import services
from gatherings.models import Gathering, GatheringStatus, Registration, RegistrationStatus
from gatherings.services.notices import CANCELLED, CHANGED, INVITATION, PROMOTED
from gatherings.services.scheduling import GATHERING_FIELDS
from reminders import services as outbox
from reminders.models import Delivery, DeliveryState
from tests.gatherings.factories import GatheringFactory, RegistrationFactory, make_region

pytestmark = pytest.mark.django_db


def _to(message) -> str:
    return parseaddr(message.to[0])[1]


def _event(message):
    return Calendar.from_ical(message.attachments[0].content).walk("VEVENT")[0]


def _moved(gathering: Gathering, *, days: int) -> dict:
    data = {name: getattr(gathering, name) for name in GATHERING_FIELDS}
    data["starts_at"] = gathering.starts_at + dt.timedelta(days=days)
    data["ends_at"] = gathering.ends_at + dt.timedelta(days=days)
    return data


def _move(leader, gathering: Gathering, *, days: int, reason: str) -> Gathering:
    return services.gathering_update(
        actor=leader, gathering=gathering, data=_moved(gathering, days=days), reason=reason
    )


def _worker_sends(occasion: str | None = None):
    """What the worker does when it finally gets the queued rows, oldest first."""
    rows = Delivery.objects.filter(state=DeliveryState.PLANNED)
    if occasion:
        rows = rows.filter(occasion=occasion)
    return outbox.deliveries_send(delivery_ids=list(rows.order_by("id").values_list("pk", flat=True)))


def _row(occasion: str, email: str, **filters) -> Delivery:
    return Delivery.objects.get(occasion=occasion, recipient_email=email, **filters)


def test_a_change_notice_is_skipped_when_the_gathering_changed_again(leader):
    r = make_region()
    gathering = GatheringFactory(regional_program=r.region)
    RegistrationFactory(gathering=gathering, municipality=r.municipalities[0], email="kommer@example.org")
    first = _move(leader, gathering, days=1, reason="Lokalet er dobbeltbooket")
    _move(leader, first, days=2, reason="Foredragsholderen er syk")
    stats = _worker_sends()
    person = [m for m in mail.outbox if _to(m) == "kommer@example.org"]
    assert len(person) == 1
    # the one notice says both reasons: the first change was never told on its own
    assert "Begrunnelse: Lokalet er dobbeltbooket. Foredragsholderen er syk." in person[0].body
    assert _event(person[0])["SEQUENCE"] == 2
    # every address (the registered person and the invited coordinators) got the newest notice exactly once;
    # the older one was withdrawn when the gathering changed again, so the worker had nothing to skip
    to = [_to(m) for m in mail.outbox]
    assert sorted(to) == sorted({"kommer@example.org", *(g.coordinator_email for g in r.groups)})
    assert stats.sent == len(to)
    assert stats.skipped == 0
    stale = _row(CHANGED, "kommer@example.org", key=f"gathering:{gathering.pk}:v1")
    assert stale.state == DeliveryState.SKIPPED
    assert stale.last_error == "Samlingen er endret igjen; den nyeste endringsmeldingen sendes i stedet."


def test_invitation_and_change_notice_are_skipped_when_the_gathering_was_cancelled(leader):
    r = make_region()
    gathering = services.gathering_schedule(
        actor=leader, regional_program=r.region, data=_moved(GatheringFactory.build(), days=0)
    )
    RegistrationFactory(gathering=gathering, municipality=r.municipalities[0], email="kommer@example.org")
    moved = _move(leader, gathering, days=1, reason="Lokalet er dobbeltbooket")
    services.gathering_cancel(actor=leader, gathering=moved, reason="For få påmeldte")
    _worker_sends()
    assert {m.subject.split(":")[0] for m in mail.outbox} == {"Avlyst"}
    to = [_to(m) for m in mail.outbox]
    assert sorted(to) == sorted({"kommer@example.org", *(g.coordinator_email for g in r.groups)})
    coordinator = r.groups[0].coordinator_email
    for occasion in (INVITATION, CHANGED):
        row = _row(occasion, coordinator)
        assert row.state == DeliveryState.SKIPPED
        assert row.last_error == "Samlingen ble avlyst før denne ble sendt; avlysningen er sendt i stedet."
    assert _row(CANCELLED, coordinator).state == DeliveryState.SENT


def test_an_invitation_to_a_gathering_changed_since_is_built_again_as_it_is_now(leader):
    r = make_region()
    gathering = services.gathering_schedule(
        actor=leader, regional_program=r.region, data=_moved(GatheringFactory.build(), days=0)
    )
    moved = _move(leader, gathering, days=3, reason="Lokalet er dobbeltbooket")
    _worker_sends(INVITATION)
    coordinators = sorted(g.coordinator_email for g in r.groups)
    assert sorted(_to(m) for m in mail.outbox) == coordinators
    invitation = mail.outbox[0]
    assert invitation.subject.startswith("Invitasjon:")
    assert "Påmeldingsfrist" in invitation.body
    event = _event(invitation)
    assert event["SEQUENCE"] == 1
    assert event.decoded("DTSTART") == moved.starts_at.replace(microsecond=0)
    # the change notice still goes: it says what changed and why
    _worker_sends(CHANGED)
    assert sorted(_to(m) for m in mail.outbox[len(coordinators) :]) == coordinators


def test_a_participant_who_withdrew_gets_no_change_notice_an_invited_coordinator_still_does(leader):
    r = make_region()
    gathering = GatheringFactory(regional_program=r.region)
    coordinator = r.groups[0].coordinator_email
    leaving = RegistrationFactory(
        gathering=gathering, municipality=r.municipalities[0], email="slutter@example.org"
    )
    # the coordinator had registered themselves too, and withdraws like the participant
    own = RegistrationFactory(gathering=gathering, municipality=r.municipalities[0], email=coordinator)
    RegistrationFactory(gathering=gathering, municipality=r.municipalities[1], email="kommer@example.org")
    _move(leader, gathering, days=1, reason="Lokalet er dobbeltbooket")
    for registration in (leaving, own):
        services.registration_withdraw(actor=leader, registration=registration)
    _worker_sends()
    to = [_to(m) for m in mail.outbox]
    assert "slutter@example.org" not in to
    assert sorted(to) == sorted({"kommer@example.org", *(g.coordinator_email for g in r.groups)})
    row = _row(CHANGED, "slutter@example.org")
    assert row.state == DeliveryState.SKIPPED
    assert row.last_error == "Mottakeren har meldt seg av samlingen."


def test_a_cancellation_is_skipped_when_the_gathering_is_no_longer_cancelled(leader):
    r = make_region()
    gathering = GatheringFactory(regional_program=r.region)
    RegistrationFactory(gathering=gathering, municipality=r.municipalities[0], email="kommer@example.org")
    services.gathering_cancel(actor=leader, gathering=gathering, reason="For få påmeldte")
    # nothing in the application takes a cancellation back today; the check keeps a future one from lying
    Gathering.objects.filter(pk=gathering.pk).update(status=GatheringStatus.SCHEDULED)
    stats = _worker_sends()
    assert mail.outbox == []
    assert stats.skipped == 1 + len(r.groups)
    assert _row(CANCELLED, "kommer@example.org").last_error == "Samlingen er ikke lenger avlyst."


@pytest.mark.parametrize("then", ["nothing", "withdraws", "cancelled"])
def test_a_place_from_the_waiting_list_is_told_only_while_it_is_still_theirs(leader, then):
    r = make_region()
    gathering = GatheringFactory(regional_program=r.region, capacity=1)
    first = RegistrationFactory(gathering=gathering, municipality=r.municipalities[0])
    waiting = RegistrationFactory(
        gathering=gathering,
        municipality=r.municipalities[0],
        email="venter@example.org",
        status=RegistrationStatus.WAITLISTED,
    )
    services.registration_withdraw(actor=leader, registration=first)
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.ATTENDING
    if then == "withdraws":
        services.registration_withdraw(actor=leader, registration=waiting)
    elif then == "cancelled":
        services.gathering_cancel(actor=leader, gathering=gathering, reason="For få påmeldte")
    _worker_sends(PROMOTED)
    row = _row(PROMOTED, "venter@example.org")
    if then == "nothing":
        assert [(_to(m), m.subject.split(":")[0]) for m in mail.outbox] == [
            ("venter@example.org", "Du har fått plass")
        ]
        assert row.state == DeliveryState.SENT
    else:
        assert mail.outbox == []
        assert row.state == DeliveryState.SKIPPED
        assert (
            row.last_error
            == {
                "withdraws": "Påmeldingen er ikke lenger aktiv; plassen er gitt fra seg igjen.",
                "cancelled": "Samlingen ble avlyst før denne ble sendt; avlysningen er sendt i stedet.",
            }[then]
        )


def test_leadership_sees_why_a_notice_was_skipped_and_cannot_send_it_stale(client, leader):
    r = make_region()
    gathering = GatheringFactory(regional_program=r.region)
    leaving = RegistrationFactory(
        gathering=gathering, municipality=r.municipalities[0], email="slutter@example.org"
    )
    _move(leader, gathering, days=1, reason="Lokalet er dobbeltbooket")
    services.registration_withdraw(actor=leader, registration=leaving)
    _worker_sends()
    client.force_login(leader)
    page = client.get(reverse("reminders:delivery_list"), {"vis": "ikke-sendt"}).content.decode()
    assert "slutter@example.org" in page
    assert "Mottakeren har meldt seg av samlingen." in page
    row = _row(CHANGED, "slutter@example.org")
    response = client.post(reverse("reminders:delivery_resend", args=[row.pk]), follow=True)
    assert "Mottakeren har meldt seg av samlingen." in response.content.decode()
    row.refresh_from_db()
    assert row.state == DeliveryState.SKIPPED
    with pytest.raises(ValidationError):
        outbox.delivery_resend(actor=leader, delivery=row)


def _change_notice_send_queries(leader, registered: int) -> tuple[int, int]:
    r = make_region()
    gathering = GatheringFactory(regional_program=r.region)
    people = [
        RegistrationFactory(gathering=gathering, municipality=r.municipalities[0]) for _ in range(registered)
    ]
    _move(leader, gathering, days=1, reason="Lokalet er dobbeltbooket")
    # every other participant withdraws: the check skips some and lets the others go
    Registration.objects.filter(pk__in=[p.pk for p in people[::2]]).update(
        status=RegistrationStatus.NOT_ATTENDING
    )
    ids = list(
        Delivery.objects.filter(occasion=CHANGED, state=DeliveryState.PLANNED).values_list("pk", flat=True)
    )
    with CaptureQueriesContext(connection) as ctx:
        outbox.deliveries_send(delivery_ids=ids)
    Delivery.objects.filter(pk__in=ids).update(state=DeliveryState.SENT)
    return len(ids), len(ctx.captured_queries)


def test_checking_change_notices_costs_the_same_for_one_registered_person_and_thirty(leader):
    rows_one, one = _change_notice_send_queries(leader, 1)
    rows_thirty, thirty = _change_notice_send_queries(leader, 30)
    assert rows_thirty - rows_one == 29
    # per row: lock and update (in savepoints here); per batch: the rows, the paused occasions, and the check
    # in its savepoint: the gatherings, the newer notices, the registrations
    assert one == rows_one * 4 + 2 + 5
    assert thirty == rows_thirty * 4 + 2 + 5
