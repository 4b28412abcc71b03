"""The report's scope and period: its regions, their semesters, and the period filter's days."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, Q

from gatherings.models import Semester as GatheringSemester
from municipalities.models import CountyBranch

from ...models import Program, RegionalProgram


def percent(part: int | float, whole: int | float) -> int | None:
    return None if not whole else round(100 * part / whole)


@dataclass(frozen=True)
class Period:
    """An inclusive range of days (either end open). Applies to gatherings, sessions, hand-ins, the plans'
    latest revision and the timeline; participation is about the whole edition."""

    start: dt.date | None = None
    end: dt.date | None = None
    label: str = ""

    @property
    def is_set(self) -> bool:
        return self.start is not None or self.end is not None

    def q(self, field_name: str) -> Q:
        """For a date field, or a datetime field given as `<field>__date` (Oslo days)."""
        q = Q()
        if self.start:
            q &= Q(**{f"{field_name}__gte": self.start})
        if self.end:
            q &= Q(**{f"{field_name}__lte": self.end})
        return q

    def contains(self, day: dt.date | None) -> bool:
        if day is None:
            return False
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)


def report_regions(*, program: Program | None = None, region_id: int | None = None) -> list[RegionalProgram]:
    """The regions of an edition (or the one region), with their edition and branches. Also read for a cached
    page, so nothing here is only for the build (the decisions' dates are read by the timeline)."""
    qs = (
        RegionalProgram.objects.select_related("program")
        # What the report, its page and its export show: no long texts (guidance to applicants, invitation).
        .only(
            "name",
            "program_id",
            "applications_open_at",
            "application_deadline",
            "review_deadline",
            "program__name",
            "program__slug",
            "program__interest_deadline",
        )
        .prefetch_related(Prefetch("branches", queryset=CountyBranch.objects.only("name")))
        .order_by("name")
    )
    if program is not None:
        qs = qs.filter(program=program)
    if region_id is not None:
        qs = qs.filter(pk=region_id)
    return list(qs)


def report_semesters(*, regions: list[RegionalProgram]) -> list[dict]:
    """The semesters of the regions (for the period filter and the timeline)."""
    return [
        dict(s)
        for s in GatheringSemester.objects.filter(regional_program_id__in=[r.pk for r in regions])
        .order_by("starts_on", "name")
        .values("regional_program_id", "name", "starts_on", "ends_on")
    ]


def semester_choices(semesters: list[dict]) -> list[tuple[str, dt.date, dt.date]]:
    """Semester names of the report's regions with the days they span (a name shared by regions spans all)."""
    spans: dict[str, list[dt.date]] = {}
    for s in semesters:
        span = spans.setdefault(s["name"], [s["starts_on"], s["ends_on"]])
        span[0] = min(span[0], s["starts_on"])
        span[1] = max(span[1], s["ends_on"])
    return sorted(((name, a, b) for name, (a, b) in spans.items()), key=lambda t: t[1])
