"""Reads of the outbox for leadership's pages, already scoped and with what the templates show loaded."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from programs.models import Program

from .models import FAILING, NOT_SENT, Delivery, DeliveryState, OccasionSetting
from .occasions import occasion_get
from .permissions import can_manage_reminders

logger = logging.getLogger(__name__)


def deliveries_visible_to(user) -> QuerySet[Delivery]:
    if not can_manage_reminders(user):
        return Delivery.objects.none()
    return Delivery.objects.select_related("program")


def programs_for_reminders(user) -> QuerySet[Program]:
    if not can_manage_reminders(user):
        return Program.objects.none()
    return Program.objects.order_by("-interest_deadline")


def _in_program(qs: QuerySet[Delivery], program: Program | None) -> QuerySet[Delivery]:
    return qs.filter(program=program) if program is not None else qs


# The lists on leadership's page: a tab each, newest problems first.
TABS = {
    "kommende": (Q(state=DeliveryState.PLANNED), ("next_attempt_at", "id")),
    "feilet": (FAILING, ("-updated_at", "-id")),
    "sendt": (Q(state=DeliveryState.SENT), ("-sent_at", "-id")),
    "ikke-sendt": (NOT_SENT, ("-updated_at", "-id")),
    # replaced by a newer message to the same address: the person is told, so no «Ikke sendt»
    "erstattet": (Q(state=DeliveryState.SUPERSEDED), ("-updated_at", "-id")),
}


def search_text(raw: str) -> str:
    """A search box's text as the database can take it: NUL removed (PostgreSQL refuses it), at most 100."""
    return " ".join((raw or "").replace("\x00", "").split())[:100]


def deliveries_filtered(
    user, *, program: Program | None = None, q: str = "", occasion: str = ""
) -> QuerySet[Delivery]:
    qs = _in_program(deliveries_visible_to(user), program)
    if occasion:
        qs = qs.filter(occasion=occasion)
    if q:
        qs = qs.filter(Q(recipient_email__icontains=q) | Q(recipient_name__icontains=q))
    return qs


# The columns the list shows: the rendered texts and the context stay in the database.
LIST_COLUMNS = (
    "occasion",
    "program__name",
    "recipient_name",
    "recipient_email",
    "planned_at",
    "next_attempt_at",
    "attempts",
    "state",
    "cancel_reason",
    "last_error",
    "sent_at",
    # what the occasions read to say what a row is about and whether it would still be sent
    "key",
    "context",
    "subject",
    "recipient_user",
)


def deliveries_about(rows: Sequence[Delivery]) -> dict[int, str]:
    """What each row reminds of («Samling 3: Tema (12.03.2026)»), asked of its occasion per batch: a fixed
    number of queries per occasion on the page, however many rows it holds."""
    by_occasion: dict[str, list[Delivery]] = {}
    for row in rows:
        by_occasion.setdefault(row.occasion, []).append(row)
    about: dict[int, str] = {}
    for code, group in by_occasion.items():
        occasion = occasion_get(code)
        if occasion is None:
            continue
        try:  # requests run in autocommit: a failed query does not break the ones after it
            about.update(occasion.about(group))
        except Exception:  # leadership's list still opens, without this occasion's descriptions
            logger.exception("reminders: occasion %s could not describe %d rows", code, len(group))
    return about


def deliveries_in_tab(user, tab: str, **filters) -> QuerySet[Delivery]:
    condition, order = TABS[tab]
    return deliveries_filtered(user, **filters).filter(condition).only(*LIST_COLUMNS).order_by(*order)


