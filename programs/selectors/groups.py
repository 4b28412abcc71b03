"""Municipal groups (kommunegrupper), the regional programme's participants: the groups a person may see, and one
region's groups with their member counts (other apps read them from here)."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from accounts.permissions import role_scope

from ..models import MunicipalGroup, RegionalProgram
from ..permissions import can_manage_programs


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
