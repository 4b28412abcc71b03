"""The gatherings as scheduled: a region's semesters and gatherings, one gathering for its pages, the coming
and the cancelled ones for the dashboards."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from core.sql import aware, moment
from programs.models import RegionalProgram

from ..models import (
    Gathering,
    GatheringFile,
    GatheringStatus,
    Registration,
    RegistrationStatus,
    Semester,
)
from ..permissions import gathering_scope
from .scope import _visible


def _count(qs: QuerySet, field: str = "pk") -> Coalesce:
    """A correlated COUNT as a subquery: one statement for any number of parent rows, no join blow-up."""
    return Coalesce(
        Subquery(
            qs.order_by().values(field).annotate(c=Count("pk")).values("c")[:1], output_field=IntegerField()
        ),
        Value(0),
    )


def _registrations(**conditions) -> Coalesce:
    """The gathering's registrations meeting `conditions`, counted in a subquery."""
    return _count(Registration.objects.filter(gathering=OuterRef("pk"), **conditions), "gathering")


def semesters_of(*, regional_program: RegionalProgram) -> list[Semester]:
    return list(regional_program.semesters.order_by("starts_on"))


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


# The coming gatherings a person sees (the scope's regions, of some only the pre-gatherings), with the columns the
# lists show, the region's name and the files of their preparation (one row per file), and for leadership the
# registration counts. Written out: the ORM's query and the files' prefetch were two queries that cost more to build
# than the database took. tests/gatherings/test_upcoming.py holds it to them.
_UPCOMING_SQL = (
    "SELECT g.id, g.regional_program_id, g.kind, g.number, g.title, g.starts_at, g.ends_at, g.preparation, g.status,"
    " g.attending, g.waitlisted, rp.name, f.id, f.original_name"
    " FROM (SELECT g.id, g.regional_program_id, g.kind, g.number, g.title, g.starts_at, g.ends_at, g.preparation,"
    "  g.status, {counts} FROM gatherings_gathering g"
    "  WHERE g.ends_at >= %s AND g.status <> %s{scope} ORDER BY g.starts_at, g.id LIMIT %s) g"
    " INNER JOIN programs_regionalprogram rp ON rp.id = g.regional_program_id"
    " LEFT JOIN gatherings_gatheringfile f ON f.gathering_id = g.id"
    " ORDER BY g.starts_at, g.id, f.uploaded_at, f.id"
)
_UPCOMING_COUNTS = (
    "(SELECT COUNT(*) FROM gatherings_registration r WHERE r.gathering_id = g.id AND r.status = %s) AS attending,"
    " (SELECT COUNT(*) FROM gatherings_registration r WHERE r.gathering_id = g.id AND r.status = %s) AS waitlisted"
)


def upcoming_gatherings_for(
    user, *, limit: int = 5, now: dt.datetime | None = None, counts: bool = False
) -> list[Gathering]:
    """The coming gatherings as the lists show them (title, time, region, preparation and its files); with
    `attending_count` and `waitlisted_count` only when asked (the leadership's dashboard panel)."""
    now = now or timezone.now()
    found = gathering_scope(user)
    scope = ""
    scope_params: list[int | str] = []
    if found is not None:  # leadership: every region, no IN (all regions) for the planner to join
        if not found.region_ids:
            return []
        condition, scope_params = found.sql("g")
        scope = f" AND {condition}"
    count_params = [RegistrationStatus.ATTENDING.value, RegistrationStatus.WAITLISTED.value] if counts else []
    sql = _UPCOMING_SQL.format(
        counts=_UPCOMING_COUNTS if counts else "NULL AS attending, NULL AS waitlisted", scope=scope
    )
    with connection.cursor() as cursor:
        cursor.execute(
            sql, [*count_params, moment(now), GatheringStatus.CANCELLED.value, *scope_params, limit]
        )
        rows = cursor.fetchall()
    alias = connection.alias
    gatherings: dict[int, Gathering] = {}
    files: dict[int, list[GatheringFile]] = {}
    fields = [
        "id",
        "regional_program_id",
        "kind",
        "number",
        "title",
        "starts_at",
        "ends_at",
        "preparation",
        "status",
    ]
    for (
        pk,
        rp_id,
        kind,
        number,
        title,
        starts_at,
        ends_at,
        preparation,
        status,
        attending,
        waitlisted,
        rp_name,
        *file,
    ) in rows:
        if pk not in gatherings:
            gathering = gatherings[pk] = Gathering.from_db(
                alias,
                fields,
                [pk, rp_id, kind, number, title, aware(starts_at), aware(ends_at), preparation, status],
            )
            gathering.regional_program = RegionalProgram.from_db(alias, ["id", "name"], [rp_id, rp_name])
            if counts:
                gathering.attending_count = attending  # type: ignore[attr-defined]
                gathering.waitlisted_count = waitlisted  # type: ignore[attr-defined]
            files[pk] = []
        file_id, original_name = file
        if file_id is not None:
            files[pk].append(
                GatheringFile.from_db(
                    alias, ["id", "original_name", "gathering_id"], [file_id, original_name, pk]
                )
            )
    for pk, gathering in gatherings.items():
        # As `prefetch_related("files")` leaves them: `gathering.files.all()` answers without a query.
        prefetched = GatheringFile.objects.all()
        prefetched._result_cache = files[pk]
        prefetched._prefetch_done = True  # type: ignore[attr-defined]
        gathering._prefetched_objects_cache = {  # type: ignore[attr-defined]
            "files": prefetched
        }
    return list(gatherings.values())


def cancelled_upcoming_for(user, *, limit: int = 10, now: dt.datetime | None = None) -> list[Gathering]:
    """Cancelled gatherings that would still have been ahead: listed apart under «Avlyst», never as coming."""
    now = now or timezone.now()
    return list(
        _visible(Gathering.objects.select_related("regional_program"), user)
        .filter(ends_at__gte=now, status=GatheringStatus.CANCELLED)
        .order_by("starts_at", "id")[:limit]
    )
