"""Planning, claiming and sending, in one process (the real-worker chain is in test_worker_integration.py)."""

import datetime as dt
import smtplib

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from audit.models import AuditEntry
from reminders import services
from reminders.models import CancelReason, Delivery, DeliveryState
from tests.factories import MunicipalityFactory, ProgramFactory, UserFactory
from tests.reminders.factories import DeliveryFactory, OccasionSettingFactory
from tests.reminders.occasions import CODE

pytestmark = pytest.mark.django_db


class BrokenBackend:
    """A mail backend whose server is down."""

    def __init__(self, *args, **kwargs):
        pass

    def open(self):
        raise ConnectionRefusedError(111, "Connection refused")

    def close(self):
        pass

    def send_messages(self, messages):
        self.open()


@pytest.fixture
def smtp_down(settings):
    settings.EMAIL_BACKEND = "tests.reminders.test_services.BrokenBackend"


def _deadline(days: float) -> dt.datetime:
    return timezone.now() + dt.timedelta(days=days)


# --- sending ---------------------------------------------------------------------------------------------


def test_a_sent_row_is_never_sent_again():
    row = DeliveryFactory()
    services.deliveries_send(delivery_ids=[row.pk])
    services.deliveries_send(delivery_ids=[row.pk])
    assert len(mail.outbox) == 1
    row.refresh_from_db()
    assert row.state == DeliveryState.SENT
    assert row.attempts == 1


def test_a_failure_keeps_the_error_and_backs_off_exponentially(smtp_down, settings):
    settings.REMINDERS_RETRY_BASE_SECONDS = 60
    row = DeliveryFactory()
    before = timezone.now()

    services.deliveries_send(delivery_ids=[row.pk])
    row.refresh_from_db()
    assert row.state == DeliveryState.PLANNED
    assert row.attempts == 1
    assert "Connection refused" in row.last_error
    assert dt.timedelta(seconds=59) < row.next_attempt_at - before < dt.timedelta(seconds=70)

    services.deliveries_send(delivery_ids=[row.pk], now=row.next_attempt_at)
    row.refresh_from_db()
    assert row.attempts == 2
    assert (
        dt.timedelta(seconds=119)
        < row.next_attempt_at - before - dt.timedelta(seconds=60)
        < dt.timedelta(seconds=130)
    )
    assert mail.outbox == []


def test_after_the_last_attempt_the_row_is_failed_and_visible(smtp_down, settings):
    settings.REMINDERS_MAX_ATTEMPTS = 2
    row = DeliveryFactory()
    services.deliveries_send(delivery_ids=[row.pk])
    row.refresh_from_db()
    services.deliveries_send(delivery_ids=[row.pk], now=row.next_attempt_at)
    row.refresh_from_db()
    assert row.state == DeliveryState.FAILED
    assert row.attempts == 2
    assert "Connection refused" in row.last_error


def test_a_row_backing_off_is_not_sent_before_its_time(smtp_down, settings):
    row = DeliveryFactory()
    services.deliveries_send(delivery_ids=[row.pk])
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    services.deliveries_send(delivery_ids=[row.pk])  # a duplicate task right away
    assert mail.outbox == []
    assert services.deliveries_claim_due() == []


