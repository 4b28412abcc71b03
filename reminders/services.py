"""Every write of the outbox: planning, claiming due rows, sending them exactly once, leadership's actions.

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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from email.charset import BASE64, Charset
from email.header import Header

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection as db_connection
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_log, changed_fields

from .models import CancelReason, Delivery, DeliveryState, OccasionSetting
from .occasions import (
    ConfigLookup,
    Occasion,
    Plan,
    Prepared,
    occasion_get,
    occasions_all,
    placeholder_errors,
)
from .outbox import Recipient, attachments_from_json, message_render

logger = logging.getLogger(__name__)

PLAN_LOCK_ID = 4_711_001  # pg advisory lock: one planner at a time, a second sweep skips planning


def _setting(name: str, default):
    return getattr(settings, name, default)


def max_attempts() -> int:
    return int(_setting("REMINDERS_MAX_ATTEMPTS", 8))


def claim_lease() -> dt.timedelta:
    return dt.timedelta(seconds=int(_setting("REMINDERS_CLAIM_LEASE_SECONDS", 600)))


def retry_delay(attempts: int) -> dt.timedelta:
    """Exponential back-off: base, 2×base, 4×base ... capped at six hours."""
    base = int(_setting("REMINDERS_RETRY_BASE_SECONDS", 60))
    return dt.timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 6 * 3600))


# --- planning ------------------------------------------------------------------------------------------


@dataclass
class PlanStats:
    created: int = 0
    moved: int = 0
    revived: int = 0
    cancelled: int = 0
    skipped_locked: bool = False
    failed_occasions: list[str] = field(default_factory=list)


def _try_plan_lock() -> bool:
    if db_connection.vendor != "postgresql":
        return True  # SQLite serialises writers anyway
    with db_connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [PLAN_LOCK_ID])
        return bool(cursor.fetchone()[0])


def deliveries_plan(*, now: dt.datetime | None = None, codes: Iterable[str] | None = None) -> PlanStats:
    """Bring the planned rows in line with the database: new ones created, moved deadlines moved, rows that
    no longer apply cancelled (and planned again if they come back). Sent and finished rows are never touched.
    """
    now = now or timezone.now()
    stats = PlanStats()
    wanted_codes = set(codes) if codes is not None else None
    with transaction.atomic():
        if not _try_plan_lock():
            stats.skipped_locked = True
            return stats
        configs = ConfigLookup()
        for occasion in occasions_all():
            if wanted_codes is not None and occasion.code not in wanted_codes:
                continue
            try:
                with transaction.atomic():  # one occasion that fails to plan leaves the others planned
                    for plan in occasion.plan(now=now, configs=configs):
                        _plan_apply(occasion, plan, stats)
            except Exception:
                logger.exception(
                    "reminders: occasion %s could not be planned; the others were", occasion.code
                )
                stats.failed_occasions.append(occasion.code)
    return stats


def _plan_apply(occasion: Occasion, plan: Plan, stats: PlanStats) -> None:
    existing = {
        (row.key, row.recipient_email): row
        for row in Delivery.objects.filter(occasion=occasion.code, scope=plan.scope).only(
            "id",
            "key",
            "recipient_email",
            "recipient_name",
            "state",
            "cancel_reason",
            "planned_at",
            "expires_at",
            "attempts",
            "next_attempt_at",
            "context",
            "resends",
        )
    }
    wanted = {}
    for item in plan.deliveries:
        email = item.recipient.email.strip().lower()
        if email:
            wanted.setdefault((item.key, email), item)

    new_rows, changed, revived = [], [], []
    for ident, item in wanted.items():
        row = existing.get(ident)
        if row is None:
            new_rows.append(
                Delivery(
                    occasion=occasion.code,
                    key=item.key,
                    scope=plan.scope,
                    program_id=item.program_id,
                    recipient_email=ident[1],
                    recipient_name=item.recipient.name,
                    recipient_user_id=item.recipient.user_id,
                    planned_at=item.planned_at,
                    next_attempt_at=item.planned_at,
                    expires_at=item.expires_at,
                    template=occasion.template,
                    context=item.context,
                )
            )
            continue
        revive = row.state == DeliveryState.CANCELLED and row.cancel_reason == CancelReason.PLAN
        if row.state != DeliveryState.PLANNED and not revive:
            continue
        if row.state == DeliveryState.PLANNED and row.resends:
            continue  # leadership asked for it now: its time is not the plan's (the condition is checked at send)
        moved = row.planned_at != item.planned_at or row.expires_at != item.expires_at
        if not (moved or revive or row.recipient_name != item.recipient.name or row.context != item.context):
            continue
        row.planned_at = item.planned_at
        row.expires_at = item.expires_at
        row.recipient_name = item.recipient.name
        row.context = item.context
        if row.attempts == 0 or revive:
            row.next_attempt_at = item.planned_at
        row.queued_at = None
        if revive:
            revived.append(row)
        else:
            changed.append(row)
            stats.moved += int(moved)

    if new_rows:
        # ignore_conflicts: a concurrent message_send with the same key may have won; it keeps its row.
        Delivery.objects.bulk_create(new_rows, batch_size=500, ignore_conflicts=True)
        stats.created += len(new_rows)
    if changed:
        Delivery.objects.bulk_update(
            changed,
            ["planned_at", "expires_at", "recipient_name", "context", "next_attempt_at", "queued_at"],
            batch_size=500,
        )
    if revived:
        ids = [r.pk for r in revived]
        Delivery.objects.bulk_update(
            revived,
            ["planned_at", "expires_at", "recipient_name", "context", "next_attempt_at"],
            batch_size=500,
        )
        stats.revived += Delivery.objects.filter(
            pk__in=ids, state=DeliveryState.CANCELLED, cancel_reason=CancelReason.PLAN
        ).update(state=DeliveryState.PLANNED, cancel_reason="", queued_at=None)
    gone = [
        row.pk
        for ident, row in existing.items()
        if ident not in wanted and row.state == DeliveryState.PLANNED and not row.resends
    ]
    if gone:
        stats.cancelled += Delivery.objects.filter(pk__in=gone, state=DeliveryState.PLANNED).update(
            state=DeliveryState.CANCELLED, cancel_reason=CancelReason.PLAN, queued_at=None
        )


# --- claiming ------------------------------------------------------------------------------------------


def _not_paused():
    return ~Exists(
        OccasionSetting.objects.filter(
            program_id=OuterRef("program_id"), occasion=OuterRef("occasion"), paused=True
        )
    )


def deliveries_claim_due(*, now: dt.datetime | None = None, limit: int | None = None) -> list[int]:
    """Lock the due rows nobody has queued (or whose task got lost), mark them queued, return their ids.

    Rows another sweep holds are skipped (`skip_locked`), so two sweeps at once split the work instead of
    doubling it. A due row whose moment has passed (its `expires_at`) is marked missed instead.
    """
    now = now or timezone.now()
    limit = limit or int(_setting("REMINDERS_SWEEP_LIMIT", 50_000))
    with transaction.atomic():
        rows = list(
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(state=DeliveryState.PLANNED, next_attempt_at__lte=now)
            .filter(Q(queued_at__isnull=True) | Q(queued_at__lt=now - claim_lease()))
            .filter(_not_paused())
            .order_by("next_attempt_at", "id")
            .values_list("id", "expires_at")[:limit]
        )
        missed = [pk for pk, expires in rows if expires is not None and expires < now]
        due = [pk for pk, expires in rows if expires is None or expires >= now]
        if missed:
            Delivery.objects.filter(pk__in=missed).update(
                state=DeliveryState.MISSED,
                last_error=_("Funnet etter at tidspunktet var passert."),
                queued_at=None,
            )
        if due:
            Delivery.objects.filter(pk__in=due).update(queued_at=now)
    if missed:
        logger.info("reminders: %d deliveries found too late, marked missed", len(missed))
    return due


def chunks(ids: Sequence[int], size: int) -> list[list[int]]:
    return [list(ids[i : i + size]) for i in range(0, len(ids), size)]


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


def _message_id(row: Delivery) -> str:
    """The same on every try of one sending (so a duplicate from the crash window is recognisable); a new
    one when leadership sends the row again, since that is a new e-mail clients must not hide."""
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(" >") or "kulturskoleprogram.local"
    suffix = f"-{row.resends}" if row.resends else ""
    return f"<paaminnelse-{row.pk}{suffix}@{domain}>"


def _address(recipient: Recipient, *, encoded: bool = False) -> str:
    """«Name <address>» as the outbox always wrote it; names with address punctuation are quoted.

    `encoded`: the form for the header itself, with a non-ASCII name as encoded words (which need no quotes).
    """
    name = " ".join(recipient.name.split())
    if not name:
        return recipient.email
    if encoded and not name.isascii():
        return f"{header_words(name, header_name='To')} <{recipient.email}>"
    if any(c in name for c in ',;:<>@"()[]\\'):
        name = '"' + name.replace("\\", "").replace('"', "") + '"'
    return f"{name} <{recipient.email}>"


_HEADER_CHARSET = Charset("utf-8")
_HEADER_CHARSET.header_encoding = BASE64


def header_words(text: str, *, header_name: str = "Subject") -> str:
    """Header text as RFC 2047 encoded words (UTF-8, base64) when it is not plain ASCII, else unchanged.

    Every mail client reads it back as the same text. We encode it ourselves because the email package's
    default for UTF-8 headers first measures the quoted-printable form character by character to pick the
    shorter encoding, which was a third of the CPU it took to build a reminder (see bench/README.md).
    """
    if text.isascii():
        return text
    # encode() folds long text onto several lines; a header value given to Django must be one line, and
    # whitespace between encoded words is not part of the text (RFC 2047, 6.2). maxlinelen 75: with the
    # default 76 the email package makes words of 76 characters, one more than RFC 2047 allows. The header
    # name makes the first word short enough to stay on the header's own line when the message is written.
    encoded = Header(text, _HEADER_CHARSET, maxlinelen=75, header_name=header_name).encode()
    return " ".join(encoded.split())


class OutboxEmail(EmailMultiAlternatives):
    """Django's message for one recipient, with the subject and the recipient's name encoded by `header_words`
    and the bare address as the envelope. `subject` and `to` stay readable text for everyone who looks."""

    def __init__(self, *, recipient: Recipient, **kwargs) -> None:
        super().__init__(to=[_address(recipient)], **kwargs)
        self._to_header = _address(recipient, encoded=True)
        self._envelope = [recipient.email]

    def recipients(self) -> list[str]:
        return list(self._envelope)

    def message(self):
        readable = self.subject, self.to
        self.subject = header_words(str(self.subject))
        self.to = [self._to_header]
        try:
            return super().message()
        finally:
            self.subject, self.to = readable


def _email_for(row: Delivery, prepared: Prepared | None, mail_connection) -> EmailMultiAlternatives:
    recipient = Recipient(email=row.recipient_email, name=row.recipient_name, user_id=row.recipient_user_id)
    if row.is_prerendered:
        subject, body, html = row.subject, row.body, row.html
        attachments = attachments_from_json(row.attachments)
    else:
        assert prepared is not None
        message = message_render(template=prepared.template, context=prepared.context, recipient=recipient)
        subject, body, html, attachments = message.subject, message.body, message.html, []
    email = OutboxEmail(
        recipient=recipient,
        subject=subject,
        body=body,
        connection=mail_connection,
        headers={"Message-ID": _message_id(row), "Auto-Submitted": "auto-generated"},
    )
    if html:
        email.attach_alternative(html, "text/html")
    for attachment in attachments:
        email.attach(attachment.filename, attachment.content, attachment.mimetype)
    return email


def _record_failure(row: Delivery, error: str, now: dt.datetime) -> None:
    row.attempts += 1
    row.last_error = error[:2000]
    row.queued_at = None
    if row.attempts >= max_attempts():
        row.state = DeliveryState.FAILED
    else:
        row.next_attempt_at = now + retry_delay(row.attempts)
    row.save(update_fields=["attempts", "last_error", "queued_at", "state", "next_attempt_at", "updated_at"])


def _prepare_rows(rows: Sequence[Delivery]) -> tuple[dict[int, Prepared | None], dict[int, str]]:
    """Ask each occasion, for its rows in the batch, whether they still apply and with what context.

    Returns what to send per row, and an error per row whose occasion failed to answer: those rows are
    recorded as failed attempts (visible, retried), and the other occasions' rows in the batch still go.
    """
    rows = [r for r in rows if not r.is_prerendered]
    if not rows:
        return {}, {}
    configs = ConfigLookup({r.program_id for r in rows if r.program_id})
    by_occasion: dict[str, list[Delivery]] = {}
    for row in rows:
        by_occasion.setdefault(row.occasion, []).append(row)
    prepared: dict[int, Prepared | None] = {}
    failures: dict[int, str] = {}
    for code, group in by_occasion.items():
        occasion = occasion_get(code)
        if occasion is None:
            logger.error("reminders: no occasion %r is declared; %d rows wait", code, len(group))
            continue
        try:
            with transaction.atomic():  # a failed query must not break the batch's connection state
                prepared.update(occasion.prepare(group, configs=configs))
        except Exception as exc:
            logger.exception("reminders: occasion %s could not prepare %d rows", code, len(group))
            failures.update(dict.fromkeys((r.pk for r in group), f"{type(exc).__name__}: {exc}"))
    return prepared, failures


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
    prepared, prepare_failures = _prepare_rows(list(rows.values()))
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
                locked = _row_lock(pk)
                if locked is None or locked[0] != DeliveryState.PLANNED:
                    stats.not_mine += 1  # being sent by someone else right now, or already finished
                    continue
                row.state, row.next_attempt_at, row.expires_at, row.attempts, row.recipient_name = locked
                if row.next_attempt_at > now_row + dt.timedelta(seconds=5):
                    stats.not_mine += 1  # moved into the future (new deadline, back-off) after it was queued
                    continue
                if (row.program_id, row.occasion) in paused:
                    row.queued_at = None
                    row.save(update_fields=["queued_at", "updated_at"])
                    continue
                if row.expires_at is not None and row.expires_at < now_row:
                    row.state = DeliveryState.MISSED
                    row.queued_at = None
                    row.last_error = _("Funnet etter at tidspunktet var passert.")
                    row.save(update_fields=["state", "queued_at", "last_error", "updated_at"])
                    stats.missed += 1
                    continue
                if pk in prepare_failures:
                    _record_failure(row, prepare_failures[pk], now_row)
                    stats.failed += 1
                    stats.errors.append(prepare_failures[pk])
                    continue
                if not row.is_prerendered:
                    if pk not in prepared:
                        continue  # undeclared occasion: leave it planned and visible
                    if prepared[pk] is None:
                        row.state = DeliveryState.SKIPPED
                        row.queued_at = None
                        row.save(update_fields=["state", "queued_at", "updated_at"])
                        stats.skipped += 1
                        continue
                if connection_error is not None:
                    _record_failure(row, connection_error, now_row)
                    stats.failed += 1
                    continue
                try:
                    email = _email_for(row, prepared.get(pk), mail_connection)
                    # open once for the batch: send() alone would connect and QUIT for every message
                    mail_connection.open()
                    email.send()
                except Exception as exc:
                    error = f"{type(exc).__name__}: {exc}"
                    if _is_connection_error(exc):
                        connection_error = error
                        _record_failure(row, error, now_row)
                        stats.failed += 1
                        stats.errors.append(error)
                        _close_quietly(mail_connection)
                        continue
                    # one bad message (refused address, template error) fails alone; the batch goes on
                    _record_failure(row, error, now_row)
                    stats.failed += 1
                    stats.errors.append(error)
                    logger.warning("reminders: delivery %s failed: %s", pk, error)
                    continue
                row.state = DeliveryState.SENT
                row.attempts += 1
                _row_mark_sent(
                    pk,
                    now=now_row,
                    attempts=row.attempts,
                    variant=row.variant if row.is_prerendered else prepared[pk].variant,
                )
                stats.sent += 1
    finally:
        _close_quietly(mail_connection)
    if connection_error:
        logger.warning("reminders: mail server unavailable (%s); rows will be retried", connection_error)
    return stats


def _close_quietly(mail_connection) -> None:
    try:
        mail_connection.close()
    except Exception:  # noqa: S110 - closing a broken connection may fail too; nothing to do about it
        pass


# --- leadership's actions ------------------------------------------------------------------------------


def _audit_row(actor, action: str, row: Delivery, **extra) -> None:
    audit_log(
        actor=actor,
        action=action,
        obj=row,
        details={"anledning": row.occasion, "mottaker": row.recipient_email, **extra},
    )


def delivery_cancel(*, actor, delivery: Delivery) -> Delivery:
    with transaction.atomic():
        row = Delivery.objects.select_for_update().get(pk=delivery.pk)
        if row.state != DeliveryState.PLANNED:
            raise ValidationError(_("Bare planlagte påminnelser kan avbrytes."))
        row.state = DeliveryState.CANCELLED
        row.cancel_reason = CancelReason.MANUAL
        row.queued_at = None
        row.save(update_fields=["state", "cancel_reason", "queued_at", "updated_at"])
        _audit_row(actor, "reminders.delivery.cancelled", row)
    return row


def delivery_restore(*, actor, delivery: Delivery) -> Delivery:
    """Undo leadership's own cancellation: the row is planned again at its planned time."""
    with transaction.atomic():
        row = Delivery.objects.select_for_update().get(pk=delivery.pk)
        if row.state != DeliveryState.CANCELLED or row.cancel_reason != CancelReason.MANUAL:
            raise ValidationError(_("Bare påminnelser som programledelsen har avbrutt, kan gjenopprettes."))
        now = timezone.now()
        if row.expires_at is not None and row.expires_at < now:
            raise ValidationError(
                _(
                    "Tidspunktet for denne påminnelsen er passert. Bruk «Send nå» hvis den skal sendes likevel."
                )
            )
        row.state = DeliveryState.PLANNED
        row.cancel_reason = ""
        row.queued_at = None
        if row.attempts == 0:
            row.next_attempt_at = row.planned_at
        row.save(update_fields=["state", "cancel_reason", "queued_at", "next_attempt_at", "updated_at"])
        _audit_row(actor, "reminders.delivery.restored", row)
    return row


