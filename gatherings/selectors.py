"""Reads for views, tasks and reminders: already scoped to the acting user, already carrying their joins."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection
from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.permissions import is_leadership, role_scope
from core.models import CalendarFeed
from programs.models import MunicipalGroup, MunicipalGroupMember, RegionalProgram

from .models import (
    Gathering,
    GatheringFile,
    GatheringKind,
    GatheringStatus,
    HandIn,
    Registration,
    RegistrationStatus,
    Semester,
)
from .permissions import advised, gathering_scope, sees_region_gatherings


def _count(qs: QuerySet, field: str = "pk") -> Coalesce:
    """A correlated COUNT as a subquery: one statement for any number of parent rows, no join blow-up."""
    return Coalesce(
        Subquery(
            qs.order_by().values(field).annotate(c=Count("pk")).values("c")[:1], output_field=IntegerField()
        ),
        Value(0),
    )


# --- regional programmes --------------------------------------------------------------------------------


def visible_region_ids(user) -> frozenset[int] | None:
    """Ids of the regional programmes `user` sees (see `regional_programs_for`); None for leadership (all).
    Of some of them only the pre-gatherings (`gatherings.permissions.GatheringScope`)."""
    found = gathering_scope(user)
    return None if found is None else found.region_ids


def regional_programs_for(user) -> QuerySet[RegionalProgram]:
    """Leadership: all. Advisors: the regions of their guidance agreements. Board members: their branches'
    regions. Municipal contacts: the regions of their municipality's group, and the regions whose branches
    cover their member municipality (they may come to pre-gatherings before any group exists; of those regions
    they see the pre-gatherings only)."""
    qs = RegionalProgram.objects.select_related("program").order_by("-program__interest_deadline", "name")
    ids = visible_region_ids(user)
    if ids is None:
        return qs
    return qs.filter(pk__in=sorted(ids)) if ids else qs.none()


def regional_program_get(*, user, pk: int) -> RegionalProgram:
    return get_object_or_404(regional_programs_for(user), pk=pk)


def semesters_of(*, regional_program: RegionalProgram) -> list[Semester]:
    return list(regional_program.semesters.order_by("starts_on"))


# --- gatherings -----------------------------------------------------------------------------------------


def _registrations(**conditions) -> Coalesce:
    """The gathering's registrations meeting `conditions`, counted in a subquery."""
    return _count(Registration.objects.filter(gathering=OuterRef("pk"), **conditions), "gathering")


def _gathering_base() -> QuerySet[Gathering]:
    return Gathering.objects.select_related(
        "regional_program__program", "semester", "host_municipality__county"
    ).annotate(
        attending_count=_registrations(status=RegistrationStatus.ATTENDING),
        waitlisted_count=_registrations(status=RegistrationStatus.WAITLISTED),
        attended_count=_registrations(attended=True),
    )


# What the region's page, its timeline and the scheduling warnings read of a gathering (its region is known).
_REGION_PAGE_FIELDS = (
    "regional_program_id",
    "kind",
    "number",
    "title",
    "starts_at",
    "ends_at",
    "venue",
    "address",
    "video_link",
    "capacity",
    "status",
    "preparation",
    "registration_deadline",
    "semester__name",
    "semester__starts_on",
    "semester__ends_on",
    "host_municipality__county__number",
    "host_municipality__county__name",
)


def gatherings_of(*, regional_program: RegionalProgram, user=None) -> QuerySet[Gathering]:
    """The region's gatherings; with `user`, those of them the user sees (a contact whose municipality has no
    group there sees the pre-gatherings only)."""
    # One to-many join, so plain filtered counts are exact; cheaper to build than two correlated subqueries.
    qs = (
        Gathering.objects.select_related("semester", "host_municipality__county")
        .annotate(
            attending_count=Count(
                "registrations", filter=Q(registrations__status=RegistrationStatus.ATTENDING)
            ),
            waitlisted_count=Count(
                "registrations", filter=Q(registrations__status=RegistrationStatus.WAITLISTED)
            ),
        )
        .only(*_REGION_PAGE_FIELDS)
        .filter(regional_program=regional_program)
        .order_by("starts_at", "id")
    )
    return qs if user is None else _visible(qs, user)


def _visible(qs: QuerySet[Gathering], user) -> QuerySet[Gathering]:
    """The gatherings `user` sees (`gatherings.permissions.sees_gathering`, as a filter)."""
    found = gathering_scope(user)
    if found is None:
        return qs  # every region: no IN (all regions) for the planner to join
    return qs.filter(found.q()) if found.region_ids else qs.none()


def gatherings_visible_to(user) -> QuerySet[Gathering]:
    return _visible(_gathering_base(), user)


def gathering_get(*, user, pk: int) -> Gathering:
    return get_object_or_404(gatherings_visible_to(user), pk=pk)


