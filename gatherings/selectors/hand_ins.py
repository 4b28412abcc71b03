"""Between-work handed in: what a contact's groups still have to hand in, and the hand-ins a person may read."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.permissions import is_leadership, role_scope
from core.sql import aware, id_list, moment
from municipalities.models import Municipality
from programs.models import MunicipalGroup, RegionalProgram

from ..models import Gathering, GatheringKind, GatheringStatus, HandIn
from ..permissions import advised, sees_region_gatherings

# How far back the dashboard looks for between-work not handed in: older is history, not a task.
WAITING_HAND_IN_DAYS = 365


@dataclass(frozen=True)
class WaitingHandIn:
    gathering: Gathering
    group: MunicipalGroup
    draft: HandIn | None  # saved but not handed in; None when not started
    overdue: bool


# Per group of the contact's municipalities and per started, not cancelled gathering of its region with a task or a
# due date in the last year: the gathering, the group and its draft, where nothing is handed in yet. Written out:
# three ORM queries (groups, gatherings, hand-ins) cost more to build than the database took to answer.
# tests/gatherings/test_hand_ins.py holds it to them.
_WAITING_SQL = (
    "SELECT g.id, g.regional_program_id, g.kind, g.number, g.title, g.starts_at, g.between_work_due,"
    " mg.id, mg.municipality_id, m.name, h.id"
    " FROM programs_municipalgroup mg"
    " INNER JOIN municipalities_municipality m ON m.id = mg.municipality_id"
    " INNER JOIN gatherings_gathering g ON g.regional_program_id = mg.regional_program_id"
    " LEFT JOIN gatherings_handin h ON h.gathering_id = g.id AND h.group_id = mg.id"
    " WHERE mg.municipality_id IN {municipalities}"
    " AND (g.between_work > '' OR g.between_work_due IS NOT NULL)"
    " AND g.starts_at <= %s AND g.starts_at >= %s AND g.status <> %s AND g.kind <> %s"
    " AND h.submitted_at IS NULL"
    " ORDER BY g.starts_at, g.id"
)


def hand_ins_waiting_for(user, *, limit: int = 10, now: dt.datetime | None = None) -> list[WaitingHandIn]:
    """Between-work the municipal contact's group(s) can hand in and have not: one row per started, not
    cancelled gathering with a task or a due date and per group of the contact's municipalities in its region,
    with the draft if one is saved; the earliest due first. One query, whatever the number of rows."""
    now = now or timezone.now()
    municipality_ids = role_scope(user).municipality_ids
    if not municipality_ids:
        return []
    placeholders, params = id_list(municipality_ids)
    since = now - dt.timedelta(days=WAITING_HAND_IN_DAYS)
    with connection.cursor() as cursor:
        cursor.execute(
            _WAITING_SQL.format(municipalities=placeholders),
            [
                *params,
                moment(now),
                moment(since),
                GatheringStatus.CANCELLED.value,
                GatheringKind.PRE_GATHERING.value,
            ],
        )
        found = cursor.fetchall()
    alias = connection.alias
    gatherings: dict[int, Gathering] = {}
    groups: dict[int, MunicipalGroup] = {}
    rows = []
    for pk, rp_id, kind, number, title, starts_at, due, group_id, municipality_id, name, draft_id in found:
        gathering = gatherings.get(pk)
        if gathering is None:
            gathering = gatherings[pk] = Gathering.from_db(
                alias,
                ["id", "regional_program_id", "kind", "number", "title", "starts_at", "between_work_due"],
                [pk, rp_id, kind, number, title, aware(starts_at), aware(due)],
            )
        group = groups.get(group_id)
        if group is None:
            group = groups[group_id] = MunicipalGroup.from_db(
                alias, ["id", "regional_program_id", "municipality_id"], [group_id, rp_id, municipality_id]
            )
            group.municipality = Municipality.from_db(alias, ["id", "name"], [municipality_id, name])
        draft = (
            None
            if draft_id is None
            else HandIn.from_db(
                alias, ["id", "gathering_id", "group_id", "submitted_at"], [draft_id, pk, group_id, None]
            )
        )
        due = gathering.between_work_due
        rows.append(WaitingHandIn(gathering, group, draft, overdue=bool(due and due < now)))
    far = dt.datetime.max.replace(tzinfo=dt.UTC)
    rows.sort(key=lambda r: (r.gathering.between_work_due or far, r.gathering.starts_at, r.group.pk))
    return rows[:limit]


def hand_in_for(*, gathering: Gathering, group: MunicipalGroup) -> HandIn | None:
    return HandIn.objects.filter(gathering=gathering, group=group).prefetch_related("files").first()


def hand_ins_visible_to(user, *, regional_program: RegionalProgram) -> QuerySet[HandIn]:
    """Submitted hand-ins of the region: all for leadership; for everyone else the shared ones, their own
    municipality's and (for an advisor) those of the municipalities they advise."""
    qs = (
        HandIn.objects.filter(gathering__regional_program=regional_program, submitted_at__isnull=False)
        .select_related("group__municipality", "gathering")
        .prefetch_related("files")
        .order_by("gathering__starts_at", "gathering_id", "group__municipality__name")
    )
    if is_leadership(user):
        return qs
    if not sees_region_gatherings(user, regional_program):
        return qs.none()  # shared with the region's groups, not with those who only see its pre-gatherings
    advised_here = [m for rp, m in advised(user) if rp == regional_program.pk]
    return qs.filter(
        Q(shared_with_region=True)
        | Q(group__municipality_id__in=role_scope(user).municipality_ids)
        | Q(group__municipality_id__in=advised_here)
    )


def hand_ins_of_gathering(*, gathering: Gathering) -> QuerySet[HandIn]:
    return HandIn.objects.filter(gathering=gathering).select_related("group__municipality")
