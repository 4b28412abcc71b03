"""Sending the claimed rows exactly once (with the retry settings); claiming them is in `claiming`.

Exactly-once, and where it ends. A row is sent by `deliveries_send` inside one transaction that holds the
row lock (`SELECT ... FOR UPDATE SKIP LOCKED`): it re-reads the state, hands the message to the SMTP server
and marks the row sent before COMMIT. Two sweeps, a task delivered twice or two workers on the same row
therefore never both send: the second either skips the locked row or finds it sent. A worker killed before
the SMTP server accepted the message leaves the row planned (the lock dies with the connection) and the
sweep queues it again after the claim lease, so nothing is lost. The one window left is between the
moment the message text has reached the SMTP server (end of DATA) and our COMMIT: the server may deliver
a message whose "250 accepted" we never recorded, and the next try sends it again. With a healthy server
that window is a few milliseconds. We chose that side (at least once at this boundary, never lost) over
marking the row before sending (at most once: a crash there loses the mail silently); the Message-ID is
the same on every try, so a duplicate from that window is recognisable and clients that deduplicate on it
show one. tests/reminders/test_worker_integration.py kills the worker while the server holds a message
before its text was sent, which must give neither loss nor duplicate, and kills it inside the window
(the server has the message, its "250" is held back), which must lose nothing and give that one message
twice with one Message-ID. No SMTP client can close this window: the protocol has no way to ask a server
afterwards whether it took a message.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.core.mail import get_connection
from django.db import connection as db_connection
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import Delivery, DeliveryState, OccasionSetting
from ..occasions import (
    ConfigLookup,
    Occasion,
    Prepared,
    Stale,
    occasion_get,
)
from .claiming import _setting
from .mail import _email_for

logger = logging.getLogger(__name__)


# Why a row is not sent when its occasion gave no reason of its own.
NO_LONGER_APPLIES = gettext_lazy("Det påminnelsen gjelder, er allerede gjort, flyttet eller avlyst.")
# Why a row that was sent is not sent again, when its occasion's reason speaks of a row never sent.
SENT_NO_LONGER_APPLIES = gettext_lazy("Det e-posten gjaldt, er endret eller avlyst etter at den ble sendt.")


def max_attempts() -> int:
    return int(_setting("REMINDERS_MAX_ATTEMPTS", 8))


def retry_delay(attempts: int) -> dt.timedelta:
    """Exponential back-off: base, 2×base, 4×base ... capped at six hours."""
    base = int(_setting("REMINDERS_RETRY_BASE_SECONDS", 60))
    return dt.timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 6 * 3600))


# --- sending -------------------------------------------------------------------------------------------


@dataclass
class SendStats:
    sent: int = 0
    failed: int = 0
    skipped: int = 0
    missed: int = 0
    not_mine: int = 0
    errors: list[str] = field(default_factory=list)


def _is_connection_error(exc: BaseException) -> bool:
    """The server is unreachable or gone (fail the rest of the batch too), not a problem with one message."""
    if isinstance(
        exc,
        smtplib.SMTPServerDisconnected
        | smtplib.SMTPConnectError
        | smtplib.SMTPHeloError
        | smtplib.SMTPAuthenticationError,
    ):
        return True
    if isinstance(exc, smtplib.SMTPResponseException):
        return exc.smtp_code == 421  # "service not available, closing channel"
    if isinstance(exc, smtplib.SMTPException):
        return False  # e.g. recipients refused: the server answered about this message
    return isinstance(exc, OSError)


def _record_failure(row: Delivery, error: str, now: dt.datetime) -> None:
    row.attempts += 1
    row.last_error = error[:2000]
    row.queued_at = None
    if row.attempts >= max_attempts():
        row.state = DeliveryState.FAILED
    else:
        row.next_attempt_at = now + retry_delay(row.attempts)
    row.save(update_fields=["attempts", "last_error", "queued_at", "state", "next_attempt_at", "updated_at"])


@dataclass
class _Verdicts:
    """What the occasions said about a batch before sending: what to send, what is stale, what failed."""

    prepared: dict[int, Prepared | None] = field(default_factory=dict)
    stale: dict[int, str] = field(default_factory=dict)
    superseded: set[int] = field(default_factory=set)
    # per stale row its reason for a row that was sent (`Stale.after_sent`), when it differs
    after_sent: dict[int, str] = field(default_factory=dict)
    failures: dict[int, str] = field(default_factory=dict)

    def add_checked(self, checked: Mapping[int, Stale | Prepared | None]) -> None:
        for pk, verdict in checked.items():
            if isinstance(verdict, Stale):
                self.stale[pk] = verdict.reason
                if verdict.superseded:
                    self.superseded.add(pk)
                if verdict.after_sent:
                    self.after_sent[pk] = verdict.after_sent
            else:
                self.prepared[pk] = verdict

    def answered(self, row: Delivery) -> bool:
        """Its occasion said something about the row (a prerendered row needs no answer to be sent)."""
        return row.is_prerendered or row.pk in self.prepared or row.pk in self.stale

    def skip_reason(self, row: Delivery) -> str | None:
        """Why the row no longer applies ("" when its occasion gave no reason), or None to send it."""
        if row.pk in self.stale:
            return self.stale[row.pk]
        if not row.is_prerendered and self.prepared[row.pk] is None:
            return ""
        return None


def _checks_at_send(occasion: Occasion | None) -> bool:
    return occasion is not None and occasion.checks_at_send


def _prepare_rows(rows: Sequence[Delivery]) -> _Verdicts:
    """Ask each occasion, for its rows in the batch, whether they still apply and with what context.

    Rows rendered when queued are asked only when their occasion checks them at send time
    (`Occasion.checks_at_send`, e.g. `ImmediateOccasion(check=...)`); the others cost no query here. A row whose occasion failed to answer
    gets an error: it is recorded as a failed attempt (visible, retried), and the other occasions' rows in
    the batch still go.
    """
    verdicts = _Verdicts()
    by_occasion: dict[str, list[Delivery]] = {}
    for row in rows:
        by_occasion.setdefault(row.occasion, []).append(row)
    planned = [r for r in rows if not r.is_prerendered]
    configs = ConfigLookup({r.program_id for r in planned if r.program_id}) if planned else None
    for code, group in by_occasion.items():
        occasion = occasion_get(code)
        to_prepare = [r for r in group if not r.is_prerendered]
        to_check = [r for r in group if r.is_prerendered] if _checks_at_send(occasion) else []
        if not to_prepare and not to_check:
            continue
        if occasion is None:
            logger.error("reminders: no occasion %r is declared; %d rows wait", code, len(to_prepare))
            continue
        try:
            with transaction.atomic():  # a failed query must not break the batch's connection state
                if to_prepare:
                    assert configs is not None
                    verdicts.add_checked(occasion.prepare(to_prepare, configs=configs))
                if to_check:
                    verdicts.add_checked(occasion.recheck(to_check))
        except Exception as exc:
            logger.exception("reminders: occasion %s could not prepare %d rows", code, len(group))
            error = f"{type(exc).__name__}: {exc}"
            verdicts.failures.update(dict.fromkeys((r.pk for r in [*to_prepare, *to_check]), error))
    return verdicts


def deliveries_send_refusals(rows: Sequence[Delivery]) -> dict[int, str]:
    """Per row id, why sending it now would send nothing: its occasion refuses a resend (an old link) or says,
    as the worker would ask it, that the row no longer applies (the gathering was cancelled). Rows that would
    go are left out. Leadership's list asks this for a page before offering «Send nå», and `delivery_resend`
    before claiming it sends; a fixed number of queries per occasion, as the worker's batch.

    A row that was sent gets the reason for a sent row (`Stale.after_sent`): an invitation sent before its
    gathering was cancelled was not «avlyst før denne ble sendt»."""
    if not rows:
        return {}
    refusals: dict[int, str] = {}
    by_occasion: dict[str, list[Delivery]] = {}
    for row in rows:
        by_occasion.setdefault(row.occasion, []).append(row)
    for code, group in by_occasion.items():
        occasion = occasion_get(code)
        if occasion is None:
            continue
        try:
            refusals.update(occasion.resend_refusals([r for r in group if r.is_prerendered]))
        except Exception:  # the list must still open; sending is checked again when it is asked for
            logger.exception("reminders: occasion %s could not say whether its rows may be resent", code)
    verdicts = _prepare_rows([r for r in rows if r.pk not in refusals])
    for row in rows:
        if row.pk in refusals or row.pk in verdicts.failures or not verdicts.answered(row):
            continue  # an occasion that failed to answer gets its try: the worker records the error
        reason = verdicts.skip_reason(row)
        if reason is None:
            continue
        if row.state == DeliveryState.SENT and row.pk in verdicts.stale:
            reason = verdicts.after_sent.get(row.pk) or str(SENT_NO_LONGER_APPLIES)
        refusals[row.pk] = reason or str(NO_LONGER_APPLIES)
    return refusals


# The two statements run once per delivery, written out: building them with the ORM cost more CPU than
# everything else the worker does for a row (see bench/README.md). They touch only this app's own table.
_TABLE = Delivery._meta.db_table
_LOCK_COLUMNS = ("state", "next_attempt_at", "expires_at", "attempts", "recipient_name")


def _aware(value):
    # PostgreSQL returns aware datetimes; SQLite (the embedded default) returns naive UTC ones
    if value is not None and timezone.is_naive(value):
        return value.replace(tzinfo=dt.UTC)
    return value


def _row_lock(pk: int) -> tuple | None:
    """Lock one row for this transaction, or None when another worker holds it (or it is gone).

    Returns what may have changed since the batch was read: state, next attempt, expiry, attempts, name.
    """
    skip_locked = (
        " FOR UPDATE SKIP LOCKED" if db_connection.features.has_select_for_update_skip_locked else ""
    )
    with db_connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(_LOCK_COLUMNS)} FROM {_TABLE} WHERE id = %s{skip_locked}",  # noqa: S608
            [pk],
        )
        found = cursor.fetchone()
    if found is None:
        return None
    state, next_attempt_at, expires_at, attempts, name = found
    return state, _aware(next_attempt_at), _aware(expires_at), attempts, name


def _row_mark_sent(pk: int, *, now: dt.datetime, attempts: int, variant: str) -> None:
    with db_connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {_TABLE} SET state = %s, sent_at = %s, attempts = %s, last_error = '', "  # noqa: S608
            "queued_at = NULL, variant = %s, updated_at = %s WHERE id = %s",
            [DeliveryState.SENT.value, now, attempts, variant, now, pk],
        )


def deliveries_send(*, delivery_ids: Sequence[int], now: dt.datetime | None = None) -> SendStats:
    """Send the given rows over one SMTP connection, each in its own transaction under its row lock."""
    stats = SendStats()
    # the rows' content is read once for the batch; each row's state is read again under its lock below
    rows = {row.pk: row for row in Delivery.objects.filter(pk__in=delivery_ids, state=DeliveryState.PLANNED)}
    verdicts = _prepare_rows(list(rows.values()))
    paused = set(OccasionSetting.objects.filter(paused=True).values_list("program_id", "occasion"))
    mail_connection = get_connection()
    connection_error: str | None = None
    try:
        for pk in delivery_ids:
            now_row = now or timezone.now()
            row = rows.get(pk)
            if row is None:
                stats.not_mine += 1  # already finished (or not due any more) when the batch was read
                continue
            with transaction.atomic():
                if not _row_relock(row, now_row, stats) or _row_settled(
                    row, now_row, paused, verdicts, stats
                ):
                    continue
                if connection_error is not None:
                    _record_failure(row, connection_error, now_row)
                    stats.failed += 1
                    continue
                connection_error = _row_send(row, verdicts.prepared.get(pk), mail_connection, now_row, stats)
    finally:
        _close_quietly(mail_connection)
    if connection_error:
        logger.warning("reminders: mail server unavailable (%s); rows will be retried", connection_error)
    return stats


def _row_relock(row: Delivery, now: dt.datetime, stats: SendStats) -> bool:
    """Lock the row and take what may have changed since the batch was read; False when it is not ours now."""
    locked = _row_lock(row.pk)
    if locked is None or locked[0] != DeliveryState.PLANNED:
        stats.not_mine += 1  # being sent by someone else right now, or already finished
        return False
    row.state, row.next_attempt_at, row.expires_at, row.attempts, row.recipient_name = locked
    if row.next_attempt_at > now + dt.timedelta(seconds=5):
        stats.not_mine += 1  # moved into the future (new deadline, back-off) after it was queued
        return False
    return True


def _row_settled(
    row: Delivery, now: dt.datetime, paused: set[tuple[int, str]], verdicts: _Verdicts, stats: SendStats
) -> bool:
    """Settle a locked row that must not go now (paused, too late, its occasion failed to answer or says it
    no longer applies); True when it was settled, False when it is to be sent."""
    if (row.program_id, row.occasion) in paused:
        row.queued_at = None
        row.save(update_fields=["queued_at", "updated_at"])
        return True
    if row.expires_at is not None and row.expires_at < now:
        row.state = DeliveryState.MISSED
        row.queued_at = None
        row.last_error = _("Funnet etter at tidspunktet var passert.")
        row.save(update_fields=["state", "queued_at", "last_error", "updated_at"])
        stats.missed += 1
        return True
    if row.pk in verdicts.failures:
        _record_failure(row, verdicts.failures[row.pk], now)
        stats.failed += 1
        stats.errors.append(verdicts.failures[row.pk])
        return True
    if not verdicts.answered(row):
        return True  # undeclared occasion: leave it planned and visible
    reason = verdicts.skip_reason(row)
    if reason is None:
        return False
    row.state = DeliveryState.SUPERSEDED if row.pk in verdicts.superseded else DeliveryState.SKIPPED
    row.queued_at = None
    row.last_error = (
        reason  # shown in the outbox list beside "skipped"; a stale failure's error would mislead
    )
    row.save(update_fields=["state", "queued_at", "last_error", "updated_at"])
    stats.skipped += 1
    return True


def _row_send(
    row: Delivery, prepared: Prepared | None, mail_connection, now: dt.datetime, stats: SendStats
) -> str | None:
    """Hand one row to the SMTP server and mark it sent. Returns the error when the server is unreachable
    (the rest of the batch then fails without trying); a problem with this one message fails it alone."""
    try:
        email = _email_for(row, prepared, mail_connection)
        # open once for the batch: send() alone would connect and QUIT for every message
        mail_connection.open()
        email.send()
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"
        _record_failure(row, error, now)
        stats.failed += 1
        stats.errors.append(error)
        if _is_connection_error(exc):
            _close_quietly(mail_connection)
            return error
        logger.warning("reminders: delivery %s failed: %s", row.pk, error)
        return None
    row.state = DeliveryState.SENT
    row.attempts += 1
    # a row rendered when queued keeps its variant unless its check built it again from the current state
    variant = prepared.variant if prepared is not None else row.variant
    _row_mark_sent(row.pk, now=now, attempts=row.attempts, variant=variant)
    stats.sent += 1
    return None


def _close_quietly(mail_connection) -> None:
    try:
        mail_connection.close()
    except Exception:  # noqa: S110 - closing a broken connection may fail too; nothing to do about it
        pass
