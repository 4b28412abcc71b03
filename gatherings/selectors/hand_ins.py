"""Between-work handed in: what a contact's groups still have to hand in, and the hand-ins a person may read."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.permissions import is_leadership, role_scope
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


def hand_ins_waiting_for(user, *, limit: int = 10, now: dt.datetime | None = None) -> list[WaitingHandIn]:
    """Between-work the municipal contact's group(s) can hand in and have not: one row per started, not
    cancelled gathering with a task or a due date and per group of the contact's municipalities in its region,
    with the draft if one is saved; the earliest due first. Three queries, whatever the number of rows."""
    now = now or timezone.now()
    municipality_ids = role_scope(user).municipality_ids
    if not municipality_ids:
        return []
    groups: dict[int, list[MunicipalGroup]] = {}
    for group in (
        MunicipalGroup.objects.filter(municipality_id__in=municipality_ids)
        .select_related("municipality")
        .only("regional_program", "municipality__name")
    ):
        groups.setdefault(group.regional_program_id, []).append(group)
    if not groups:
        return []
    gatherings = list(
        Gathering.objects.filter(
            Q(between_work__gt="") | Q(between_work_due__isnull=False),
            regional_program_id__in=list(groups),
            starts_at__lte=now,
            starts_at__gte=now - dt.timedelta(days=WAITING_HAND_IN_DAYS),
        )
        .exclude(status=GatheringStatus.CANCELLED)
        .exclude(kind=GatheringKind.PRE_GATHERING)
        .only(
            "regional_program", "kind", "number", "title", "starts_at", "between_work_due"
        )  # what a row shows
    )
    group_ids = [g.pk for rows in groups.values() for g in rows]
    hand_ins = {
        (h.gathering_id, h.group_id): h
        for h in HandIn.objects.filter(gathering__in=gatherings, group_id__in=group_ids).only(
            "pk", "gathering_id", "group_id", "submitted_at"
        )
    }
    rows = []
    for gathering in gatherings:
        for group in groups[gathering.regional_program_id]:
            draft = hand_ins.get((gathering.pk, group.pk))
            if draft is None or not draft.is_submitted:
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
