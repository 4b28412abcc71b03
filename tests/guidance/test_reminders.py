"""The next-session reminder: advisors some days before; the coordinator with a calendar entry if the
agreement asks for it; never the internal note."""

import datetime as dt
from email.utils import parseaddr

import icalendar
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

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


def test_leadership_list_names_the_municipality_and_the_meeting(client, setting, planned):
    """Three rows «Neste veiledningsmøte» for one advisor could not be told apart."""
    services.deliveries_plan(now=PLAN_AT, codes=[NEXT_SESSION])
    client.force_login(setting.leader)
    body = client.get(reverse("reminders:delivery_list")).content.decode()
    assert body.count('data-testid="delivery-about">Hjemkommune, møtet 20. mars 2030 kl. 13:00<') == 2


def test_forgotten_session_logged_later_keeps_both_advisors_reminders(setting):
    """Logging a forgotten session without a next meeting turned both advisors' reminders into «Gjelder ikke
    lenger»: the booked meeting stays, and so do its reminders."""
    from guidance import services as guidance_services

    setting.mine.advisors.add(setting.otto)
    today = timezone.localdate()
    booked = dt.datetime.combine(
        today + dt.timedelta(days=9), dt.time(13, 0), tzinfo=timezone.get_current_timezone()
    )
    SessionFactory(
        agreement=setting.mine,
        advisor=setting.vera,
        held_on=today - dt.timedelta(days=10),
        next_session_at=booked,
    )
    services.deliveries_plan(codes=[NEXT_SESSION])
    before = set(Delivery.objects.filter(occasion=NEXT_SESSION).values_list("pk", "state"))
    assert {state for _pk, state in before} == {DeliveryState.PLANNED}
    assert len(before) == 2

    guidance_services.session_create(
        actor=setting.vera,
        agreement=setting.mine,
        data={
            "held_on": today - dt.timedelta(days=2),
            "duration_minutes": 60,
            "form": "digitalt",
            "summary": "Glemt møte",
            "next_steps": "Skolene inviteres",
            "next_session_at": None,
        },
        themes=["forankring"],
    )
    services.deliveries_plan(codes=[NEXT_SESSION])
    assert set(Delivery.objects.filter(occasion=NEXT_SESSION).values_list("pk", "state")) == before

    rows = list(Delivery.objects.filter(occasion=NEXT_SESSION))
    services.deliveries_send(delivery_ids=[r.pk for r in rows], now=rows[0].planned_at)
    assert len(mail.outbox) == 2
    assert all("Skolene inviteres" in m.body for m in mail.outbox)  # the latest entry's next steps


def test_migration_keys_existing_reminders_by_the_meeting(db):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("guidance.migrations.0003_next_session_reminder_keys")
    now = timezone.now()

    def row(key, email, state):
        return Delivery.objects.create(
            occasion=NEXT_SESSION,
            key=key,
            recipient_email=email,
            state=state,
            planned_at=now,
            next_attempt_at=now,
            template="x",
        )

    sent = row("agreement:4:session:7:at:1800000000:d3", "vera@example.org", DeliveryState.SENT)
    # the same meeting booked again by a later entry: the sent one takes the key, this one keeps its own
    again = row("agreement:4:session:9:at:1800000000:d3", "vera@example.org", DeliveryState.PLANNED)
    other = row("agreement:4:session:9:at:1800000000:d3", "otto@example.org", DeliveryState.PLANNED)

    migration.forwards(apps, None)

    assert Delivery.objects.get(pk=sent.pk).key == "agreement:4:at:1800000000:d3"
    assert Delivery.objects.get(pk=again.pk).key == "agreement:4:session:9:at:1800000000:d3"
    assert Delivery.objects.get(pk=other.pk).key == "agreement:4:at:1800000000:d3"
