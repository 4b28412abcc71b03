"""Which regional programmes and gatherings a person sees (`gatherings.permissions.gathering_scope` as reads)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from programs.models import RegionalProgram

from ..models import Gathering
from ..permissions import gathering_scope


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


def _visible(qs: QuerySet[Gathering], user) -> QuerySet[Gathering]:
    """The gatherings `user` sees (`gatherings.permissions.sees_gathering`, as a filter)."""
    found = gathering_scope(user)
    if found is None:
        return qs  # every region: no IN (all regions) for the planner to join
    return qs.filter(found.q()) if found.region_ids else qs.none()
