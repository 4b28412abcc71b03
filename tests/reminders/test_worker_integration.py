"""The whole chain on real parts: Celery worker (and beat) processes on Redis, PostgreSQL, an aiosmtpd server.

Each duplicate scenario ends with every recipient holding exactly one mail. One test shows the documented
limit instead: a worker killed after the server took a message but before our COMMIT; that one mail comes
twice, with the same Message-ID, and nothing is lost.
"""

import datetime as dt
import time

import pytest
from django.utils import timezone

from reminders.models import Delivery, DeliveryState
from tests import celery_support
from tests.celery_support import wait_until
from tests.factories import CountyFactory, MunicipalityFactory, ProgramFactory
from tests.reminders.factories import DeliveryFactory
from tests.reminders.occasions import CODE

pytestmark = pytest.mark.celery_worker

worker_factory = celery_support.worker_factory
smtp_sink = celery_support.smtp_sink


def _sweep(times: int = 1) -> None:
    from config import celery_app

    for _ in range(times):
        celery_app.send_task("reminders.deliveries_sweep")


def _due_reminders(count: int) -> list[str]:
    """An edition whose deadline is 2.5 days away: for each member municipality the 3-day reminder is due."""
    ProgramFactory(interest_deadline=timezone.now() + dt.timedelta(days=2, hours=12))
    county = CountyFactory(branch__email="")  # the branch has no address: only the test occasion sends
    return [MunicipalityFactory(county=county, email=f"kommune{i}@example.org").email for i in range(count)]


def _sent(emails) -> int:
    return Delivery.objects.filter(
        occasion=CODE, recipient_email__in=emails, state=DeliveryState.SENT
    ).count()


def _assert_exactly_one_each(sink, emails) -> None:
    counts = sink.count_by_recipient()
    assert {e: counts.get(e, 0) for e in emails} == dict.fromkeys(emails, 1)
    assert all(n == 1 for n in counts.values()), {k: v for k, v in counts.items() if v != 1}
    ids = [m.message_id for m in sink.messages]
    assert len(ids) == len(set(ids))


def _restart_and_send_all(worker, emails) -> None:
    """Start the killed worker again and sweep (as beat would) until every reminder is marked sent."""
    worker.start()

    def all_sent():
        _sweep()
        return _sent(emails) == len(emails)

    wait_until(
        all_sent, timeout=60, interval=1.0, what=f"ikke alt ble sendt etter omstart\n{worker.log_tail()}"
    )
    time.sleep(2)  # later sweeps keep running: nothing more may arrive


def _env(sink, **extra) -> dict[str, str]:
    return {"EMAIL_URL": sink.url, **{k: str(v) for k, v in extra.items()}}


def test_a_due_reminder_goes_from_beat_through_the_worker_to_the_smtp_server(
    worker_factory, smtp_sink, test_occasion
):
    emails = _due_reminders(3)
    env = _env(smtp_sink, REMINDERS_SWEEP_SECONDS=1)
    worker = worker_factory(concurrency=2, env=env)
    worker_factory(beat=True, env=env)

    wait_until(
        lambda: _sent(emails) == 3, timeout=45, what=f"påminnelsene ble ikke sendt\n{worker.log_tail()}"
    )
    time.sleep(3)  # beat keeps sweeping: nothing more may arrive
    _assert_exactly_one_each(smtp_sink, emails)
    mail = next(m for m in smtp_sink.messages if "kommune0@example.org" in m.recipients)
    assert "Påminnelse: frist" in mail.subject
    assert "Testkommune" in mail.text
    assert "kl." in mail.text
    states = dict(Delivery.objects.filter(recipient_email="kommune0@example.org").values_list("key", "state"))
    assert sorted(states.values()) == sorted(
        [DeliveryState.MISSED, DeliveryState.SENT, DeliveryState.PLANNED]
    )


def test_concurrent_sweeps_send_each_reminder_once(worker_factory, smtp_sink, test_occasion):
    emails = _due_reminders(60)
    env = _env(smtp_sink, REMINDERS_SEND_BATCH=7, REMINDERS_CLAIM_LEASE_SECONDS=0)
    worker_factory(concurrency=2, env=env)
    worker_factory(concurrency=2, env=env)

    for _ in range(4):
        _sweep(3)  # lease 0: every sweep may claim rows another sweep already queued
        time.sleep(0.2)
    wait_until(lambda: _sent(emails) == 60, timeout=60, what="ikke alle ble sendt")
    time.sleep(2)
    _assert_exactly_one_each(smtp_sink, emails)