def gathering_for_people_lists_get(*, user, pk: int) -> Gathering:
    """A gathering for the pages that list its people (participants, attendance): the columns their headings,
    crumbs and notices read, and the counts of people coming and come."""
    qs = (
        Gathering.objects.select_related("regional_program")
        .only(
            "kind",
            "number",
            "title",
            "starts_at",
            "capacity",
            "status",
            "needs_erased_at",
            "regional_program__name",
        )
        .annotate(
            attending_count=Count(
                "registrations", filter=Q(registrations__status=RegistrationStatus.ATTENDING)
            ),
            attended_count=Count("registrations", filter=Q(registrations__attended=True)),
        )
    )
    return get_object_or_404(_visible(qs, user), pk=pk)


def gathering_for_update(*, pk: int) -> Gathering:
    return Gathering.objects.select_related("regional_program__program", "host_municipality__county").get(
        pk=pk
    )


def upcoming_gatherings_for(
    user, *, limit: int = 5, now: dt.datetime | None = None, counts: bool = False
) -> list[Gathering]:
    """The coming gatherings as the lists show them (title, time, region); with the registration counts only
    when asked (the leadership's dashboard panel), since each count is a subquery per row."""
    now = now or timezone.now()
    # Only the columns the lists show: a row is otherwise every text of the gathering and of its region.
    qs = Gathering.objects.select_related("regional_program").only(
        "kind", "number", "title", "starts_at", "ends_at", "status", "preparation", "regional_program__name"
    )
    if counts:
        qs = qs.annotate(
            attending_count=_registrations(status=RegistrationStatus.ATTENDING),
            waitlisted_count=_registrations(status=RegistrationStatus.WAITLISTED),
        )
    files = GatheringFile.objects.only("gathering", "original_name")
    return list(
        _visible(qs, user)
        .filter(ends_at__gte=now)
        .exclude(status=GatheringStatus.CANCELLED)
        .order_by("starts_at", "id")
        .prefetch_related(Prefetch("files", queryset=files))[:limit]
    )


def cancelled_upcoming_for(user, *, limit: int = 10, now: dt.datetime | None = None) -> list[Gathering]:
    """Cancelled gatherings that would still have been ahead: listed apart under «Avlyst», never as coming."""
    now = now or timezone.now()
    return list(
        _visible(Gathering.objects.select_related("regional_program"), user)
        .filter(ends_at__gte=now, status=GatheringStatus.CANCELLED)
        .order_by("starts_at", "id")[:limit]
    )


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


# --- groups ---------------------------------------------------------------------------------------------


def groups_of(*, regional_program: RegionalProgram) -> QuerySet[MunicipalGroup]:
    return MunicipalGroup.objects.filter(regional_program=regional_program).select_related("municipality")


def groups_coordinated_by(user, *, regional_program: RegionalProgram) -> QuerySet[MunicipalGroup]:
    if is_leadership(user):
        return groups_of(regional_program=regional_program)
    return groups_of(regional_program=regional_program).filter(
        municipality_id__in=role_scope(user).municipality_ids
    )


# Per group of a region: people registered to and come to gatherings not cancelled, hand-ins delivered and late.
# Written once: the ORM's building of four correlated counts cost three times the database's own time.
_OVERVIEW_SQL = (
    "SELECT m.name,"
    " (SELECT COUNT(*) FROM gatherings_registration r INNER JOIN gatherings_gathering g ON g.id = r.gathering_id"
    "  WHERE r.group_id = mg.id AND g.status <> %(cancelled)s AND r.status = %(attending)s),"
    " (SELECT COUNT(*) FROM gatherings_registration r INNER JOIN gatherings_gathering g ON g.id = r.gathering_id"
    "  WHERE r.group_id = mg.id AND g.status <> %(cancelled)s AND r.attended),"
    " (SELECT COUNT(*) FROM gatherings_handin h WHERE h.group_id = mg.id AND h.submitted_at IS NOT NULL),"
    " (SELECT COUNT(*) FROM gatherings_handin h WHERE h.group_id = mg.id AND h.is_late)"
    " FROM programs_municipalgroup mg INNER JOIN municipalities_municipality m ON m.id = mg.municipality_id"
    " WHERE mg.regional_program_id = %(region)s ORDER BY m.name"
)
_OVERVIEW_KEYS = ("name", "registered_count", "attended_count", "handed_in_count", "late_count")


class GroupOverview:
    """The rows of `group_overview` for `core.pagination`. A region has at most one group per municipality of
    its counties (a few dozen), so they are read in one statement when first counted and the page is cut from
    them: a COUNT query besides cost more than the rows."""

    def __init__(self, regional_program_id: int) -> None:
        self.regional_program_id = regional_program_id
        self._rows: list[dict] | None = None

    def _all(self) -> list[dict]:
        if self._rows is None:
            params: dict[str, str | int] = {
                "cancelled": GatheringStatus.CANCELLED.value,
                "attending": RegistrationStatus.ATTENDING.value,
                "region": self.regional_program_id,
            }
            with connection.cursor() as cursor:
                cursor.execute(_OVERVIEW_SQL, params)
                self._rows = [dict(zip(_OVERVIEW_KEYS, row, strict=True)) for row in cursor.fetchall()]
        return self._rows

    def count(self) -> int:
        return len(self._all())

    def __len__(self) -> int:
        return len(self._all())

    def __getitem__(self, index: slice) -> list[dict]:
        return self._all()[index]


