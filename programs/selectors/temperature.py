"""The temperaturmåling: every active branch's answer for an edition, with totals and the county grid (also the
interest export's rows); a constant number of queries however many branches."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from municipalities.models import County, CountyBranch, Municipality

from ..models import (
    AnnualMeetingDecision,
    DialogueMeeting,
    DialogueMeetingStatus,
    InterestDeadlineExtension,
    InterestLevel,
    InterestRegistration,
    Program,
)
from ..timing import deadline_is_open, time_left

NOT_ANSWERED = "none"


@dataclass
class BranchStatus:
    branch: CountyBranch
    registration: InterestRegistration | None
    deadline: dt.datetime
    extended: bool
    dialogue_meetings: list[DialogueMeeting]
    decision: AnnualMeetingDecision | None

    @property
    def status(self) -> str:
        return self.registration.level if self.registration else NOT_ANSWERED

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def is_open(self) -> bool:
        return deadline_is_open(self.deadline)

    @property
    def dialogue_wanted(self) -> bool:
        return bool(self.registration and self.registration.dialogue_meeting_wanted) or any(
            m.status != DialogueMeetingStatus.CANCELLED for m in self.dialogue_meetings
        )


STATUS_LABELS = {NOT_ANSWERED: _("Ikke svart"), **dict(InterestLevel.choices)}
STATUS_ORDER = [InterestLevel.YES, InterestLevel.MAYBE, InterestLevel.NO, NOT_ANSWERED]


@dataclass
class CountyCell:
    county: County
    status: str
    status_label: str
    branch_name: str


@dataclass
class TemperatureOverview:
    program: Program
    rows: list[BranchStatus]
    all_rows: list[BranchStatus]
    totals: list[tuple[str, str, int]]  # (status, label, count) over all branches, in a fixed order
    counties: list[CountyCell]
    municipality_count: int
    time_left: dt.timedelta
    deadline_passed: bool
    filters: dict = field(default_factory=dict)

    @property
    def branch_count(self) -> int:
        return len(self.all_rows)

    @property
    def answered_count(self) -> int:
        return sum(1 for r in self.all_rows if r.registration)

    @property
    def max_total(self) -> int:
        return max([c for _s, _l, c in self.totals] + [1])


def _branch_rows(*, program: Program) -> list[BranchStatus]:
    branches = (
        CountyBranch.objects.filter(is_active=True)
        .order_by("name")
        .prefetch_related(
            Prefetch("counties", queryset=County.objects.order_by("number")),
            Prefetch(
                "interest_registrations",
                queryset=InterestRegistration.objects.filter(program=program)
                .select_related("updated_by")
                # the page, its search and the export show the member municipalities' names alone
                .prefetch_related(
                    Prefetch("municipalities", queryset=Municipality.objects.only("name").order_by("name"))
                ),
                to_attr="registrations_here",
            ),
            Prefetch(
                "interest_deadline_extensions",
                queryset=InterestDeadlineExtension.objects.filter(program=program),
                to_attr="extensions_here",
            ),
            Prefetch(
                "dialogue_meetings",
                queryset=DialogueMeeting.objects.filter(program=program).order_by("starts_at", "created_at"),
                to_attr="meetings_here",
            ),
            Prefetch(
                "annual_meeting_decisions",
                queryset=AnnualMeetingDecision.objects.filter(program=program),
                to_attr="decisions_here",
            ),
        )
    )
    rows = []
    for branch in branches:
        extension = branch.extensions_here[0] if branch.extensions_here else None
        rows.append(
            BranchStatus(
                branch=branch,
                registration=branch.registrations_here[0] if branch.registrations_here else None,
                deadline=extension.deadline if extension else program.interest_deadline,
                extended=extension is not None,
                dialogue_meetings=list(branch.meetings_here),
                decision=branch.decisions_here[0] if branch.decisions_here else None,
            )
        )
    return rows


TEMPERATURE_STATUS_FILTERS = [*STATUS_ORDER]


def temperature_overview(
    *, program: Program, status: str = "", dialogue: bool = False, q: str = ""
) -> TemperatureOverview:
    """Every active branch with its answer for the edition, totals, the county grid; constant queries."""
    all_rows = _branch_rows(program=program)
    counts = Counter(r.status for r in all_rows)
    totals = [(s, str(STATUS_LABELS[s]), counts.get(s, 0)) for s in STATUS_ORDER]
    rows = all_rows
    if status in TEMPERATURE_STATUS_FILTERS:
        rows = [r for r in rows if r.status == status]
    if dialogue:
        rows = [r for r in rows if r.dialogue_wanted]
    needle = q.strip().casefold()
    if needle:
        rows = [
            r
            for r in rows
            if needle in r.branch.name.casefold()
            or any(needle in c.name.casefold() for c in r.branch.counties.all())
            or (
                r.registration
                and any(needle in m.name.casefold() for m in r.registration.municipalities.all())
            )
        ]
    counties = [
        CountyCell(county=c, status=r.status, status_label=r.status_label, branch_name=r.branch.short_name)
        for r in all_rows
        for c in r.branch.counties.all()
    ]
    counties.sort(key=lambda cell: cell.county.number)
    municipality_count = sum(len(r.registration.municipalities.all()) for r in all_rows if r.registration)
    return TemperatureOverview(
        program=program,
        rows=rows,
        all_rows=all_rows,
        totals=totals,
        counties=counties,
        municipality_count=municipality_count,
        time_left=time_left(program.interest_deadline),
        deadline_passed=not deadline_is_open(program.interest_deadline),
        filters={"status": status, "dialogue": dialogue, "q": q},
    )


def interest_registrations_for_export(*, program: Program) -> list[BranchStatus]:
    """All active branches with their answers (the unanswered ones too), for CSV/XLSX."""
    return _branch_rows(program=program)
