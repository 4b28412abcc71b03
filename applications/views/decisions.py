"""Ranking, decisions, decision letters, exports and the print bundle."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.permissions import check_or_404, require

from .. import exports, selectors, services
from ..forms import (
    DecisionForm,
    LetterTemplateForm,
)
from ..models import (
    ApplicationStatus,
    DecisionOutcome,
    SelectionCriterion,
)
from ..permissions import can_decide_application, can_manage_selection
from .common import _form_error, _selection_program, _visible_application


@require(can_manage_selection)
@require_GET
def ranking(request, rp_id: int):
    rp = _selection_program(request, rp_id)
    rows = selectors.ranked_applications(regional_program=rp, texts=False)
    criteria = list(SelectionCriterion.objects.filter(regional_program=rp))
    accepted = sum(1 for r in rows if r.application.status == ApplicationStatus.ACCEPTED)
    conflicts = list(selectors.conflicts_of(regional_program=rp))
    return render(
        request,
        "applications/ranking.html",
        {"rp": rp, "rows": rows, "accepted": accepted, "conflicts": conflicts, "criteria": criteria},
    )


@require(can_manage_selection)
def decision_make(request, pk: int):
    application = _visible_application(request, pk)
    check_or_404(can_decide_application, request.user, application)
    rp = application.regional_program
    accepted = selectors.accepted_count(regional_program=rp)
    if request.method == "POST":
        before_deadline = services.decision_is_before_deadline(regional_program=rp)
        over_capacity = services.decision_over_capacity(
            regional_program=rp,
            application=application,
            outcome=request.POST.get("outcome", ""),
            accepted=accepted,
        )
        form = DecisionForm(
            request.POST, places=rp.places if over_capacity else None, before_deadline=before_deadline
        )
        if form.is_valid():
            if "send" in request.POST:
                try:
                    services.decision_make(
                        actor=request.user,
                        application=application,
                        outcome=form.cleaned_data["outcome"],
                        confirm_over_capacity=form.cleaned_data.get("confirm_over_capacity", False),
                        confirm_before_deadline=form.cleaned_data.get("confirm_before_deadline", False),
                    )
                except ValidationError as exc:
                    _form_error(form, exc)
                else:
                    messages.success(request, _("Vedtaket er lagret, og brevet er sendt."))
                    return redirect("applications:ranking", rp_id=rp.pk)
            outcome = form.cleaned_data["outcome"]
            preview = services.decision_preview(
                application=application,
                outcome=outcome,
                over_capacity=over_capacity,
                before_deadline=before_deadline,
            )
            return render(
                request,
                "applications/decision_confirm.html",
                {
                    "application": application,
                    "rp": rp,
                    "form": form,
                    "outcome": outcome,
                    "outcome_label": DecisionOutcome(outcome).label,
                    "subject": preview.subject,
                    "body": preview.body,
                    "warnings": preview.warnings,
                    "accepted": accepted,
                },
            )
    else:
        initial = {"outcome": application.decision.outcome} if hasattr(application, "decision") else {}
        form = DecisionForm(initial=initial)
    letters = services.decision_letters_preview(application=application)
    return render(
        request,
        "applications/decision_form.html",
        {"application": application, "rp": rp, "form": form, "letters": letters, "accepted": accepted},
    )


@require(can_manage_selection)
def letter_template_edit(request, rp_id: int, outcome: str):
    rp = _selection_program(request, rp_id)
    if outcome not in DecisionOutcome.values:
        raise Http404
    if request.method == "POST":
        form = LetterTemplateForm(request.POST)
        if form.is_valid():
            services.decision_letter_template_save(
                actor=request.user, regional_program=rp, outcome=outcome, **form.cleaned_data
            )
            messages.success(request, _("Brevmalen er lagret."))
            return redirect("applications:selection", rp_id=rp.pk)
    else:
        subject, body = services.decision_letter_template_for(regional_program=rp, outcome=outcome)
        form = LetterTemplateForm(initial={"subject": subject, "body": body})
    return render(
        request,
        "applications/form_page.html",
        {
            "rp": rp,
            "form": form,
            "title": _("Brevmal: %(outcome)s") % {"outcome": DecisionOutcome(outcome).label},
        },
    )


@require(can_manage_selection)
@require_GET
def export_applications(request, rp_id: int, fmt: str):
    rp = _selection_program(request, rp_id)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    rows = selectors.ranked_applications(regional_program=rp)
    stamp = timezone.localtime().strftime("%Y%m%d")
    if fmt == "csv":
        response = HttpResponse(exports.applications_csv(rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="soknader-{rp.pk}-{stamp}.csv"'
        return response
    response = HttpResponse(
        exports.applications_xlsx(rows, criteria=SelectionCriterion.objects.filter(regional_program=rp)),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="soknader-{rp.pk}-{stamp}.xlsx"'
    return response


@require(can_manage_selection)
@require_GET
def print_bundle(request, rp_id: int):
    rp = _selection_program(request, rp_id)
    applications = list(selectors.applications_for_print(user=request.user, regional_program=rp))
    return render(request, "applications/application_print.html", {"applications": applications, "rp": rp})
