"""Leadership's selection overview: the application window, selection criteria and deadline extensions."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.permissions import require
from programs.selectors import regional_program_municipalities

from .. import selectors, services
from ..forms import (
    ApplicationWindowForm,
    DeadlineExtensionForm,
    SelectionCriterionForm,
)
from ..models import (
    ApplicationDeadlineExtension,
    DecisionOutcome,
    SelectionCriterion,
)
from ..permissions import can_manage_selection
from .common import _attempt, _form_error, _selection_program, post_only


@require(can_manage_selection)
@require_GET
def selection_overview(request, rp_id: int):
    # Only the columns the page shows (not the programme, nor the long texts of the rows' people and places).
    rp = selectors.selection_program_get(user=request.user, pk=rp_id)
    context = {
        "rp": rp,
        "criteria": list(SelectionCriterion.objects.filter(regional_program=rp).only("name", "weight")),
        "criteria_locked": rp.criteria_locked,
        "criteria_locked_message": services.CRITERIA_LOCKED_MESSAGE,
        "jury": selectors.jury_rows_of(regional_program_id=rp.pk),
        "extensions": list(
            ApplicationDeadlineExtension.objects.filter(regional_program=rp)
            .select_related("municipality")
            .only("deadline", "reason", "municipality__name")
        ),
        "outcomes": DecisionOutcome.choices,
        "groups": selectors.group_rows_of(regional_program_id=rp.pk),
    }
    return render(request, "applications/selection_overview.html", context)


@require(can_manage_selection)
def window_edit(request, rp_id: int):
    rp = _selection_program(request, rp_id)
    if request.method == "POST":
        form = ApplicationWindowForm(request.POST)
        if form.is_valid():
            try:
                services.application_window_update(
                    actor=request.user, regional_program=rp, **form.cleaned_data
                )
            except ValidationError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, _("Søknadsvinduet er lagret."))
                return redirect("applications:selection", rp_id=rp.pk)
    else:
        form = ApplicationWindowForm(
            initial={
                "applications_open_at": rp.applications_open_at
                and timezone.localtime(rp.applications_open_at),
                "application_deadline": rp.application_deadline
                and timezone.localtime(rp.application_deadline),
                "places": rp.places,
                "applicant_guidance": rp.applicant_guidance,
            }
        )
    return render(
        request, "applications/form_page.html", {"rp": rp, "form": form, "title": _("Søknadsvindu")}
    )


@require(can_manage_selection)
def criterion_edit(request, rp_id: int, criterion_id: int | None = None):
    rp = _selection_program(request, rp_id)
    criterion = None
    if criterion_id is not None:
        criterion = get_object_or_404(SelectionCriterion, regional_program=rp, pk=criterion_id)
    if request.method == "POST":
        form = SelectionCriterionForm(request.POST)
        if form.is_valid():
            try:
                services.selection_criterion_save(
                    actor=request.user, regional_program=rp, criterion=criterion, **form.cleaned_data
                )
            except ValidationError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, _("Kriteriet er lagret."))
                return redirect("applications:selection", rp_id=rp.pk)
    elif criterion is not None:
        form = SelectionCriterionForm(
            initial={k: getattr(criterion, k) for k in ("name", "description", "weight", "position")}
        )
    else:
        form = SelectionCriterionForm()
    return render(
        request,
        "applications/form_page.html",
        {"rp": rp, "form": form, "title": _("Endre kriterium") if criterion else _("Nytt kriterium")},
    )


@require(can_manage_selection)
def criterion_delete(request, rp_id: int, criterion_id: int):
    """GET shows what will be deleted and asks; only a POST from that page (with `confirm`) deletes."""
    rp = _selection_program(request, rp_id)
    criterion = get_object_or_404(SelectionCriterion, regional_program=rp, pk=criterion_id)
    locked = services.criteria_locked(regional_program=rp)
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        _attempt(
            request,
            lambda: services.selection_criterion_delete(actor=request.user, criterion=criterion),
            _("Kriteriet er slettet."),
        )
        return redirect("applications:selection", rp_id=rp.pk)
    return render(
        request,
        "applications/criterion_delete.html",
        {
            "rp": rp,
            "criterion": criterion,
            "locked": locked,
            "locked_message": services.CRITERIA_LOCKED_MESSAGE,
        },
    )


@require(can_manage_selection)
def deadline_extension_create(request, rp_id: int):
    rp = _selection_program(request, rp_id)
    municipalities = regional_program_municipalities(regional_program=rp)
    if request.method == "POST":
        form = DeadlineExtensionForm(request.POST, municipalities=municipalities)
        if form.is_valid():
            try:
                services.application_deadline_extension_grant(
                    actor=request.user, regional_program=rp, **form.cleaned_data
                )
            except ValidationError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, _("Kommunen har fått egen søknadsfrist."))
                return redirect("applications:selection", rp_id=rp.pk)
    else:
        form = DeadlineExtensionForm(municipalities=municipalities)
    return render(
        request,
        "applications/form_page.html",
        {"rp": rp, "form": form, "title": _("Egen søknadsfrist for en kommune")},
    )


@require(can_manage_selection)
@post_only("applications:selection", "rp_id")
def deadline_extension_delete(request, rp_id: int, extension_id: int):
    rp = _selection_program(request, rp_id)
    extension = get_object_or_404(ApplicationDeadlineExtension, regional_program=rp, pk=extension_id)
    services.application_deadline_extension_revoke(actor=request.user, extension=extension)
    messages.success(request, _("Den egne søknadsfristen er fjernet."))
    return redirect("applications:selection", rp_id=rp.pk)