def dashboard_counts(user) -> dict[str, int]:
    """The dashboard panel's four figures, one statement of four counts that each read an index range bounded by
    time or by a rare state (`delivery_due_idx`, `delivery_retrying_idx`, `delivery_sent_idx`): planned in the
    next seven days, being retried, failed, and sent in the last seven days. Not "sent ever": that count grows
    with every year of data, and a page's cost must not (the list page has the totals)."""
    if not can_manage_reminders(user):
        return {}
    now = timezone.now()
    table = connection.ops.quote_name(Delivery._meta.db_table)
    count = f"(SELECT COUNT(*) FROM {table} WHERE state = %s AND "  # noqa: S608 - our table name; values are parameters
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {count}next_attempt_at <= %s), {count}attempts > 0), {count}1 = 1), {count}sent_at >= %s)",
            [
                DeliveryState.PLANNED.value,
                now + dt.timedelta(days=7),
                DeliveryState.PLANNED.value,
                DeliveryState.FAILED.value,
                DeliveryState.SENT.value,
                now - dt.timedelta(days=7),
            ],
        )
        next_week, retrying, failed, sent_week = cursor.fetchone()
    return {"next_week": next_week, "retrying": retrying, "failed": failed, "sent_week": sent_week}


def paused_occasions(user) -> set[tuple[int, str]]:
    """(edition, occasion) pairs leadership has paused; one query."""
    if not can_manage_reminders(user):
        return set()
    return set(OccasionSetting.objects.filter(paused=True).values_list("program_id", "occasion"))


def delivery_counts(
    user, *, program: Program | None = None, q: str = "", occasion: str = ""
) -> dict[str, Any]:
    """How many rows in each state and tab (under "tabs"), plus how many are planned within the next seven days;
    one query."""
    week = timezone.now() + dt.timedelta(days=7)
    qs = deliveries_filtered(user, program=program, q=q, occasion=occasion).order_by()
    counts: dict[str, Any]
    if not can_manage_reminders(user):
        counts = dict.fromkeys([*DeliveryState.values, "next_week", "retrying"], 0)
    elif program is None and not q and not occasion:
        counts = _counts_from_indexes(week)
    else:  # one pass over the rows the filter finds
        aggregates = {state: Count("id", filter=Q(state=state)) for state in DeliveryState.values}
        aggregates["next_week"] = Count(
            "id", filter=Q(state=DeliveryState.PLANNED, next_attempt_at__lte=week)
        )
        aggregates["retrying"] = Count("id", filter=Q(state=DeliveryState.PLANNED, attempts__gt=0))
        counts = qs.aggregate(**aggregates)
    # the tabs' counts follow from the states (see TABS), so they cost no further column or query
    counts["tabs"] = {
        "feilet": counts[DeliveryState.FAILED] + counts["retrying"],
        "kommende": counts[DeliveryState.PLANNED],
        "sendt": counts[DeliveryState.SENT],
        "ikke-sendt": counts[DeliveryState.SKIPPED]
        + counts[DeliveryState.MISSED]
        + counts[DeliveryState.CANCELLED],
        "erstattet": counts[DeliveryState.SUPERSEDED],
    }
    return counts


def _counts_from_indexes(week: dt.datetime) -> dict:
    """The whole outbox's counts read from indexes alone: per state by grouping an index-only scan of
    `delivery_due_idx`, the two planned subsets from their index ranges (`delivery_due_idx`,
    `delivery_retrying_idx`). One pass with a FILTER per count compared every row's state nine times
    (12 → 4 ms on 30,000 rows). Filtered, the matching rows are few and one pass over them is cheaper.
    Written as SQL, like `dashboard_counts`: composing the three parts in the ORM took 2 ms of CPU a page."""
    table = connection.ops.quote_name(Delivery._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT state, COUNT(*) FROM {table} GROUP BY state "  # noqa: S608 - our table name; values are parameters
            f"UNION ALL SELECT 'next_week', COUNT(*) FROM {table} WHERE state = %s AND next_attempt_at <= %s "
            f"UNION ALL SELECT 'retrying', COUNT(*) FROM {table} WHERE state = %s AND attempts > 0",
            [DeliveryState.PLANNED.value, week, DeliveryState.PLANNED.value],
        )
        found = dict(cursor.fetchall())
    return {key: found.get(key, 0) for key in [*DeliveryState.values, "next_week", "retrying"]}