def delivery_resend(*, actor, delivery: Delivery) -> Delivery:
    """Send the row (again) now: a failed, missed, skipped, cancelled or sent row goes back to planned."""
    from .tasks import deliveries_send as deliveries_send_task

    occasion = occasion_get(delivery.occasion)
    refusal = occasion.resend_refusal(delivery) if occasion is not None else None
    if refusal:
        raise ValidationError(refusal)
    with transaction.atomic():
        row = Delivery.objects.select_for_update().get(pk=delivery.pk)
        if (
            row.program_id
            and OccasionSetting.objects.filter(
                program_id=row.program_id, occasion=row.occasion, paused=True
            ).exists()
        ):
            label = occasion.label if occasion is not None else row.occasion
            raise ValidationError(
                _("«%(label)s» er satt på pause. Slå den på igjen først; da sendes også denne.")
                % {"label": label}
            )
        previous = row.state
        now = timezone.now()
        row.resends += 1
        row.state = DeliveryState.PLANNED
        row.cancel_reason = ""
        row.next_attempt_at = now
        row.expires_at = None  # leadership asked for it now; it cannot be "too late"
        row.attempts = 0
        row.queued_at = now
        row.save(
            update_fields=[
                "resends",
                "state",
                "cancel_reason",
                "next_attempt_at",
                "expires_at",
                "attempts",
                "queued_at",
                "updated_at",
            ]
        )
        _audit_row(actor, "reminders.delivery.resent", row, fra_status=previous)
        transaction.on_commit(lambda: deliveries_send_task.delay([row.pk]), robust=True)
    return row


