"""Editions (programperioder): the ones a person may see, and the published edition's public page."""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet

from ..models import Program, RegionalProgram
from ..permissions import can_manage_programs
from .common import first_or_404


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
    return first_or_404(program_list(user=user), pk=pk)


def published_program_by_slug(*, slug: str) -> Program:
    return first_or_404(
        Program.objects.filter(is_published=True).prefetch_related(
            Prefetch(
                "regional_programs",
                queryset=RegionalProgram.objects.prefetch_related("branches").order_by("name"),
            )
        ),
        slug=slug,
    )
