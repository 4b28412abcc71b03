"""Thin views: scoped selector + get_object_or_404, bind a form, call one service, redirect."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.permissions import is_leadership
from audit.selectors import entries_for_object
from programs.models import RegionalProgram
from programs.selectors import regional_program_municipalities

from . import exports, selectors, services
from .forms import (
    ApplicationFilterForm,
    ApplicationTextForm,
    ApplicationWindowForm,
    AttachmentForm,
    ConflictForm,
    DeadlineExtensionForm,
    DecisionForm,
    GroupMemberForm,
    JuryAssignmentForm,
    JuryMemberForm,
    LetterTemplateForm,
    NewApplicationForm,
    RecommendationForm,
    ReviewForm,
    SelectionCriterionForm,
)
from .models import (
    Application,
    ApplicationDeadlineExtension,
    ApplicationStatus,
    DecisionOutcome,
    JuryMember,
    Review,
    SelectionCriterion,
)
from .permissions import (
    application_is_open_for_changes,
    is_board_member_for_application,
    speaks_for_application,
    speaks_for_municipality,
)

RECOVERY_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")


def post_only(url_name: str, *arg_names: str):
    """For URLs that only act on POST: a GET (a bookmark, a reload, a pasted link) goes to the page the action
    belongs to instead of an empty 405. That page does its own scoping (404 for outsiders)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method != "POST":
                return redirect(url_name, *[kwargs[name] for name in arg_names])
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def _form_error(form, exc: ValidationError) -> None:
    """Put a domain error on the form: field-keyed where the field exists, otherwise as a non-field error."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def _message_error(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _attempt(request, call: Callable[[], object], success: str) -> bool:
    """Run one service call for a POST: a refusal becomes error messages, otherwise `success` is shown."""
    try:
        call()
    except ValidationError as exc:
        _message_error(request, exc)
        return False
    messages.success(request, success)
    return True


# --- Lists -----------------------------------------------------------------------------------------------


@login_required
@require_GET
def application_list(request):
    user = request.user
    programs = (
        RegionalProgram.objects.filter(
            pk__in=selectors.applications_visible_to(user).values("regional_program")
        )
        .select_related("program")
        .order_by("name")
    )
    filter_form = ApplicationFilterForm(request.GET or None, programs=programs)
    regional_program, status = None, ""
    if filter_form.is_bound and filter_form.is_valid():
        regional_program = filter_form.cleaned_data["program"]
        status = filter_form.cleaned_data["status"]
    applications = selectors.application_list(user=user, regional_program=regional_program)
    if status:
        applications = applications.filter(status=status)
    context = {
        "applications": list(applications),
        "filter_form": filter_form,
        "programs": list(programs),
        "open_programs": selectors.regional_programs_open_to(user),
        "selection_programs": list(selectors.regional_programs_for_selection(user=user)),
        "filter_program": regional_program,
        "now": timezone.now(),
    }
    return render(request, "applications/application_list.html", context)


@login_required
@post_only("applications:list")
def application_start(request, rp_id: int):
    open_programs = {
        rp.pk: (rp, municipalities)
        for rp, municipalities, _mine in selectors.regional_programs_open_to(request.user)
    }
    if rp_id not in open_programs:
        raise Http404
    rp, municipalities = open_programs[rp_id]
    form = NewApplicationForm(
        request.POST,
        municipalities=regional_program_municipalities(regional_program=rp).filter(
            pk__in=[m.pk for m in municipalities]
        ),
    )
    if form.is_valid():
        try:
            application = services.application_create(
                actor=request.user, regional_program=rp, municipality=form.cleaned_data["municipality"]
            )
        except ValidationError as exc:
            _message_error(request, exc)
        else:
            messages.success(request, _("Utkastet er opprettet. Du kan lagre underveis og fortsette senere."))
            return redirect("applications:edit", pk=application.pk)
    else:
        messages.error(request, _("Velg en kommune fra listen."))
    return redirect("applications:list")


# --- One application -------------------------------------------------------------------------------------


def _visible_application(request, pk: int) -> Application:
    return get_object_or_404(selectors.application_detail(user=request.user, pk=pk))


def _editable_application(request, pk: int) -> Application:
    application = _visible_application(request, pk)
    if not speaks_for_application(request.user, application):
        raise Http404
    return application


@login_required
@require_GET
def application_detail(request, pk: int):
    application = _visible_application(request, pk)
    can_speak = speaks_for_application(request.user, application)
    is_open = application_is_open_for_changes(application)
    group = getattr(application, "municipal_group", None) if application.is_decided else None
    leadership = is_leadership(request.user)
    context = {
        "reviews": selectors.reviews_of_application(application=application) if leadership else [],
        "log_entries": list(entries_for_object(actor=request.user, obj=application)[:20])
        if leadership
        else [],
        "application": application,
        "checklist": services.application_checklist(application),
        "can_edit": can_speak and is_open,
        "can_recommend": is_board_member_for_application(request.user, application)
        and application.status not in (ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN),
        "can_decide": leadership,
        "is_open": is_open,
        "group": group,
    }
    return render(request, "applications/application_detail.html", context)


@login_required
@require_GET
def application_print(request, pk: int):
    application = _visible_application(request, pk)
    return render(
        request, "applications/application_print.html", {"applications": [application], "single": True}
    )


def _recovery_token(request) -> str:
    token = request.GET.get("gjenopprett", "")
    return token if RECOVERY_TOKEN.fullmatch(token) else ""


def _login_keeping_post(request, url: str, pk: int, fields: tuple[str, ...]):
    """The session ran out while someone was writing: keep the posted text server-side and bring it back after
    login, through a token only this browser knows."""
    recovery_query = ""
    if request.method == "POST":
        application = Application.objects.filter(pk=pk).first()
        if application is not None:
            token = services.draft_recovery_store(
                application=application, data=request.POST.dict(), fields=fields
            )
            recovery_query = "?" + urlencode({"gjenopprett": token})
    return redirect_to_login(url + recovery_query)


def application_edit(request, pk: int):
    if not request.user.is_authenticated:
        return _login_keeping_post(request, reverse("applications:edit", args=[pk]), pk, services.TEXT_FIELDS)
    application = _editable_application(request, pk)
    if not application_is_open_for_changes(application):
        messages.info(request, _("Søknaden kan ikke endres lenger."))
        return redirect("applications:detail", pk=pk)
    token = _recovery_token(request)
    recovered = services.draft_recovery_take(application=application, token=token) if token else None
    conflict = False
    if request.method == "POST":
        form = ApplicationTextForm(request.POST)
        valid = form.is_valid()
        # Store every field that is valid, also when another field is not: nothing typed is lost.
        good = {name: value for name, value in form.cleaned_data.items() if name not in form.errors}
        expected_version = good.pop("version", None)
        was_submitted = application.status == ApplicationStatus.SUBMITTED
        version_before = application.version
        # A submitted application is saved whole or not at all: the submitted version must stay complete.
        if valid or not was_submitted:
            try:
                saved = services.application_draft_save(
                    actor=request.user,
                    application=application,
                    data=good,
                    expected_version=expected_version,
                )
                # Keep the annotated object for the page (its deadline), with the saved values and status.
                for name in (
                    *services.TEXT_FIELDS,
                    "status",
                    "edited_after_submit",
                    "submitted_at",
                    "version",
                ):
                    setattr(application, name, getattr(saved, name))
            except services.ApplicationConflict as exc:
                conflict = True
                valid = False
                form.add_error(None, exc.messages)
                application.version = exc.current.version
                for name in services.TEXT_FIELDS:
                    setattr(application, name, getattr(exc.current, name))
            except ValidationError as exc:
                _form_error(form, exc)
                valid = False
            # The page goes on from the stored version (also after a partial save or a conflict).
            form.data = form.data.copy()
            form.data["version"] = str(application.version)
        if token:
            services.draft_recovery_discard(application=application, token=token)
        if valid:
            if was_submitted and application.version == version_before:
                messages.info(request, _("Ingen endringer å lagre. Søknaden er fortsatt sendt inn."))
            elif was_submitted:
                messages.success(
                    request,
                    _(
                        "Endringene er lagret, og søknaden er fortsatt sendt inn. Du får en oppdatert kvittering."
                    ),
                )
            else:
                messages.success(request, _("Utkastet er lagret."))
            if "save_and_continue" in request.POST:
                return redirect("applications:members", pk=pk)
            return redirect("applications:detail", pk=pk)
        if conflict:
            pass  # the error summary names who saved and when
        elif was_submitted:
            messages.warning(
                request,
                _(
                    "Endringene er ikke lagret, og den innsendte versjonen gjelder fortsatt. Rett feltene som er merket."
                ),
            )
        else:
            messages.warning(
                request, _("Det som var gyldig er lagret. Rett feltene som er merket, og lagre igjen.")
            )
    elif recovered is not None:
        form = ApplicationTextForm(initial={**recovered, "version": application.version})
        messages.warning(
            request,
            _("Økten din hadde utløpt. Vi har tatt vare på teksten du skrev: se over og lagre utkastet."),
        )
    else:
        form = ApplicationTextForm(
            initial={
                **{name: getattr(application, name) for name in services.TEXT_FIELDS},
                "version": application.version,
            }
        )
    return render(
        request,
        "applications/application_edit.html",
        {
            "application": application,
            "form": form,
            "token": token if recovered is not None else "",
            "conflict": conflict,
        },
    )


def application_members(request, pk: int, member_id: int | None = None):
    if not request.user.is_authenticated:
        url = (
            reverse("applications:member_edit", args=[pk, member_id])
            if member_id
            else reverse("applications:members", args=[pk])
        )
        return _login_keeping_post(request, url, pk, services.MEMBER_FIELDS)
    application = _editable_application(request, pk)
    is_open = application_is_open_for_changes(application)
    member = None
    if member_id is not None:
        member = get_object_or_404(application.group_members.all(), pk=member_id)
    token = _recovery_token(request)
    recovered = (
        services.draft_recovery_take(application=application, token=token, fields=services.MEMBER_FIELDS)
        if token and request.method == "GET"
        else None
    )
    if recovered is not None:
        recovered["is_coordinator"] = recovered.get("is_coordinator") in ("on", "True", "true", "1")
        form = GroupMemberForm(initial=recovered)
        messages.warning(
            request,
            _("Økten din hadde utløpt. Vi har tatt vare på det du skrev: se over og lagre medlemmet."),
        )
    elif request.method == "POST":
        if not is_open:
            raise Http404
        form = GroupMemberForm(request.POST)
        if form.is_valid():
            try:
                services.application_group_member_save(
                    actor=request.user, application=application, member=member, data=form.cleaned_data
                )
            except ValidationError as exc:
                _form_error(form, exc)
            else:
                if token:
                    services.draft_recovery_discard(application=application, token=token)
                messages.success(request, _("Medlemmet er lagret."))
                return redirect("applications:members", pk=pk)
    elif member is not None:
        form = GroupMemberForm(
            initial={
                k: getattr(member, k)
                for k in ("name", "email", "phone", "sector", "role_title", "is_coordinator")
            }
        )
    else:
        form = GroupMemberForm()
    return render(
        request,
        "applications/application_members.html",
        {"application": application, "form": form, "member": member, "is_open": is_open},
    )


@login_required
@post_only("applications:members", "pk")
def application_member_delete(request, pk: int, member_id: int):
    application = _editable_application(request, pk)
    member = get_object_or_404(application.group_members.all(), pk=member_id)
    _attempt(
        request,
        lambda: services.application_group_member_delete(actor=request.user, member=member),
        _("Medlemmet er fjernet."),
    )
    return redirect("applications:members", pk=pk)


@login_required
def application_attachments(request, pk: int):
    application = _editable_application(request, pk)
    is_open = application_is_open_for_changes(application)
    if request.method == "POST":
        if not is_open:
            raise Http404
        form = AttachmentForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.application_attachment_add(
                    actor=request.user, application=application, upload=form.cleaned_data["file"]
                )
            except ValidationError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, _("Vedlegget er lastet opp."))
                return redirect("applications:attachments", pk=pk)
    else:
        form = AttachmentForm()
    return render(
        request,
        "applications/application_attachments.html",
        {"application": application, "form": form, "is_open": is_open},
    )


@login_required
@require_GET
def attachment_download(request, pk: int, attachment_id: int):
    """Visible to whoever sees the application, and to jury members assigned to it without a conflict."""
    application = Application.objects.filter(pk=pk).first()
    visible = selectors.applications_visible_to(request.user).filter(pk=pk).exists()
    if not visible:
        visible = selectors.jury_reviews_for(user=request.user).filter(application_id=pk).exists()
    if application is None or not visible:
        raise Http404
    attachment = get_object_or_404(application.attachments.all(), pk=attachment_id)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=attachment.original_name)


@login_required
@post_only("applications:attachments", "pk")
def attachment_delete(request, pk: int, attachment_id: int):
    application = _editable_application(request, pk)
    attachment = get_object_or_404(application.attachments.all(), pk=attachment_id)
    _attempt(
        request,
        lambda: services.application_attachment_delete(actor=request.user, attachment=attachment),
        _("Vedlegget er slettet."),
    )
    return redirect("applications:attachments", pk=pk)


@login_required
@post_only("applications:detail", "pk")
def application_submit(request, pk: int):
    application = _editable_application(request, pk)
    _attempt(
        request,
        lambda: services.application_submit(actor=request.user, application=application),
        _("Søknaden er sendt inn. Du får en kvittering på e-post."),
    )
    return redirect("applications:detail", pk=pk)


@login_required
def application_withdraw(request, pk: int):
    """GET asks; only the POST from that page (with `confirm`) withdraws."""
    application = _editable_application(request, pk)
    resubmit_button = _("Send inn på nytt") if application.submitted_at else _("Send inn søknaden")
    if application.status not in (ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED):
        return redirect("applications:detail", pk=pk)
    if request.method == "POST" and request.POST.get("confirm") == "yes":
        _attempt(
            request,
            lambda: services.application_withdraw(actor=request.user, application=application),
            _(
                "Søknaden er trukket og blir ikke vurdert. Ombestemmer dere dere før fristen, trykker dere "
                "«%(button)s» på denne siden."
            )
            % {"button": resubmit_button},
        )
        return redirect("applications:detail", pk=pk)
    if not application_is_open_for_changes(application):
        return redirect("applications:detail", pk=pk)
    return render(
        request,
        "applications/application_withdraw.html",
        {"application": application, "resubmit_button": resubmit_button},
    )


@login_required
def application_recommend(request, pk: int):
    application = _visible_application(request, pk)
    if not is_board_member_for_application(request.user, application):
        raise Http404
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


# --- Leadership: window, criteria, jury, ranking, decisions -----------------------------------------------------


def _selection_program(request, rp_id: int) -> RegionalProgram:
    return get_object_or_404(selectors.regional_programs_for_selection(user=request.user), pk=rp_id)


@login_required
@require_GET
def selection_overview(request, rp_id: int):
    rp = _selection_program(request, rp_id)
    context = {
        "rp": rp,
        "criteria": list(SelectionCriterion.objects.filter(regional_program=rp)),
        "criteria_locked": services.criteria_locked(regional_program=rp),
        "criteria_locked_message": services.CRITERIA_LOCKED_MESSAGE,
        "jury": list(selectors.jury_members_of(regional_program=rp)),
        "extensions": list(
            ApplicationDeadlineExtension.objects.filter(regional_program=rp).select_related("municipality")
        ),
        "outcomes": DecisionOutcome.choices,
        "groups": list(selectors.municipal_groups_of(regional_program=rp)),
    }
    return render(request, "applications/selection_overview.html", context)


@login_required
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


@login_required
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


@login_required
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


@login_required
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


@login_required
@post_only("applications:selection", "rp_id")
def deadline_extension_delete(request, rp_id: int, extension_id: int):
    rp = _selection_program(request, rp_id)
    extension = get_object_or_404(ApplicationDeadlineExtension, regional_program=rp, pk=extension_id)
    services.application_deadline_extension_revoke(actor=request.user, extension=extension)
    messages.success(request, _("Den egne søknadsfristen er fjernet."))
    return redirect("applications:selection", rp_id=rp.pk)


@login_required
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


@login_required
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
                    actor=request.user, member=member, applications=list(form.cleaned_data["applications"])
                )
            except ValidationError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, _("Tildelingen er lagret."))
                return redirect("applications:selection", rp_id=rp.pk)
    else:
        form = JuryAssignmentForm(
            applications=candidates,
            initial={"applications": [r.application_id for r in member.reviews.all()]},
        )
    conflicts = list(member.reviews.filter(has_conflict=True).select_related("application__municipality"))
    return render(
        request,
        "applications/jury_assign.html",
        {"rp": rp, "member": member, "form": form, "conflicts": conflicts},
    )


@login_required
@post_only("applications:jury_assign", "rp_id", "member_id")
def jury_remove(request, rp_id: int, member_id: int):
    rp = _selection_program(request, rp_id)
    member = get_object_or_404(JuryMember, regional_program=rp, pk=member_id)
    _attempt(
        request,
        lambda: services.jury_member_remove(actor=request.user, member=member),
        _("Jurymedlemmet er fjernet."),
    )
    return redirect("applications:selection", rp_id=rp.pk)


@login_required
@require_GET
def ranking(request, rp_id: int):
    rp = _selection_program(request, rp_id)
    rows = selectors.ranked_applications(regional_program=rp)
    criteria = list(SelectionCriterion.objects.filter(regional_program=rp))
    for row in rows:
        row.criterion_cells = [row.criterion_means.get(c.pk) for c in criteria]
    accepted = sum(1 for r in rows if r.application.status == ApplicationStatus.ACCEPTED)
    conflicts = list(selectors.reviews_of(regional_program=rp).filter(has_conflict=True))
    return render(
        request,
        "applications/ranking.html",
        {"rp": rp, "rows": rows, "accepted": accepted, "conflicts": conflicts, "criteria": criteria},
    )


@login_required
def decision_make(request, pk: int):
    if not is_leadership(request.user):
        raise Http404
    application = _visible_application(request, pk)
    if application.status in (ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN):
        raise Http404
    rp = application.regional_program
    accepted = selectors.accepted_count(regional_program=rp)
    if request.method == "POST":
        before_deadline = services.decision_is_before_deadline(regional_program=rp)
        outcome = request.POST.get("outcome", "")
        over_capacity = (
            outcome == DecisionOutcome.ACCEPTED
            and application.status != ApplicationStatus.ACCEPTED
            and rp.places is not None
            and accepted >= rp.places
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
            # The confirm step: the letter that will be sent, and what speaks against deciding now.
            outcome = form.cleaned_data["outcome"]
            subject, body = services.decision_letter_template_for(regional_program=rp, outcome=outcome)
            missing, total = selectors.applications_missing_review(regional_program=rp)
            warnings = []
            if before_deadline:
                warnings.append(_("Søknadsfristen er ikke ute."))
            if missing:
                warnings.append(_("%(n)s av %(m)s søknader mangler vurdering.") % {"n": missing, "m": total})
            if over_capacity:
                warnings.append(
                    _("Alle %(places)s plassene er fylt; dette opptaket går utover antall plasser.")
                    % {"places": rp.places}
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
                    "subject": services.decision_letter_render(application=application, text=subject),
                    "body": services.decision_letter_render(application=application, text=body),
                    "warnings": warnings,
                    "accepted": accepted,
                },
            )
    else:
        initial = {"outcome": application.decision.outcome} if hasattr(application, "decision") else {}
        form = DecisionForm(initial=initial)
    letters = [
        (value, label, *services.decision_letter_template_for(regional_program=rp, outcome=value))
        for value, label in DecisionOutcome.choices
    ]
    letters = [
        (
            value,
            label,
            services.decision_letter_render(application=application, text=subject),
            services.decision_letter_render(application=application, text=body),
        )
        for value, label, subject, body in letters
    ]
    return render(
        request,
        "applications/decision_form.html",
        {"application": application, "rp": rp, "form": form, "letters": letters, "accepted": accepted},
    )


@login_required
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


@login_required
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


@login_required
@require_GET
def print_bundle(request, rp_id: int):
    rp = _selection_program(request, rp_id)
    applications = list(
        selectors.application_list(user=request.user, regional_program=rp)
        .exclude(status__in=[ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN])
        .prefetch_related("group_members", "attachments")
    )
    return render(request, "applications/application_print.html", {"applications": applications, "rp": rp})


# --- Jury ------------------------------------------------------------------------------------------------


@login_required
@require_GET
def jury_list(request):
    services.jury_memberships_claim(user=request.user)
    reviews = list(selectors.jury_reviews_for(user=request.user))
    return render(request, "applications/jury_list.html", {"reviews": reviews})


def review_detail(request, review_id: int):
    if not request.user.is_authenticated:
        # Scores and comment typed when the session ran out come back after login (see application_edit).
        recovery_query = ""
        review = Review.objects.filter(pk=review_id).select_related("application").first()
        if request.method == "POST" and review is not None:
            fields = ("comment", *(k for k in request.POST if k.startswith("criterion_")))
            token = services.draft_recovery_store(
                application=review.application, data=request.POST.dict(), fields=fields[:50]
            )
            recovery_query = "?" + urlencode({"gjenopprett": token})
        return redirect_to_login(reverse("applications:review", args=[review_id]) + recovery_query)
    services.jury_memberships_claim(user=request.user)
    review = get_object_or_404(selectors.review_for_jury_member(user=request.user, pk=review_id))
    application = review.application
    criteria = list(SelectionCriterion.objects.filter(regional_program_id=application.regional_program_id))
    conflict_form = None
    review_form = None
    if review.has_conflict is None:
        conflict_form = ConflictForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and conflict_form.is_valid():
            try:
                services.review_conflict_declare(
                    actor=request.user,
                    review=review,
                    has_conflict=conflict_form.cleaned_data["has_conflict"],
                    note=conflict_form.cleaned_data["conflict_note"],
                )
            except ValidationError as exc:
                _form_error(conflict_form, exc)
            else:
                if review.has_conflict:
                    messages.info(
                        request, _("Du er registrert som inhabil. Søknaden er tatt ut av listen din.")
                    )
                    return redirect("applications:jury")
                return redirect("applications:review", review_id=review.pk)
    elif review.submitted_at is None:
        existing = {s.criterion_id: s.score for s in review.scores.all()}
        if request.method == "POST":
            review_form = ReviewForm(request.POST, criteria=criteria)
            if review_form.is_valid():
                try:
                    services.review_save(
                        actor=request.user,
                        review=review,
                        scores=review_form.scores(),
                        comment=review_form.cleaned_data["comment"],
                        submit="submit" in request.POST,
                    )
                except ValidationError as exc:
                    _form_error(review_form, exc)
                else:
                    if review.submitted_at:
                        messages.success(request, _("Vurderingen er levert."))
                    else:
                        messages.success(request, _("Vurderingen er lagret. Den er ikke levert ennå."))
                    return redirect("applications:review", review_id=review.pk)
        else:
            initial = {f"criterion_{k}": v for k, v in existing.items()}
            initial["comment"] = review.comment
            token = _recovery_token(request)
            fields = ("comment", *(f"criterion_{c.pk}" for c in criteria))
            recovered = (
                services.draft_recovery_take(application=application, token=token, fields=fields)
                if token
                else None
            )
            if recovered:
                initial.update(recovered)
                messages.warning(
                    request, _("Økten din hadde utløpt. Vi har tatt vare på det du skrev: se over og lagre.")
                )
            review_form = ReviewForm(initial=initial, criteria=criteria)
    elif request.method == "POST":
        raise Http404
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


# --- Municipal groups -----------------------------------------------------------------------------------------


@login_required
@require_GET
def group_detail(request, group_id: int):
    group = get_object_or_404(selectors.municipal_groups_visible_to(request.user), pk=group_id)
    can_edit = is_leadership(request.user) or speaks_for_municipality(request.user, group.municipality)
    return render(request, "applications/group_detail.html", {"group": group, "can_edit": can_edit})


@login_required
def group_member_edit(request, group_id: int, member_id: int | None = None):
    """The municipality's contact (or its branch board, or leadership) keeps the group up to date."""
    group = get_object_or_404(selectors.municipal_groups_visible_to(request.user), pk=group_id)
    if not (is_leadership(request.user) or speaks_for_municipality(request.user, group.municipality)):
        raise Http404
    member = get_object_or_404(group.members.all(), pk=member_id) if member_id is not None else None
    if request.method == "POST":
        form = GroupMemberForm(request.POST)
        if form.is_valid():
            services.municipal_group_member_save(
                actor=request.user, group=group, member=member, data=form.cleaned_data
            )
            messages.success(request, _("Kommunegruppen er oppdatert."))
            return redirect("applications:group", group_id=group.pk)
    elif member is not None:
        form = GroupMemberForm(initial={k: getattr(member, k) for k in services.MEMBER_FIELDS})
    else:
        form = GroupMemberForm()
    return render(
        request, "applications/group_member_form.html", {"group": group, "member": member, "form": form}
    )


@login_required
@post_only("applications:group", "group_id")
def group_member_delete(request, group_id: int, member_id: int):
    group = get_object_or_404(selectors.municipal_groups_visible_to(request.user), pk=group_id)
    if not (is_leadership(request.user) or speaks_for_municipality(request.user, group.municipality)):
        raise Http404
    member = get_object_or_404(group.members.all(), pk=member_id)
    services.municipal_group_member_delete(actor=request.user, member=member)
    messages.success(request, _("Medlemmet er fjernet fra kommunegruppen."))
    return redirect("applications:group", group_id=group.pk)
