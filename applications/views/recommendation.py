"""The county branch's recommendation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.permissions import check_or_404

from .. import services
from ..forms import (
    RecommendationForm,
)
from ..models import Application
from ..permissions import (
    is_board_member_for_application,
)
from .common import _form_error, _visible_application


def _priority_tie_message(request, application, priority) -> None:
    """Equal priorities are allowed (the board may rank two alike), but the board is told it did so."""
    if priority is None:
        return
    same = list(
        Application.objects.filter(
            regional_program_id=application.regional_program_id,
            municipality__county__branch_id=application.municipality.county.branch_id,
            recommendation_priority=priority,
        )
        .exclude(pk=application.pk)
        .values_list("municipality__name", flat=True)
        .order_by("municipality__name")
    )
    if same:
        messages.info(
            request,
            _(
                "%(names)s har også prioritet %(priority)s. Lik prioritet betyr at fylkesstyret rangerer "
                "søknadene likt; gi dem ulike tall hvis én skal foran."
            )
            % {"names": ", ".join(same), "priority": priority},
        )


@login_required
def application_recommend(request, pk: int):
    application = _visible_application(request, pk)
    check_or_404(is_board_member_for_application, request.user, application)
    if request.method == "POST":
        form = RecommendationForm(request.POST)
        if form.is_valid():
            try:
                services.application_recommend(
                    actor=request.user,
                    application=application,
                    recommendation=form.cleaned_data["recommendation"],
                    priority=form.cleaned_data["recommendation_priority"],
                )
            except ValidationError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, _("Anbefalingen er lagret."))
                _priority_tie_message(request, application, form.cleaned_data["recommendation_priority"])
                return redirect("applications:detail", pk=pk)
    else:
        form = RecommendationForm(
            initial={
                "recommendation": application.recommendation,
                "recommendation_priority": application.recommendation_priority,
            }
        )
    return render(
        request, "applications/application_recommend.html", {"application": application, "form": form}
    )
