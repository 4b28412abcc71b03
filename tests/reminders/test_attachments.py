"""A planned reminder can carry files built at send time (a gathering's calendar entry), not at planning."""

import dataclasses
import datetime as dt

import icalendar
import pytest
from django.core import mail

from core.ics import OSLO, ics_event, ics_single
from programs.reminders import INTEREST_DEADLINE
from reminders import services
from reminders.models import Delivery
from reminders.occasions import occasion_get
from reminders.outbox import Attachment
from tests.factories import CountyBranchFactory, ProgramFactory

pytestmark = pytest.mark.django_db

DEADLINE = dt.datetime(2030, 9, 15, 21, 59, tzinfo=dt.UTC)


def test_prepared_attachments_are_built_when_the_reminder_is_sent(monkeypatch):
    ProgramFactory(interest_deadline=DEADLINE)
    CountyBranchFactory(email="vestland@example.org")
    services.deliveries_plan(now=dt.datetime(2030, 8, 1, 6, 0, tzinfo=dt.UTC), codes=[INTEREST_DEADLINE])
    row = Delivery.objects.filter(occasion=INTEREST_DEADLINE, key__endswith=":d14").get()

    occasion = occasion_get(INTEREST_DEADLINE)
    original = occasion.prepare
    start = dt.datetime(2030, 9, 20, 10, 0, tzinfo=OSLO)
    sent_version = {"sequence": 3}  # what the object says at send time, not at planning time

    def prepare_with_calendar(deliveries, *, configs):
        event = ics_event(
            uid="samling-1@test",
            start=start,
            end=start + dt.timedelta(hours=5),
            summary="Samling 2",
            sequence=sent_version["sequence"],
        )
        calendar = Attachment.calendar("samling.ics", ics_single(event))
        return {
            pk: dataclasses.replace(p, attachments=(calendar,)) if p else p
            for pk, p in original(deliveries, configs=configs).items()
        }

    monkeypatch.setattr(occasion, "prepare", prepare_with_calendar)
    services.deliveries_send(delivery_ids=[row.pk], now=row.planned_at)

    (message,) = mail.outbox
    ((filename, content, mimetype),) = message.attachments
    assert filename == "samling.ics"
    assert mimetype == "text/calendar"
    event = next(iter(icalendar.Calendar.from_ical(content).walk("VEVENT")))
    assert event["SEQUENCE"] == 3
    assert "Hei" in message.body  # the reminder text itself is unchanged
