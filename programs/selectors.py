"""Reads of editions, interest registrations and the temperaturmåling, already scoped and prefetched."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.permissions import role_scope
from municipalities.models import County, CountyBranch, Municipality

from .models import (
    AnnualMeetingDecision,
    DialogueMeeting,
    DialogueMeetingStatus,
    InterestDeadlineExtension,
    InterestLevel,
    InterestRegistration,
    MunicipalGroup,
    Program,
    RegionalProgram,
)
from .permissions import can_manage_programs
from .timing import deadline_is_open, time_left

NOT_ANSWERED = "none"


def regional_program_municipalities(
    *, regional_program: RegionalProgram, members_only: bool = True
) -> QuerySet[Municipality]:
    """The municipalities in the counties of the region's branches (member municipalities by default)."""
    qs = Municipality.objects.filter(county__branch__regional_programs=regional_program).select_related(
        "county"
    )
    if members_only:
        qs = qs.filter(is_member=True)
    return qs.distinct().order_by("name")


# --- editions -----------------------------------------------------------------------------------------


def program_list(*, user) -> QuerySet[Program]:
    """Editions the person may see: all for leadership, published ones for everyone else."""
    qs = Program.objects.annotate(
        registration_count=Count("interest_registrations", distinct=True),
    )
    if not can_manage_programs(user):
        qs = qs.filter(is_published=True)
    return qs.order_by("-interest_deadline", "name")


def program_get(*, user, pk: int) -> Program:
    """One edition in the person's scope, or 404."""
    return _get_or_404(program_list(user=user), pk=pk)


def published_program_by_slug(*, slug: str) -> Program:
    return _get_or_404(
        Program.objects.filter(is_published=True).prefetch_related(
            Prefetch(
                "regional_programs",
                queryset=RegionalProgram.objects.prefetch_related("branches").order_by("name"),
            )
        ),
        slug=slug,
    )


def _get_or_404(qs, **lookup):
    obj = qs.filter(**lookup).first()
    if obj is None:
        raise Http404
    return obj


# --- deadlines ----------------------------------------------------------------------------------------


def interest_deadline_for(*, program: Program, branch: CountyBranch) -> dt.datetime:
    """The branch's own deadline: its extension if leadership granted one, else the edition's deadline."""
    extension = (
        InterestDeadlineExtension.objects.filter(program=program, branch=branch).only("deadline").first()
    )
    return extension.deadline if extension else program.interest_deadline


def interest_deadlines(*, program: Program) -> dict[int, dt.datetime]:
    """Every active branch's deadline in one query pair (for sweeps over many branches)."""
    extensions = dict(
        InterestDeadlineExtension.objects.filter(program=program).values_list("branch_id", "deadline")
    )
    return {
        pk: extensions.get(pk, program.interest_deadline)
        for pk in CountyBranch.objects.filter(is_active=True).values_list("pk", flat=True)
    }


# --- branches and registrations -----------------------------------------------------------------------


def branches_for_user(*, user) -> QuerySet[CountyBranch]:
    """Active branches the person may act for: all for leadership, their own for board members."""
    qs = CountyBranch.objects.filter(is_active=True).order_by("name")
    if can_manage_programs(user):
        return qs
    scope = role_scope(user)
    return qs.filter(pk__in=scope.branch_ids)


def branch_for_interest(*, user, branch_id: int) -> CountyBranch:
    """A branch whose interest the person may see (own board, or leadership); 404 otherwise."""
    return _get_or_404(branches_for_user(user=user), pk=branch_id)


def branch_member_municipalities(*, branch: CountyBranch) -> QuerySet[Municipality]:
    """The member municipalities in the branch's counties: the only ones its registration may name."""
    return (
        Municipality.objects.filter(county__branch=branch, is_member=True)
        .select_related("county")
        .order_by("name")
    )


def branches_without_interest_registration(*, program: Program) -> QuerySet[CountyBranch]:
    """Active branches that have not registered interest for the edition (for reminders and the overview)."""
    return (
        CountyBranch.objects.filter(is_active=True)
        .exclude(interest_registrations__program=program)
        .order_by("name")
    )


def interest_registration_for(*, program: Program, branch: CountyBranch) -> InterestRegistration | None:
    return (
        InterestRegistration.objects.filter(program=program, branch=branch)
        .select_related("updated_by", "branch", "program")
        .prefetch_related(Prefetch("municipalities", queryset=Municipality.objects.order_by("name")))
        .first()
    )


# --- the temperaturmåling -----------------------------------------------------------------------------


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
                .prefetch_related(Prefetch("municipalities", queryset=Municipality.objects.order_by("name"))),
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


# --- dialogue meetings --------------------------------------------------------------------------------


def dialogue_meetings_for(*, user, program: Program | None = None) -> QuerySet[DialogueMeeting]:
    """Dialogue meetings the person may see: all for leadership, their branches' for board members."""
    qs = DialogueMeeting.objects.select_related("program", "branch", "requested_by", "scheduled_by")
    if program is not None:
        qs = qs.filter(program=program)
    if not can_manage_programs(user):
        qs = qs.filter(branch_id__in=role_scope(user).branch_ids, program__is_published=True)
    return qs.order_by("status", "starts_at", "created_at")


