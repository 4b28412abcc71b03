"""The next-session reminder: advisors some days before; the coordinator with a calendar entry if the
agreement asks for it; never the internal note."""

import datetime as dt
from email.utils import parseaddr

import icalendar
import pytest
from django.core import mail

from guidance.reminders import NEXT_SESSION
from reminders import services
from reminders.models import Delivery, DeliveryState
from tests.guidance.factories import SessionFactory, group_for

SECRET = "INTERNT-ikke-til-kommunen-4411"
NEXT = dt.datetime(2030, 3, 20, 12, 0, tzinfo=dt.UTC)  # 13:00 in Oslo
PLAN_AT = dt.datetime(2030, 3, 1, 6, 0, tzinfo=dt.UTC)


@pytest.fixture
def planned(setting):
    setting.mine.starts_on = dt.date(2030, 1, 1)
    setting.mine.ends_on = dt.date(2030, 12, 31)
    setting.mine.remind_coordinator = True
    setting.mine.save()
    group_for(setting.mine)
    return SessionFactory(
        agreement=setting.mine,
        advisor=setting.vera,
        held_on=dt.date(2030, 2, 20),
        internal_note=SECRET,
        next_steps="Koordinator inviterer skolene",
        next_session_at=NEXT,
    )


def test_advisor_and_coordinator_are_reminded_three_days_before(setting, planned):
    services.deliveries_plan(now=PLAN_AT, codes=[NEXT_SESSION])
    rows = list(Delivery.objects.filter(occasion=NEXT_SESSION).order_by("recipient_email"))
    assert [r.recipient_email for r in rows] == ["koordinator@example.org", setting.vera.email]
    assert rows[0].planned_at == dt.datetime(
        2030, 3, 17, 7, 0, tzinfo=dt.UTC
    )  # 08:00 Oslo, three days before

    services.deliveries_send(delivery_ids=[r.pk for r in rows], now=rows[0].planned_at)
    assert len(mail.outbox) == 2
    by_to = {parseaddr(m.to[0])[1]: m for m in mail.outbox}
    coordinator = by_to["koordinator@example.org"]
    advisor = by_to[setting.vera.email]
    for message in (coordinator, advisor):
        assert "20. mars 2030 kl. 13:00" in message.subject
        assert "Koordinator inviterer skolene" in message.body
        html = message.alternatives[0][0] if message.alternatives else ""
        assert SECRET not in message.body + message.subject + html
    ((filename, content, mimetype),) = coordinator.attachments
    assert (filename, mimetype) == ("veiledningsmote.ics", "text/calendar")
    assert SECRET not in str(content)
    event = next(iter(icalendar.Calendar.from_ical(content).walk("VEVENT")))
    assert event.decoded("dtstart").astimezone(dt.UTC) == NEXT
    assert not advisor.attachments
    assert "/veiledning/avtaler/" in advisor.body
    assert "/veiledning/" not in coordinator.body  # no link to a page the coordinator cannot open


def test_coordinator_only_when_the_agreement_asks(setting, planned):
    setting.mine.remind_coordinator = False
    setting.mine.save()
    services.deliveries_plan(now=PLAN_AT, codes=[NEXT_SESSION])
    assert list(Delivery.objects.filter(occasion=NEXT_SESSION).values_list("recipient_email", flat=True)) == [
        setting.vera.email
    ]


def test_moved_session_skips_the_old_reminder(setting, planned):
    services.deliveries_plan(now=PLAN_AT, codes=[NEXT_SESSION])
    old = Delivery.objects.filter(occasion=NEXT_SESSION, recipient_email=setting.vera.email).get()
    planned.next_session_at = NEXT + dt.timedelta(days=7)
    planned.save()
    services.deliveries_send(delivery_ids=[old.pk], now=old.planned_at)
    old.refresh_from_db()
    assert old.state == DeliveryState.SKIPPED
    assert not mail.outbox