def group_overview(*, regional_program: RegionalProgram) -> GroupOverview:
    """Per municipality over the whole programme: people registered, people who came, hand-ins delivered.
    Rows are dicts of the shown values (`name` is the municipality's), in the municipalities' order; paginate
    them (`core.pagination.paginate`)."""
    return GroupOverview(regional_program.pk)


def group_members(*, group: MunicipalGroup) -> list[MunicipalGroupMember]:
    return list(group.members.order_by("-is_coordinator", "name", "id"))


# --- registrations --------------------------------------------------------------------------------------


def registrations_of(*, gathering: Gathering) -> QuerySet[Registration]:
    return (
        Registration.objects.filter(gathering=gathering)
        .select_related("municipality")
        .order_by("municipality__name", "name", "id")
    )


def registration_rows(*, gathering: Gathering, statuses: list[str]) -> QuerySet:
    """The participant list's and the attendance list's rows: dicts of what they show, in the lists' order:
    those registered by municipality and name, then (if asked for) the waiting list in the order its people
    get a place (first come first), so the participant page shows them as two lists."""
    waiting = RegistrationStatus.WAITLISTED
    return (
        Registration.objects.filter(gathering=gathering, status__in=statuses)
        .annotate(
            waiting_rank=Case(When(status=waiting, then=Value(1)), default=Value(0)),
            waiting_since=Case(When(status=waiting, then=F("waitlisted_at")), default=None),
        )
        .values(
            "pk",
            "name",
            "sector",
            "status",
            "attended",
            "dietary_needs",
            "accessibility_needs",
            municipality_name=F("municipality__name"),
        )
        .order_by("waiting_rank", "waiting_since", "municipality__name", "name", "id")
    )


def registrations_by_member(*, gathering: Gathering, group: MunicipalGroup) -> dict[int, Registration]:
    return {
        r.member_id: r
        for r in Registration.objects.filter(gathering=gathering, group=group, member__isnull=False)
        if r.member_id is not None
    }


def pre_registrations(*, gathering: Gathering, municipality) -> list[Registration]:
    return list(
        Registration.objects.filter(gathering=gathering, municipality=municipality).order_by("name", "id")
    )


def participant_totals(*, gathering: Gathering) -> dict:
    """Totals of people coming, per municipality and per sector, counted by the database."""
    attending = Registration.objects.filter(gathering=gathering, status=RegistrationStatus.ATTENDING)
    coming = Q(status=RegistrationStatus.ATTENDING)
    totals = Registration.objects.filter(gathering=gathering).aggregate(
        attending=Count("pk", filter=coming),
        waitlisted=Count("pk", filter=Q(status=RegistrationStatus.WAITLISTED)),
        with_needs=Count("pk", filter=coming & ~Q(dietary_needs="", accessibility_needs="")),
    )
    return {
        **totals,
        "per_municipality": list(
            attending.values("municipality__name").annotate(n=Count("pk")).order_by("municipality__name")
        ),
        "per_sector": list(attending.values("sector").annotate(n=Count("pk")).order_by("sector")),
    }


def waiting_list(*, gathering: Gathering) -> QuerySet[Registration]:
    return Registration.objects.filter(gathering=gathering, status=RegistrationStatus.WAITLISTED).order_by(
        "waitlisted_at", "id"
    )


# --- hand-ins -------------------------------------------------------------------------------------------


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


# --- calendars ------------------------------------------------------------------------------------------


def gatherings_for_feed(feed: CalendarFeed) -> QuerySet[Gathering]:
    """A programme feed (its `scope_id` is the region): the region's gatherings, if the owner still may see the
    region. A person feed: the gatherings the owner is registered for (attending or waiting), matched by e-mail."""
    qs = Gathering.objects.select_related("regional_program", "host_municipality").order_by("starts_at", "id")
    if feed.scope_id:
        if not regional_programs_for(feed.owner).filter(pk=feed.scope_id).exists():
            return qs.none()
        return _visible(qs.filter(regional_program_id=feed.scope_id), feed.owner)
    ids = Registration.objects.filter(
        email__iexact=feed.owner.email,
        status__in=[RegistrationStatus.ATTENDING, RegistrationStatus.WAITLISTED],
    ).values("gathering_id")
    return qs.filter(pk__in=ids)


def is_registered_for_gatherings(user) -> bool:
    """Whether `user` is registered (attending or waiting) for any gathering: what their person feed holds."""
    return Registration.objects.filter(
        email__iexact=user.email,
        status__in=[RegistrationStatus.ATTENDING, RegistrationStatus.WAITLISTED],
    ).exists()


def groups_answered(*, gathering: Gathering, groups) -> dict[int, dict]:
    """Per group: how many of its members are coming, waiting, not coming (one query for all groups)."""
    ids = [g.pk for g in groups]
    if not ids:
        return {}
    result: dict[int, dict] = {pk: {} for pk in ids}
    for row in (
        Registration.objects.filter(gathering=gathering, group_id__in=ids)
        .values("group_id", "status")
        .annotate(n=Count("pk"))
    ):
        result[row["group_id"]][row["status"]] = row["n"]
    return result
