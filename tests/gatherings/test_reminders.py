"""Each gathering occasion through the outbox: planned, re-checked at send time, moved with the gathering."""

import datetime as dt
from email.utils import parseaddr

import pytest
from django.core import mail
from icalendar import Calendar

from gatherings import services
from gatherings.models import HandIn, Registration, RegistrationStatus
from gatherings.reminders import BETWEEN_WORK_DUE, PRACTICAL, PREPARATION, REGISTRATION_NUDGE
from reminders import services as outbox
from reminders.models import Delivery, DeliveryState
from tests.factories import UserFactory, municipal_contact
from tests.gatherings.factories import GatheringFactory, RegistrationFactory, make_region, oslo

pytestmark = pytest.mark.django_db

PLAN_NOW = oslo(2030, 8, 1, 6)
START = oslo(2030, 9, 10, 10)


def _send(row):
    return outbox.deliveries_send(delivery_ids=[row.pk], now=row.planned_at)


def _gathering(r, **kw):
    defaults = dict(
        regional_program=r.region,
        starts_at=START,
        ends_at=START + dt.timedelta(hours=6),
        registration_deadline=START - dt.timedelta(days=10),
        between_work="Skriv gjort – lært – lurt.",
        between_work_due=START + dt.timedelta(days=30),
    )
    defaults.update(kw)
    return GatheringFactory(**defaults)


def test_registration_nudge_goes_to_groups_that_have_not_answered_and_is_skipped_once_they_have():
    r = make_region(members=1)
    g = _gathering(r)
    contact = municipal_contact(r.groups[0].municipality, email="kontakt-a@example.org")
    outbox.deliveries_plan(now=PLAN_NOW, codes=[REGISTRATION_NUDGE])
    rows = Delivery.objects.filter(occasion=REGISTRATION_NUDGE)
    assert {row.recipient_email for row in rows} >= {contact.email, r.groups[1].coordinator_email}
    # defaults: 7 and 2 days before the deadline, 08:00 Oslo
    assert {row.planned_at for row in rows} == {oslo(2030, 8, 24, 8), oslo(2030, 8, 29, 8)}
    # group A answers; its rows are skipped at send time, B's is sent
    member = r.groups[0].members.get()
    services.group_registrations_save(
        actor=contact,
        gathering=g,
        group=r.groups[0],
        answers=[services.Answer(member=member, status="not_attending")],
    )
    a_row = rows.filter(recipient_email=contact.email).earliest("planned_at")
    b_row = rows.filter(recipient_email=r.groups[1].coordinator_email).earliest("planned_at")
    _send(a_row)
    _send(b_row)
    a_row.refresh_from_db()
    b_row.refresh_from_db()
    assert a_row.state == DeliveryState.SKIPPED
    assert b_row.state == DeliveryState.SENT
    assert "har ikke svart" in mail.outbox[0].body


def test_preparation_carries_the_text_and_skips_someone_who_withdrew():
    r = make_region(members=0)
    g = _gathering(r, preparation="Les kapittel 3 sammen med rektor.")
    staying = RegistrationFactory(gathering=g, municipality=r.municipalities[0], email="blir@example.org")
    leaving = RegistrationFactory(gathering=g, municipality=r.municipalities[0], email="drar@example.org")
    outbox.deliveries_plan(now=PLAN_NOW, codes=[PREPARATION])
    Registration.objects.filter(pk=leaving.pk).update(status=RegistrationStatus.NOT_ATTENDING)
    for row in Delivery.objects.filter(occasion=PREPARATION):
        _send(row)
    assert [parseaddr(m.to[0])[1] for m in mail.outbox] == [staying.email]
    assert "Les kapittel 3 sammen med rektor." in mail.outbox[0].body
    assert (
        Delivery.objects.get(occasion=PREPARATION, recipient_email=leaving.email).state
        == DeliveryState.SKIPPED
    )


def test_practical_reminder_has_the_calendar_entry_and_moves_with_the_gathering():
    r = make_region(members=0)
    g = _gathering(r)
    RegistrationFactory(gathering=g, municipality=r.municipalities[0], email="kommer@example.org")
    outbox.deliveries_plan(now=PLAN_NOW, codes=[PRACTICAL])
    row = Delivery.objects.get(occasion=PRACTICAL)
    assert row.planned_at == oslo(2030, 9, 9, 8)
    leader = UserFactory(leadership=True)
    data = {n: getattr(g, n) for n in services.GATHERING_FIELDS}
    data.update(starts_at=START + dt.timedelta(days=7), ends_at=START + dt.timedelta(days=7, hours=6))
    services.gathering_update(actor=leader, gathering=g, data=data, reason="Ny dato")
    outbox.deliveries_plan(now=PLAN_NOW, codes=[PRACTICAL])
    row.refresh_from_db()
    assert row.planned_at == oslo(2030, 9, 16, 8)
    assert row.state == DeliveryState.PLANNED
    _send(row)
    message = mail.outbox[-1]
    cal = Calendar.from_ical(
        message.attachments[0][1]
        if isinstance(message.attachments[0], tuple)
        else message.attachments[0].content
    )
    event = cal.walk("VEVENT")[0]
    assert event["SEQUENCE"] == 1
    assert event.decoded("DTSTART").date() == dt.date(2030, 9, 17)


def test_a_row_planned_before_a_move_is_not_sent_stale():
    r = make_region(members=0)
    g = _gathering(r)
    RegistrationFactory(gathering=g, municipality=r.municipalities[0], email="kommer@example.org")
    outbox.deliveries_plan(now=PLAN_NOW, codes=[PRACTICAL])
    row = Delivery.objects.get(occasion=PRACTICAL)
    type(g).objects.filter(pk=g.pk).update(
        starts_at=START + dt.timedelta(days=7), ends_at=START + dt.timedelta(days=7, hours=5)
    )
    _send(row)  # the sweep has not moved it yet: the date it was planned for no longer holds
    row.refresh_from_db()
    assert row.state == DeliveryState.SKIPPED
    assert mail.outbox == []


def test_cancelled_gathering_gets_no_reminders():
    r = make_region(members=0)
    g = _gathering(r)
    RegistrationFactory(gathering=g, municipality=r.municipalities[0], email="kommer@example.org")
    outbox.deliveries_plan(now=PLAN_NOW, codes=[PREPARATION])
    row = Delivery.objects.get(occasion=PREPARATION)
    services.gathering_cancel(actor=UserFactory(leadership=True), gathering=g, reason="Avlyst")
    mail.outbox.clear()
    _send(row)
    row.refresh_from_db()
    assert row.state in (DeliveryState.SKIPPED, DeliveryState.CANCELLED)
    assert mail.outbox == []


def test_between_work_due_goes_to_groups_without_a_hand_in():
    r = make_region(members=0)
    g = _gathering(r)
    outbox.deliveries_plan(now=PLAN_NOW, codes=[BETWEEN_WORK_DUE])
    rows = list(Delivery.objects.filter(occasion=BETWEEN_WORK_DUE).order_by("planned_at"))
    assert {row.recipient_email for row in rows} == {grp.coordinator_email for grp in r.groups}
    HandIn.objects.create(
        gathering=g, group=r.groups[0], done="x", learned="y", next_steps="z", submitted_at=START
    )
    for row in rows:
        _send(row)
    sent = {parseaddr(m.to[0])[1] for m in mail.outbox}
    assert sent == {r.groups[1].coordinator_email}
    assert "Skriv gjort – lært – lurt." in mail.outbox[0].body