def dialogue_meeting_get(*, user, pk: int) -> DialogueMeeting:
    return _get_or_404(dialogue_meetings_for(user=user), pk=pk)


# --- after the annual meetings ------------------------------------------------------------------------


def annual_meeting_decision_for(*, program: Program, branch: CountyBranch) -> AnnualMeetingDecision | None:
    return (
        AnnualMeetingDecision.objects.filter(program=program, branch=branch)
        .select_related("recorded_by")
        .first()
    )


def confirmed_branches(*, program: Program) -> QuerySet[CountyBranch]:
    """Branches whose annual meeting decided to take part in the edition."""
    return CountyBranch.objects.filter(
        annual_meeting_decisions__program=program, annual_meeting_decisions__participates=True
    ).order_by("name")


def confirmed_branches_without_region(*, program: Program) -> QuerySet[CountyBranch]:
    return confirmed_branches(program=program).exclude(regional_programs__program=program)


def regional_programs_for(*, program: Program) -> QuerySet[RegionalProgram]:
    return (
        RegionalProgram.objects.filter(program=program)
        .prefetch_related(Prefetch("branches", queryset=CountyBranch.objects.order_by("name")))
        .order_by("name")
    )


# --- dashboards ---------------------------------------------------------------------------------------


@dataclass
class BoardEditionPanel:
    program: Program
    branch: CountyBranch
    registration: InterestRegistration | None
    deadline: dt.datetime
    extended: bool
    decision: AnnualMeetingDecision | None

    @property
    def is_open(self) -> bool:
        return deadline_is_open(self.deadline)

    @property
    def time_left(self) -> dt.timedelta:
        return time_left(self.deadline)


def board_dashboard(*, user) -> list[BoardEditionPanel]:
    """For each published edition and each of the person's branches: answer, deadline and decision."""
    scope = role_scope(user)
    if not scope.branch_ids:
        return []
    programs = list(Program.objects.filter(is_published=True).order_by("-interest_deadline")[:3])
    if not programs:
        return []
    branches = list(CountyBranch.objects.filter(pk__in=scope.branch_ids, is_active=True).order_by("name"))
    registrations = {
        (r.program_id, r.branch_id): r
        for r in InterestRegistration.objects.filter(
            program__in=programs, branch__in=branches
        ).select_related("updated_by")
    }
    extensions = {
        (e.program_id, e.branch_id): e
        for e in InterestDeadlineExtension.objects.filter(program__in=programs, branch__in=branches)
    }
    decisions = {
        (d.program_id, d.branch_id): d
        for d in AnnualMeetingDecision.objects.filter(program__in=programs, branch__in=branches)
    }
    panels = []
    for program in programs:
        for branch in branches:
            ext = extensions.get((program.pk, branch.pk))
            panels.append(
                BoardEditionPanel(
                    program=program,
                    branch=branch,
                    registration=registrations.get((program.pk, branch.pk)),
                    deadline=ext.deadline if ext else program.interest_deadline,
                    extended=ext is not None,
                    decision=decisions.get((program.pk, branch.pk)),
                )
            )
    return panels


def leadership_dashboard_programs() -> list[Program]:
    """Editions with their answer counts for the leadership panel (newest first)."""
    return list(
        Program.objects.annotate(
            registration_count=Count("interest_registrations", distinct=True),
            yes_count=Count(
                "interest_registrations", filter=Q(interest_registrations__level="yes"), distinct=True
            ),
        ).order_by("-interest_deadline")[:4]
    )


def upcoming_dialogue_meetings(*, user) -> list[DialogueMeeting]:
    now = timezone.now()
    return list(
        dialogue_meetings_for(user=user)
        .filter(
            Q(status=DialogueMeetingStatus.REQUESTED)
            | Q(status=DialogueMeetingStatus.SCHEDULED, starts_at__gte=now - dt.timedelta(hours=2))
        )
        .order_by("-status", "starts_at", "created_at")[:6]
    )


def active_branch_count() -> int:
    return CountyBranch.objects.filter(is_active=True).count()


# --- municipal groups (the regional programme's participants) -------------------------------------------


def municipal_groups_visible_to(user) -> QuerySet[MunicipalGroup]:
    scope = role_scope(user)
    qs = MunicipalGroup.objects.select_related("regional_program", "municipality__county").prefetch_related(
        "members"
    )
    if can_manage_programs(user):
        return qs
    region = RegionalProgram.objects.filter(branches__in=scope.branch_ids).values("pk")
    return qs.filter(Q(municipality_id__in=scope.municipality_ids) | Q(regional_program__in=region))


def municipal_groups_of(*, regional_program: RegionalProgram) -> QuerySet[MunicipalGroup]:
    """The groups of one regional programme with their member counts (for leadership and other apps)."""
    return (
        MunicipalGroup.objects.filter(regional_program=regional_program)
        .select_related("municipality")
        .annotate(member_count=Count("members"))
        .order_by("municipality__name")
    )
