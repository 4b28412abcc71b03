"""The development plan: read its versions, write a new one (the municipality), comment (advisors, leadership)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.draft_views import Target, draft_discard, draft_initial, keeps_drafts
from core.forms import form_apply_error
from core.pagination import paginate
from core.permissions import check_or_404, require

from .. import selectors, services
from ..forms import PlanCommentForm, PlanRevisionForm
from ..permissions import can_comment_plan, can_revise_plan, has_guidance_role
from .common import revisions_qs


@require(has_guidance_role)
def plan_detail(request, pk: int):
    agreement = selectors.agreement_get(user=request.user, pk=pk)
    plan = selectors.plan_for(agreement=agreement)
    first, current = selectors.plan_first_and_current(plan=plan)
    page = paginate(request, selectors.plan_revisions(plan=plan), per_page=10)
    return render(
        request,
        "guidance/plan_detail.html",
        {
            "agreement": agreement,
            "plan": plan,
            "first": first,
            "current": current,
            "page": page,
            "can_revise": can_revise_plan(request.user, agreement),
            "can_comment": can_comment_plan(request.user, agreement),
            "comment_form": PlanCommentForm(),
        },
    )


PLAN_DRAFT_FIELDS = tuple(PlanRevisionForm.base_fields)


def plan_draft_key(agreement_id: int) -> str:
    return f"guidance.plan:{agreement_id}"


def plan_revise_target(person, pk: int) -> Target | None:
    """A plan version posted after the login ran out is kept for a person who may still write one."""
    if not has_guidance_role(person):
        return None
    agreement = selectors.agreement_get(user=person, pk=pk)
    return (plan_draft_key(pk), PLAN_DRAFT_FIELDS) if can_revise_plan(person, agreement) else None


@keeps_drafts(plan_revise_target)
@require(has_guidance_role)
def plan_revise(request, pk: int):
    agreement = selectors.agreement_get(user=request.user, pk=pk)
    check_or_404(can_revise_plan, request.user, agreement)
    _first, current = selectors.plan_first_and_current(plan=selectors.plan_for(agreement=agreement))
    initial = {}
    if current is not None:
        initial = {name: getattr(current, name) for name in services.PLAN_FIELDS if name != "change_note"}
    if request.method != "POST":
        initial = draft_initial(request, initial, form_key=plan_draft_key(pk), fields=PLAN_DRAFT_FIELDS)
    form = PlanRevisionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_revise(actor=request.user, agreement=agreement, data=form.cleaned_data)
        except ValidationError as exc:
            form_apply_error(form, exc)
        else:
            draft_discard(request, form_key=plan_draft_key(pk))
            messages.success(
                request,
                _("Utviklingsplanen er lagret som en ny versjon. Tidligere versjoner er tatt vare på."),
            )
            return redirect("guidance:plan_detail", pk=agreement.pk)
    return render(
        request, "guidance/plan_form.html", {"form": form, "agreement": agreement, "current": current}
    )


@require(has_guidance_role)
@require_POST
def plan_comment(request, pk: int, revision_id: int):
    agreement = selectors.agreement_get(user=request.user, pk=pk)
    check_or_404(can_comment_plan, request.user, agreement)
    revision = revisions_qs(agreement).filter(pk=revision_id).select_related("plan").first()
    if revision is None:
        raise Http404
    form = PlanCommentForm(request.POST)
    if form.is_valid():
        services.plan_comment_add(
            actor=request.user, agreement=agreement, revision=revision, text=form.cleaned_data["text"]
        )
        messages.success(request, _("Kommentaren er lagret."))
    else:
        messages.error(request, _("Kommentaren kan ikke være tom eller lengre enn 4000 tegn."))
    return redirect(reverse("guidance:plan_detail", args=[agreement.pk]) + f"#versjon-{revision.number}")
