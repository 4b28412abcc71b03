"""The whole report, one section module each (funnel, attendance, guidance, hand-ins, plans, timeline)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import BooleanField, ExpressionWrapper, Q
from django.utils import timezone

from gatherings.models import Gathering

from ...models import MunicipalGroup, Program, RegionalProgram
from .attendance import report_attendance
from .common import Period
from .funnel import report_participation
from .guidance import report_guidance
from .hand_ins import report_hand_ins
from .plans import report_plans
from .timeline import report_timeline


@dataclass
class Report:
    program: Program
    regions: list[RegionalProgram]
    period: Period
    branch: object | None
    participation: dict
    attendance: dict
    guidance: dict
    hand_ins: dict
    plans: list[dict]
    timeline: list[dict]
    semesters: list[dict] = field(default_factory=list)
    gatherings: list[Gathering] = field(default_factory=list)
    all_texts: bool = True
    generated_at: dt.datetime = field(default_factory=timezone.now)

    @property
    def is_edition(self) -> bool:
        return len(self.regions) != 1


def report_build(
    *,
    program: Program,
    regions: list[RegionalProgram],
    semesters: list[dict],
    period: Period,
    branch=None,
    all_texts: bool = True,
    texts: bool = True,
    export: bool = False,
    now=None,
) -> Report:
    """The whole report for these regions of the edition; `branch` narrows it to that branch's
    municipalities (and the regions it takes part in). Without `all_texts` (a board member) the texts follow
    the owning apps' read rules: only hand-ins shared with the region, and no development plan text. Without
    `texts` no hand-in or plan text is read at all (the edition's page shows counts and versions only). What
    only the XLSX shows (when each application was sent, the time of each plan version) is read with `export`."""
    now = now or timezone.now()
    if branch is not None:
        regions = [r for r in regions if any(b.pk == branch.pk for b in r.branches.all())]
    ids = [r.pk for r in regions]

    def in_branch(path: str) -> Q:
        return Q(**{f"{path}__county__branch_id": branch.pk}) if branch is not None else Q()

    semesters = [s for s in semesters if s["regional_program_id"] in ids]
    gatherings: list[Gathering] = list(
        Gathering.objects.filter(period.q("starts_at__date"), regional_program_id__in=ids)
        # What the report shows of a gathering; of its task only whether there is one (expects_hand_in).
        .only(
            "regional_program_id",
            "kind",
            "number",
            "title",
            "starts_at",
            "ends_at",
            "between_work_due",
            "status",
        )
        .annotate(has_between_work=ExpressionWrapper(~Q(between_work=""), output_field=BooleanField()))
        .order_by("starts_at", "id")
    )
    # Each gathering's region is one the report has loaded already: no join, no second copy per gathering.
    by_id = {r.pk: r for r in regions}
    for g in gatherings:
        g.regional_program = by_id[g.regional_program_id]
    groups = list(
        MunicipalGroup.objects.filter(in_branch("municipality"), regional_program_id__in=ids)
        .order_by("municipality__name")
        .values("pk", "regional_program_id", "municipality_id", "municipality__name")
    )
    report = Report(
        program=program,
        regions=regions,
        period=period,
        branch=branch,
        participation=report_participation(program, regions, ids, in_branch, groups, export),
        attendance=report_attendance(regions, ids, in_branch, groups, gatherings, period, now),
        guidance=report_guidance(regions, ids, in_branch, period),
        hand_ins=report_hand_ins(regions, in_branch, groups, gatherings, period, now, all_texts, texts),
        plans=report_plans(regions, ids, in_branch, period, all_texts and texts, export),
        all_texts=all_texts,
        timeline=report_timeline(program, regions, semesters, gatherings, period, branch),
        semesters=semesters,
        gatherings=gatherings,
    )
    return report
