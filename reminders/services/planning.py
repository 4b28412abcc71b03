"""Planning: ask each occasion what is due and keep the outbox rows in step (one planner at a time)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import connection as db_connection
from django.db import transaction
from django.utils import timezone

from ..models import CancelReason, Delivery, DeliveryState
from ..occasions import (
    ConfigLookup,
    Occasion,
    Plan,
    PlannedDelivery,
    occasions_all,
)

logger = logging.getLogger(__name__)


PLAN_LOCK_ID = 4_711_001  # pg advisory lock: one planner at a time, a second sweep skips planning
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


def deliveries_plan(
    *, now: dt.datetime | None = None, codes: Iterable[str] | None = None, scope: str | None = None
) -> PlanStats:
    """Bring the planned rows in line with the database: new ones created, moved deadlines moved, rows that
    no longer apply cancelled (and planned again if they come back). Sent and finished rows are never touched.
    With `scope`, only that scope's rows are written (e.g. "gathering:7" after it was cancelled).
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
                        if scope is None or plan.scope == scope:
                            _plan_apply(occasion, plan, stats)
            except Exception:
                logger.exception(
                    "reminders: occasion %s could not be planned; the others were", occasion.code
                )
                stats.failed_occasions.append(occasion.code)
    return stats


def replan_soon(codes: str | Iterable[str], *, scope: str | None = None) -> None:
    """Re-plan these occasions (in `scope` only, if given) right after the current transaction commits, so a
    cancelled or moved gathering's reminders leave «Kommende» at once instead of at the next sweep.

    For services that change what an occasion plans. It runs in the committing process and needs no broker;
    when a sweep holds the planner's lock (and may have read the old state) a task tries again shortly. If
    that cannot be queued either, the sweep is the safety net: the next one plans it anyway.
    """
    wanted = [codes] if isinstance(codes, str) else list(codes)

    def replan() -> None:
        try:
            stats = deliveries_plan(codes=wanted, scope=scope)
        except Exception:
            logger.exception("reminders: re-planning %s (%s) failed; the sweep will", wanted, scope)
            return
        if stats.skipped_locked:
            from ..tasks import deliveries_replan

            try:
                deliveries_replan.apply_async(args=[wanted, scope], countdown=10)
            except Exception:
                logger.warning(
                    "reminders: re-planning %s (%s) left to the sweep", wanted, scope, exc_info=True
                )

    transaction.on_commit(replan)


# The columns planning reads and writes; the rest of a row (its mail, its log) stays unloaded.
PLAN_ROW_FIELDS = (
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
Ident = tuple[str, str]  # (key, recipient e-mail in lower case): one row per recipient of one reminder


def _plan_apply(occasion: Occasion, plan: Plan, stats: PlanStats) -> None:
    """Make one scope's rows match its plan: create the new, follow the planned and revive the plan-cancelled
    ones whose plan changed, cancel the planned ones the plan no longer names."""
    existing = _rows_existing(occasion=occasion, plan=plan)
    wanted = _deliveries_wanted(plan)
    new_rows, changed, revived = [], [], []
    for ident, item in wanted.items():
        row = existing.get(ident)
        if row is None:
            new_rows.append(_row_new(occasion=occasion, plan=plan, email=ident[1], item=item))
            continue
        outcome = _row_follow(row, item)
        if outcome == "revived":
            revived.append(row)
        elif outcome is not None:
            changed.append(row)
            stats.moved += int(outcome == "moved")
    _rows_create(new_rows, stats)
    _rows_update(changed)
    _rows_revive(revived, stats)
    _rows_cancel_gone(existing=existing, wanted=wanted, stats=stats)


def _rows_existing(*, occasion: Occasion, plan: Plan) -> dict[Ident, Delivery]:
    return {
        (row.key, row.recipient_email): row
        for row in Delivery.objects.filter(occasion=occasion.code, scope=plan.scope).only(*PLAN_ROW_FIELDS)
    }


def _deliveries_wanted(plan: Plan) -> dict[Ident, PlannedDelivery]:
    """The plan's deliveries by recipient address (compared in lower case; the first of duplicates wins)."""
    wanted: dict[Ident, PlannedDelivery] = {}
    for item in plan.deliveries:
        email = item.recipient.email.strip().lower()
        if email:
            wanted.setdefault((item.key, email), item)
    return wanted


def _row_new(*, occasion: Occasion, plan: Plan, email: str, item: PlannedDelivery) -> Delivery:
    return Delivery(
        occasion=occasion.code,
        key=item.key,
        scope=plan.scope,
        program_id=item.program_id,
        recipient_email=email,
        recipient_name=item.recipient.name,
        recipient_user_id=item.recipient.user_id,
        planned_at=item.planned_at,
        next_attempt_at=item.planned_at,
        expires_at=item.expires_at,
        template=occasion.template,
        context=item.context,
    )


def _row_follow(row: Delivery, item: PlannedDelivery) -> str | None:
    """Bring an existing row in line with its plan item (in memory) and say how: "revived" (it was cancelled by
    a plan), "moved" (its time changed), "updated" (name or context changed), or None (left as it is)."""
    revive = row.state == DeliveryState.CANCELLED and row.cancel_reason == CancelReason.PLAN
    if row.state != DeliveryState.PLANNED and not revive:
        return None
    if row.state == DeliveryState.PLANNED and row.resends:
        return (
            None  # leadership asked for it now: its time is not the plan's (the condition is checked at send)
        )
    moved = row.planned_at != item.planned_at or row.expires_at != item.expires_at
    if not (moved or revive or row.recipient_name != item.recipient.name or row.context != item.context):
        return None
    row.planned_at = item.planned_at
    row.expires_at = item.expires_at
    row.recipient_name = item.recipient.name
    row.context = item.context
    if row.attempts == 0 or revive:
        row.next_attempt_at = item.planned_at
    row.queued_at = None
    if revive:
        return "revived"
    return "moved" if moved else "updated"


def _rows_create(new_rows: list[Delivery], stats: PlanStats) -> None:
    if new_rows:
        # ignore_conflicts: a concurrent message_send with the same key may have won; it keeps its row.
        Delivery.objects.bulk_create(new_rows, batch_size=500, ignore_conflicts=True)
        stats.created += len(new_rows)


def _rows_update(changed: list[Delivery]) -> None:
    if changed:
        Delivery.objects.bulk_update(
            changed,
            ["planned_at", "expires_at", "recipient_name", "context", "next_attempt_at", "queued_at"],
            batch_size=500,
        )


def _rows_revive(revived: list[Delivery], stats: PlanStats) -> None:
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


def _rows_cancel_gone(
    *, existing: dict[Ident, Delivery], wanted: dict[Ident, PlannedDelivery], stats: PlanStats
) -> None:
    """Planned rows the plan no longer names are cancelled (by the plan, so they come back if it names them)."""
    gone = [
        row.pk
        for ident, row in existing.items()
        if ident not in wanted and row.state == DeliveryState.PLANNED and not row.resends
    ]
    if gone:
        stats.cancelled += Delivery.objects.filter(pk__in=gone, state=DeliveryState.PLANNED).update(
            state=DeliveryState.CANCELLED, cancel_reason=CancelReason.PLAN, queued_at=None
        )
