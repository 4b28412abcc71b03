"""Reads of editions and regional programmes, already scoped and prefetched."""

from django.db.models import QuerySet

from municipalities.models import Municipality

from .models import RegionalProgram


def regional_program_municipalities(*, regional_program: RegionalProgram, members_only: bool = True) -> QuerySet[Municipality]:
    """The municipalities in the counties of the region's branches (member municipalities by default)."""
    qs = Municipality.objects.filter(county__branch__regional_programs=regional_program).select_related("county")
    if members_only:
        qs = qs.filter(is_member=True)
    return qs.distinct().order_by("name")