def _setting_for(program, occasion: Occasion) -> OccasionSetting:
    setting, _created = OccasionSetting.objects.select_for_update().get_or_create(
        program=program, occasion=occasion.code, defaults={"offsets_days": list(occasion.default_offsets)}
    )
    return setting


def occasion_setting_update(
    *,
    actor,
    program,
    occasion: Occasion,
    offsets_days: Sequence[int],
    subject_override: str,
    body_override: str,
) -> OccasionSetting:
    offsets = sorted({int(o) for o in offsets_days}, reverse=True)
    errors: dict[str, list[str]] = {}
    if not offsets or any(o < 0 or o > 365 for o in offsets):
        errors["offsets_days"] = [_("Oppgi ett eller flere hele tall mellom 0 og 365.")]
    for name, text in (("subject_override", subject_override), ("body_override", body_override)):
        problems = placeholder_errors(text)
        if problems:
            errors[name] = problems
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        setting = _setting_for(program, occasion)
        data = {"offsets_days": offsets, "subject_override": subject_override, "body_override": body_override}
        changes = changed_fields(setting, data)
        for name, value in data.items():
            setattr(setting, name, value)
        setting.save()
        if changes:
            audit_log(
                actor=actor,
                action="reminders.occasion_setting.updated",
                obj=setting,
                details={"anledning": occasion.code, "endringer": changes},
            )
        deliveries_plan(codes=[occasion.code])
    return setting


def occasion_pause(*, actor, program, occasion: Occasion, paused: bool) -> OccasionSetting:
    with transaction.atomic():
        setting = _setting_for(program, occasion)
        if setting.paused != paused:
            setting.paused = paused
            setting.save(update_fields=["paused", "updated_at"])
            audit_log(
                actor=actor,
                action="reminders.occasion_setting.paused"
                if paused
                else "reminders.occasion_setting.resumed",
                obj=setting,
                details={"anledning": occasion.code},
            )
    return setting
