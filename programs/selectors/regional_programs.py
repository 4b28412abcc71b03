"""Regional programmes: the regions of an edition, the confirmed branches not yet in one, and the
municipalities a region covers."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from municipalities.models import CountyBranch, Municipality

from ..models import Program, RegionalProgram
from .annual_meetings import confirmed_branches


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


def confirmed_branches_without_region(*, program: Program) -> QuerySet[CountyBranch]:
    return confirmed_branches(program=program).exclude(regional_programs__program=program)


def regional_programs_for(*, program: Program) -> QuerySet[RegionalProgram]:
    return (
        RegionalProgram.objects.filter(program=program)
        .prefetch_related(Prefetch("branches", queryset=CountyBranch.objects.order_by("name")))
        .order_by("name")
    )
