"""Leadership's jury administration, and the jury member's list and review page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.dates import datetime_display
from core.draft_views import Target, draft_discard, draft_recovered, keeps_drafts
from core.pagination import paginate
from core.permissions import require

from .. import selectors, services
from ..forms import (
    SCORE_SCALE_ID,
    ConflictForm,
    JuryAssignmentForm,
    JuryMemberForm,
    ReviewForm,
)
from ..models import (
    Application,
    ApplicationStatus,
    JuryMember,
    SelectionCriterion,
)
from ..permissions import application_is_open_for_changes, can_manage_selection, can_review
from .common import (
    _attempt,
    _form_error,
    _message_error,
    _selection_program,
    confirm_page,
    post_only,
)


@require(can_manage_selection)
def jury_add(request, rp_id: int):
    rp = _selection_program(request, rp_id)
    if request.method == "POST":
        form = JuryMemberForm(request.POST)
        if form.is_valid():
            try:
                services.jury_member_add(actor=request.user, regional_program=rp, **form.cleaned_data)
            except ValidationError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, _("Jurymedlemmet er lagt til."))
                return redirect("applications:selection", rp_id=rp.pk)
    else:
        form = JuryMemberForm()
    return render(
        request, "applications/form_page.html", {"rp": rp, "form": form, "title": _("Legg til jurymedlem")}
    )


@require(can_manage_selection)
def jury_assign(request, rp_id: int, member_id: int):
    rp = _selection_program(request, rp_id)
    member = get_object_or_404(JuryMember.objects.select_related("user"), regional_program=rp, pk=member_id)
    candidates = (
        Application.objects.filter(regional_program=rp)
        .exclude(status__in=[ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN])
        .select_related("municipality")
        .order_by("municipality__name")
    )
    if request.method == "POST":
        form = JuryAssignmentForm(request.POST, applications=candidates)
        if form.is_valid():
            try:
                services.jury_assignments_set(
                    actor=request.user,
                    member=member,
                    applications=list(form.cleaned_data["applications"]),
                    review_deadline=form.cleaned_data["review_deadline"],
                )
            except ValidationError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, _("Tildelingen er lagret."))
                return redirect("applications:selection", rp_id=rp.pk)
    else:
        form = JuryAssignmentForm(
            applications=candidates,
            initial={
                "applications": [r.application_id for r in member.reviews.all()],
                "review_deadline": rp.review_deadline and timezone.localtime(rp.review_deadline).date(),
            },
        )
    conflicts = list(member.reviews.filter(has_conflict=True).select_related("application__municipality"))
    return render(
        request,
        "applications/jury_assign.html",
        {"rp": rp, "member": member, "form": form, "conflicts": conflicts},
    )


@require(can_manage_selection)
@post_only("applications:jury_assign", "rp_id", "member_id")
def jury_remove(request, rp_id: int, member_id: int):
    rp = _selection_program(request, rp_id)
    member = get_object_or_404(JuryMember.objects.select_related("user"), regional_program=rp, pk=member_id)
    if request.POST.get("confirm") != "yes":
        return confirm_page(
            request,
            title=_("Fjerne %(name)s fra juryen?") % {"name": member.display_name},
            lines=[
                _(
                    "%(name)s blir fjernet fra juryen i %(region)s, og tildelte søknader som ikke er vurdert, "
                    "tas fra personen."
                )
                % {"name": member.display_name, "region": rp.name}
            ],
            button=_("Fjern fra juryen"),
            cancel_url=reverse("applications:selection", args=[rp.pk]),
        )
    _attempt(
        request,
        lambda: services.jury_member_remove(actor=request.user, member=member),
        _("Jurymedlemmet er fjernet."),
    )
    return redirect("applications:selection", rp_id=rp.pk)


# --- Jury ------------------------------------------------------------------------------------------------


@require(can_review)
@require_GET
def jury_list(request):
    page = paginate(request, selectors.jury_review_list(user=request.user))
    return render(request, "applications/jury_list.html", {"page": page, "reviews": page.object_list})


def review_draft_key(review_id: int) -> str:
    return f"applications.review:{review_id}"


def review_target(person, review_id: int) -> Target | None:
    """Scores and comment typed when the session ran out are kept for the jury member of this review."""
    review = selectors.review_for_jury_member(user=person, pk=review_id).first()
    if review is None:
        return None
    return review_draft_key(review_id), _review_fields(review.application.regional_program_id)


def _review_fields(regional_program_id: int) -> tuple[str, ...]:
    criteria = SelectionCriterion.objects.filter(regional_program_id=regional_program_id)
    return ("comment", *(f"criterion_{pk}" for pk in criteria.values_list("pk", flat=True)))


def _review_conflict_step(request, review):
    """First step: the member says whether they have a conflict of interest. Returns (form, response)."""
    form = ConflictForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_conflict_declare(
                actor=request.user,
                review=review,
                has_conflict=form.cleaned_data["has_conflict"],
                note=form.cleaned_data["conflict_note"],
            )
        except ValidationError as exc:
            _form_error(form, exc)
        else:
            if review.has_conflict:
                messages.info(request, _("Du er registrert som inhabil. Søknaden er tatt ut av listen din."))
                return form, redirect("applications:jury")
            return form, redirect("applications:review", review_id=review.pk)
    return form, None


def _review_scoring_step(request, review, criteria: list):
    """Second step, until delivered: scores per criterion and a comment. Returns (form, response)."""
    if request.method == "POST":
        form = ReviewForm(request.POST, criteria=criteria)
        if form.is_valid():
            try:
                services.review_save(
                    actor=request.user,
                    review=review,
                    scores=form.scores(),
                    comment=form.cleaned_data["comment"],
                    submit="submit" in request.POST,
                )
            except ValidationError as exc:
                _form_error(form, exc)
            else:
                draft_discard(request, form_key=review_draft_key(review.pk))
                if review.submitted_at:
                    messages.success(request, _("Vurderingen er levert."))
                else:
                    messages.success(request, _("Vurderingen er lagret. Den er ikke levert ennå."))
                return form, redirect("applications:review", review_id=review.pk)
        return form, None
    initial = {f"criterion_{s.criterion_id}": s.score for s in review.scores.all()}
    initial["comment"] = review.comment
    recovered = draft_recovered(
        request,
        form_key=review_draft_key(review.pk),
        fields=("comment", *(f"criterion_{c.pk}" for c in criteria)),
    )
    initial.update(recovered or {})
    return ReviewForm(initial=initial, criteria=criteria), None


def _open_until(application) -> str:
    """The deadline, as the jury member reads it, while the municipality may still change the application."""
    if not application_is_open_for_changes(application):
        return ""
    deadline = selectors.application_deadline_for(
        regional_program=application.regional_program, municipality=application.municipality
    )
    return datetime_display(deadline) if deadline is not None else ""


@keeps_drafts(review_target)
def review_detail(request, review_id: int):
    review = get_object_or_404(selectors.review_for_jury_member(user=request.user, pk=review_id))
    application = review.application
    criteria = list(SelectionCriterion.objects.filter(regional_program_id=application.regional_program_id))
    conflict_form = review_form = response = None
    if review.has_conflict is None:
        conflict_form, response = _review_conflict_step(request, review)
    elif review.submitted_at is None:
        review_form, response = _review_scoring_step(request, review, criteria)
    elif request.method == "POST":
        raise Http404
    if response is not None:
        return response
    own_scores = {s.criterion_id: s.score for s in review.scores.all()}
    return render(
        request,
        "applications/review_detail.html",
        {
            "review": review,
            "application": application,
            "criteria": criteria,
            "own_scores": [(c, own_scores.get(c.pk)) for c in criteria],
            "conflict_form": conflict_form,
            "form": review_form,
            "others": selectors.other_reviews_visible(review=review),
            "score_scale_id": SCORE_SCALE_ID,
            "open_until": _open_until(application) if review_form is not None else "",
        },
    )


@login_required
@post_only("applications:review", "review_id")
def review_conflict_late(request, review_id: int):
    """A member may discover a conflict after starting to read; until they deliver, they can still say so."""
    review = get_object_or_404(selectors.review_for_jury_member(user=request.user, pk=review_id))
    form = ConflictForm({"has_conflict": "ja", "conflict_note": request.POST.get("conflict_note", "")})
    if form.is_valid():
        try:
            services.review_conflict_declare(
                actor=request.user, review=review, has_conflict=True, note=form.cleaned_data["conflict_note"]
            )
        except ValidationError as exc:
            _message_error(request, exc)
            return redirect("applications:review", review_id=review.pk)
        messages.info(request, _("Du er registrert som inhabil. Søknaden er tatt ut av listen din."))
        return redirect("applications:jury")
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return redirect("applications:review", review_id=review.pk)
