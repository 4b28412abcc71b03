"""After the county annual meetings (årsmøter): a branch's recorded decision, and the branches that confirmed
participation in an edition."""

from __future__ import annotations

from django.db.models import QuerySet

from municipalities.models import CountyBranch

from ..models import AnnualMeetingDecision, Program


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
