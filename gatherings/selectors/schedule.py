"""The gatherings as scheduled: a region's semesters and gatherings, one gathering for its pages, the coming
and the cancelled ones for the dashboards."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from programs.models import RegionalProgram

from ..models import Gathering, GatheringFile, GatheringStatus, Registration, RegistrationStatus, Semester
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
