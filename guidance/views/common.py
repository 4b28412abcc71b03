"""Helpers several guidance pages share."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.utils.translation import gettext as _

from core.dates import date_display
from programs.models import MunicipalGroupMember, RegionalProgram

from .. import selectors
from ..models import DevelopmentPlanRevision


def regional_program_or_404(pk: int) -> RegionalProgram:
    rp = RegionalProgram.objects.select_related("program").filter(pk=pk).first()
    if rp is None:
        raise Http404
    return rp


def members_qs(agreement):
    """The municipal group's members, to pick as participants."""
    return MunicipalGroupMember.objects.filter(
        group__regional_program_id=agreement.regional_program_id,
        group__municipality_id=agreement.municipality_id,
    ).order_by("-is_coordinator", "name")


def ascii_id(value) -> int | None:
    """A posted id as an int, or None for anything but 1–18 ASCII digits (no 500 on "²" or a huge number)."""
    text = str(value or "")
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 18 else None


def warn_beyond_programme(request, rp, ends_on) -> None:
    """A period reaching past the programme's last semester is allowed, but said (non-blocking)."""
    last = selectors.programme_last_day(regional_program=rp)
    if ends_on and last and ends_on > last:
        messages.warning(
            request,
            _(
                "Avtaleperioden varer til %(end)s, men programmets siste semester slutter %(last)s. "
                "Sjekk om perioden er riktig."
            )
            % {"end": date_display(ends_on), "last": date_display(last)},
        )


def revisions_qs(agreement):
    return DevelopmentPlanRevision.objects.filter(
        plan__regional_program_id=agreement.regional_program_id,
        plan__municipality_id=agreement.municipality_id,
    ).order_by("-number")