def test_one_refused_recipient_does_not_stop_the_batch(settings, monkeypatch):
    from django.core.mail.backends.locmem import EmailBackend

    original = EmailBackend.send_messages

    def refuse_some(self, messages):
        if "nei@example.org" in messages[0].to[0]:
            raise smtplib.SMTPRecipientsRefused({"nei@example.org": (550, b"No such user")})
        return original(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", refuse_some)
    bad = DeliveryFactory(recipient_email="nei@example.org", recipient_name="")
    good = DeliveryFactory()
    services.deliveries_send(delivery_ids=[bad.pk, good.pk])
    bad.refresh_from_db()
    good.refresh_from_db()
    assert good.state == DeliveryState.SENT
    assert bad.state == DeliveryState.PLANNED
    assert "No such user" in bad.last_error
    assert len(mail.outbox) == 1


# --- claiming --------------------------------------------------------------------------------------------


def test_claim_takes_due_rows_once_until_the_lease_runs_out(settings):
    settings.REMINDERS_CLAIM_LEASE_SECONDS = 600
    due = DeliveryFactory()
    DeliveryFactory(planned_at=_deadline(1))
    DeliveryFactory(sent=True)

    assert services.deliveries_claim_due() == [due.pk]
    assert services.deliveries_claim_due() == []  # already queued: a second sweep does not queue it again
    later = timezone.now() + dt.timedelta(seconds=601)
    assert services.deliveries_claim_due(now=later) == [due.pk]  # its task got lost: queued again


def test_a_reminder_found_after_its_moment_is_missed_not_sent():
    row = DeliveryFactory(planned_at=_deadline(-4), expires_at=_deadline(-1))
    assert services.deliveries_claim_due() == []
    row.refresh_from_db()
    assert row.state == DeliveryState.MISSED
    assert mail.outbox == []


def test_paused_occasion_is_not_claimed():
    program = ProgramFactory()
    OccasionSettingFactory(program=program, occasion="tests.notice", paused=True)
    DeliveryFactory(program=program)
    assert services.deliveries_claim_due() == []


# --- planning with the test occasion ---------------------------------------------------------------------


def test_plan_creates_one_row_per_recipient_and_offset(test_occasion):
    program = ProgramFactory(interest_deadline=_deadline(30))
    MunicipalityFactory(email="a@example.org")
    MunicipalityFactory(email="b@example.org")
    MunicipalityFactory(email="")  # no address: nobody to remind

    stats = services.deliveries_plan()
    assert stats.created == 6
    rows = Delivery.objects.filter(occasion=CODE, program=program)
    assert rows.count() == 6
    assert sorted({r.key.rsplit(":", 1)[1] for r in rows}) == ["d1", "d14", "d3"]
    assert services.deliveries_plan().created == 0  # planning twice changes nothing


def test_a_moved_deadline_moves_the_planned_reminders(test_occasion):
    program = ProgramFactory(interest_deadline=_deadline(30))
    MunicipalityFactory(email="a@example.org")
    services.deliveries_plan()
    before = {r.key: r.planned_at for r in Delivery.objects.all()}

    program.interest_deadline += dt.timedelta(days=7)
    program.save()
    stats = services.deliveries_plan()

    assert stats.moved == 3
    after = {r.key: r.planned_at for r in Delivery.objects.all()}
    assert all(after[k] - before[k] == dt.timedelta(days=7) for k in before)


def test_changed_offsets_cancel_the_old_and_plan_the_new(test_occasion):
    program = ProgramFactory(interest_deadline=_deadline(30))
    MunicipalityFactory(email="a@example.org")
    services.deliveries_plan()
    OccasionSettingFactory(program=program, occasion=CODE, offsets_days=[7])
    services.deliveries_plan()
    states = dict(Delivery.objects.values_list("key", "state"))
    assert [s for k, s in states.items() if k.endswith(":d7")] == [DeliveryState.PLANNED]
    assert sum(1 for s in states.values() if s == DeliveryState.CANCELLED) == 3


def test_a_recipient_that_no_longer_qualifies_is_cancelled_and_comes_back(test_occasion):
    ProgramFactory(interest_deadline=_deadline(30))
    municipality = MunicipalityFactory(email="a@example.org")
    services.deliveries_plan()
    municipality.is_member = False
    municipality.save()
    services.deliveries_plan()
    assert set(Delivery.objects.values_list("state", "cancel_reason")) == {
        (DeliveryState.CANCELLED, CancelReason.PLAN)
    }
    municipality.is_member = True
    municipality.save()
    assert services.deliveries_plan().revived == 3
    assert set(Delivery.objects.values_list("state", flat=True)) == {DeliveryState.PLANNED}


def test_condition_false_at_send_time_is_skipped(test_occasion):
    ProgramFactory(interest_deadline=_deadline(2))  # the 14- and 3-day reminders are due now
    municipality = MunicipalityFactory(email="a@example.org")
    services.deliveries_plan()
    ids = services.deliveries_claim_due()
    municipality.is_member = False
    municipality.save()
    services.deliveries_send(delivery_ids=ids)
    assert mail.outbox == []
    assert set(Delivery.objects.filter(pk__in=ids).values_list("state", flat=True)) <= {
        DeliveryState.SKIPPED,
        DeliveryState.MISSED,
    }
    assert Delivery.objects.filter(state=DeliveryState.SKIPPED).exists()


def test_due_reminder_is_rendered_at_send_time_with_name_deadline_and_link(test_occasion):
    program = ProgramFactory(interest_deadline=dt.datetime(2030, 9, 15, 21, 59, tzinfo=dt.UTC))
    MunicipalityFactory(email="a@example.org", name="Sunnfjord")
    services.deliveries_plan(now=dt.datetime(2030, 9, 1, 0, 0, tzinfo=dt.UTC))
    row = Delivery.objects.get(key__endswith=":d14")
    services.deliveries_send(delivery_ids=[row.pk], now=row.planned_at)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "15. september 2030 kl. 23:59" in message.body
    assert "Sunnfjord" in message.body
    assert f"/program/{program.pk}/" in message.body
    # the 14-day reminder expires when the 3-day one is due: found after that, it is missed
    later = Delivery.objects.get(key__endswith=":d3")
    assert (
        services.deliveries_send(
            delivery_ids=[later.pk], now=later.expires_at + dt.timedelta(minutes=1)
        ).missed
        == 1
    )


def test_sweep_task_plans_claims_and_sends(test_occasion, django_capture_on_commit_callbacks):
    from reminders.tasks import deliveries_sweep

    ProgramFactory(interest_deadline=_deadline(2.5))
    MunicipalityFactory(email="a@example.org")
    deliveries_sweep.delay()
    # the 14-day reminder was missed (the 3-day one is due now); the 3-day one goes, the 1-day waits
    states = dict(Delivery.objects.values_list("key", "state"))
    assert sorted(states.values()) == sorted(
        [DeliveryState.MISSED, DeliveryState.SENT, DeliveryState.PLANNED]
    )
    assert len(mail.outbox) == 1


# --- leadership's actions --------------------------------------------------------------------------------


def test_cancel_and_resend_are_audited():
    leader = UserFactory(leadership=True, full_name="Lea Leder")
    row = DeliveryFactory(planned_at=_deadline(1))
    services.delivery_cancel(actor=leader, delivery=row)
    row.refresh_from_db()
    assert (row.state, row.cancel_reason) == (DeliveryState.CANCELLED, CancelReason.MANUAL)
    with pytest.raises(ValidationError):
        services.delivery_cancel(actor=leader, delivery=row)

    services.delivery_resend(actor=leader, delivery=row)
    row.refresh_from_db()
    assert row.state == DeliveryState.PLANNED
    assert list(AuditEntry.objects.order_by("id").values_list("action", flat=True)) == [
        "reminders.delivery.cancelled",
        "reminders.delivery.resent",
    ]


def test_resend_of_a_failed_row_sends_it(django_capture_on_commit_callbacks):
    leader = UserFactory(leadership=True, full_name="Lea Leder")
    row = DeliveryFactory(failed=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.delivery_resend(actor=leader, delivery=row)
    row.refresh_from_db()
    assert row.state == DeliveryState.SENT
    assert len(mail.outbox) == 1


def test_setting_update_validates_and_replans(test_occasion):
    leader = UserFactory(leadership=True, full_name="Lea Leder")
    program = ProgramFactory(interest_deadline=_deadline(30))
    MunicipalityFactory(email="a@example.org")
    services.deliveries_plan()
    with pytest.raises(ValidationError) as error:
        services.occasion_setting_update(
            actor=leader,
            program=program,
            occasion=test_occasion,
            offsets_days=[-1],
            subject_override="{ukjent}",
            body_override="",
        )
    assert set(error.value.message_dict) == {"offsets_days", "subject_override"}

    services.occasion_setting_update(
        actor=leader,
        program=program,
        occasion=test_occasion,
        offsets_days=[5, 2],
        subject_override="Frist {frist}",
        body_override="",
    )
    planned = sorted(Delivery.objects.filter(state=DeliveryState.PLANNED).values_list("key", flat=True))
    assert [k.rsplit(":", 1)[1] for k in planned] == ["d2", "d5"]
    assert AuditEntry.objects.filter(action="reminders.occasion_setting.updated").count() == 1


def test_pause_is_audited_and_stops_sending(test_occasion):
    leader = UserFactory(leadership=True, full_name="Lea Leder")
    program = ProgramFactory(interest_deadline=_deadline(2))
    MunicipalityFactory(email="a@example.org")
    services.deliveries_plan()
    services.occasion_pause(actor=leader, program=program, occasion=test_occasion, paused=True)
    assert services.deliveries_claim_due() == []
    services.occasion_pause(actor=leader, program=program, occasion=test_occasion, paused=False)
    assert len(services.deliveries_claim_due()) >= 1
    assert list(AuditEntry.objects.order_by("id").values_list("action", flat=True)) == [
        "reminders.occasion_setting.paused",
        "reminders.occasion_setting.resumed",
    ]


def _send_queries(ids) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        services.deliveries_send(delivery_ids=ids)
    return len(ctx.captured_queries)


def test_sending_costs_a_constant_number_of_queries_per_delivery():
    five = _send_queries([DeliveryFactory().pk for _ in range(5)])
    fifteen = _send_queries([DeliveryFactory().pk for _ in range(15)])
    # per row: SELECT ... FOR UPDATE and UPDATE, wrapped here in SAVEPOINT/RELEASE because the test runs
    # inside a transaction (the worker runs them as their own transaction: 2 statements, see bench/README.md)
    assert fifteen - five == 10 * 4
    assert five == 5 * 4 + 2  # per batch: the rows to prepare and the paused occasions


def test_reminders_rendered_at_send_time_cost_the_same_per_delivery(test_occasion):
    def due_batch(count: int) -> list[int]:
        program = ProgramFactory(interest_deadline=_deadline(30))
        for i in range(count):
            MunicipalityFactory(email=f"k{program.pk}-{i}@example.org")
        services.deliveries_plan(codes=[CODE])
        rows = Delivery.objects.filter(program=program, key__endswith=":d14")
        rows.update(next_attempt_at=timezone.now(), expires_at=None)
        return list(rows.values_list("pk", flat=True))

    small = due_batch(3)
    small_queries = _send_queries(small)
    Delivery.objects.update(state=DeliveryState.SENT)
    large = due_batch(12)
    large_queries = _send_queries(large)
    assert len(large) - len(small) == 9 + 3  # the 3 municipalities of the first batch are planned again too
    assert large_queries - small_queries == (len(large) - len(small)) * 4
    assert len(mail.outbox) == len(small) + len(large)


def _checked_occasion():
    """A message rendered when queued whose recipient must still be active when it is sent (one query a batch)."""
    from accounts.models import User
    from reminders.occasions import ImmediateOccasion, Stale, register

    def check(rows):
        active = set(
            User.objects.filter(pk__in=[r.context["user"] for r in rows], is_active=True).values_list(
                "pk", flat=True
            )
        )
        return {r.pk: Stale("Brukeren er deaktivert.") for r in rows if r.context["user"] not in active}

    return register(ImmediateOccasion("tests.checked", "Sjekket melding", check=check))


@pytest.mark.usefixtures("test_occasion")
def test_a_queued_message_that_is_stale_at_send_time_is_skipped_with_its_reason():
    _checked_occasion()
    gone, here = UserFactory(is_active=False), UserFactory()
    stale = DeliveryFactory(
        occasion="tests.checked", recipient_email="borte@example.org", context={"user": gone.pk}
    )
    valid = DeliveryFactory(
        occasion="tests.checked", recipient_email="her@example.org", context={"user": here.pk}
    )
    stats = services.deliveries_send(delivery_ids=[stale.pk, valid.pk])
    assert (stats.sent, stats.skipped) == (1, 1)
    assert [m.to for m in mail.outbox] == [[f"{valid.recipient_name} <her@example.org>"]]
    stale.refresh_from_db()
    assert stale.state == DeliveryState.SKIPPED
    assert stale.last_error == "Brukeren er deaktivert."
    # sending it again would only be skipped again: leadership is told why at once
    with pytest.raises(ValidationError, match="Brukeren er deaktivert"):
        services.delivery_resend(actor=UserFactory(leadership=True), delivery=stale)


@pytest.mark.usefixtures("test_occasion")
def test_the_check_at_send_time_costs_the_same_for_one_row_and_thirty():
    _checked_occasion()

    def batch(count: int) -> list[int]:
        users = [UserFactory(is_active=bool(i % 2)) for i in range(count)]
        return [DeliveryFactory(occasion="tests.checked", context={"user": u.pk}).pk for u in users]

    one, thirty = _send_queries(batch(1)), _send_queries(batch(30))
    # per row as before (lock, update; savepoints in the test); per batch: the rows, the paused occasions,
    # and the check in its own savepoint: SAVEPOINT, its one query, RELEASE
    assert one == 1 * 4 + 2 + 3
    assert thirty == 30 * 4 + 2 + 3
    # the one row of the first batch and every other of the thirty are for deactivated users
    assert Delivery.objects.filter(state=DeliveryState.SKIPPED).count() == 1 + 15
    assert len(mail.outbox) == 15


@pytest.mark.usefixtures("test_occasion")
def test_a_check_that_fails_keeps_its_rows_for_a_retry_and_the_rest_of_the_batch_goes():
    from reminders.occasions import ImmediateOccasion, register

    def broken(rows):
        raise RuntimeError("databasen svarte ikke")

    register(ImmediateOccasion("tests.checked", "Sjekket melding", check=broken))
    checked = DeliveryFactory(occasion="tests.checked")
    plain = DeliveryFactory(recipient_email="vanlig@example.org")
    stats = services.deliveries_send(delivery_ids=[checked.pk, plain.pk])
    assert [m.to[0].endswith("<vanlig@example.org>") for m in mail.outbox] == [True]
    assert (stats.sent, stats.failed) == (1, 1)
    checked.refresh_from_db()
    assert checked.state == DeliveryState.PLANNED
    assert checked.attempts == 1
    assert "databasen svarte ikke" in checked.last_error