def test_a_redelivered_send_task_does_not_send_twice(worker_factory, smtp_sink):
    from config import celery_app

    rows = [DeliveryFactory(recipient_email=f"mottaker{i}@example.org") for i in range(20)]
    ids = [r.pk for r in rows]
    worker_factory(concurrency=2, env=_env(smtp_sink))
    for _ in range(4):
        celery_app.send_task("reminders.deliveries_send", args=[ids])

    emails = [r.recipient_email for r in rows]
    wait_until(
        lambda: Delivery.objects.filter(pk__in=ids, state=DeliveryState.SENT).count() == 20,
        timeout=45,
        what="sendt",
    )
    time.sleep(2)
    _assert_exactly_one_each(smtp_sink, emails)


def test_a_worker_killed_mid_batch_loses_nothing_and_duplicates_nothing(
    worker_factory, smtp_sink, test_occasion
):
    emails = _due_reminders(30)
    env = _env(smtp_sink, REMINDERS_SEND_BATCH=50, REMINDERS_CLAIM_LEASE_SECONDS=2)
    worker = worker_factory(concurrency=1, env=env)
    smtp_sink.hold_at = 5  # the fifth message hangs in the server until the worker is dead

    _sweep()
    assert smtp_sink.holding.wait(45), worker.log_tail()
    worker.kill_hard()
    smtp_sink.hold_at = None
    smtp_sink.release.set()
    assert _sent(emails) == 4  # the four before it were committed; the rest is still planned
    assert (
        Delivery.objects.filter(
            recipient_email__in=emails, state=DeliveryState.PLANNED, key__endswith=":d3"
        ).count()
        == 26
    )

    _restart_and_send_all(worker, emails)
    _assert_exactly_one_each(smtp_sink, emails)


def test_a_worker_killed_after_the_server_took_the_message_sends_it_again_with_the_same_message_id(
    worker_factory, smtp_sink, test_occasion
):
    """The documented limit (reminders/services/sending.py): the server has the fifth message, but the worker dies
    before it hears "250" and before its COMMIT. Nothing is lost; the one mail in that window arrives twice,
    both copies with the same Message-ID so mail clients that deduplicate show one. Everyone else: one."""
    emails = _due_reminders(12)
    env = _env(smtp_sink, REMINDERS_SEND_BATCH=50, REMINDERS_CLAIM_LEASE_SECONDS=2)
    worker = worker_factory(concurrency=1, env=env)
    smtp_sink.hold_data_at = 5

    _sweep()
    assert smtp_sink.holding.wait(45), worker.log_tail()
    worker.kill_hard()
    smtp_sink.hold_data_at = None
    smtp_sink.release.set()
    assert len(smtp_sink) == 5
    assert _sent(emails) == 4  # the fifth was never marked sent: its transaction died with the worker

    _restart_and_send_all(worker, emails)
    counts = smtp_sink.count_by_recipient()
    twice = [e for e in emails if counts.get(e) == 2]
    assert len(twice) == 1
    assert {e: counts.get(e, 0) for e in emails if e not in twice} == dict.fromkeys(
        set(emails) - set(twice), 1
    )
    copies = [m.message_id for m in smtp_sink.messages if twice[0] in m.recipients]
    assert len(copies) == 2
    assert copies[0] == copies[1] != ""
    row = Delivery.objects.get(recipient_email=twice[0], key__endswith=":d3")
    assert row.state == DeliveryState.SENT
    assert row.attempts == 1  # the killed try left no trace in the database


def test_smtp_down_then_up_retries_with_backoff_and_sends_once(worker_factory, smtp_sink, test_occasion):
    emails = _due_reminders(10)
    smtp_sink.stop()
    worker_factory(
        concurrency=2, env=_env(smtp_sink, REMINDERS_RETRY_BASE_SECONDS=1, REMINDERS_CLAIM_LEASE_SECONDS=2)
    )
    due = Delivery.objects.filter(recipient_email__in=emails, key__endswith=":d3")

    _sweep()
    wait_until(lambda: due.filter(attempts__gte=1).count() == 10, timeout=45, what="ingen forsøk registrert")
    failing = due.first()
    assert failing.state == DeliveryState.PLANNED
    assert "refused" in failing.last_error.lower()
    assert failing.next_attempt_at > failing.updated_at - dt.timedelta(seconds=1)

    smtp_sink.start()

    def all_sent():
        _sweep()
        return due.filter(state=DeliveryState.SENT).count() == 10

    wait_until(all_sent, timeout=60, interval=1.0, what="ble ikke sendt da SMTP kom tilbake")
    time.sleep(2)
    _assert_exactly_one_each(smtp_sink, emails)
    assert all(r.attempts >= 2 and r.last_error == "" for r in due)
