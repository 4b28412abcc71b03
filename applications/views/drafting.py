"""Lists, and writing one application: detail, print, edit (with draft recovery), submit, withdraw."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from audit.selectors import entries_for_object
from core.draft_views import Target, draft_discard, draft_recovered, keeps_drafts
from core.pagination import paginate_rows
from core.permissions import require
from programs.selectors import regional_program_municipalities

from .. import selectors, services
from ..forms import (
    ApplicationFilterForm,
    ApplicationTextForm,
    NewApplicationForm,
)
from ..models import (
    ApplicationStatus,
)
from ..permissions import (
    application_is_open_for_changes,
    can_decide_application,
    can_manage_selection,
    can_recommend_application,
    can_see_applications,
    speaks_for_application,
)
from .common import (
    _attempt,
    _editable_application,
    _form_error,
    _message_error,
    _visible_application,
    post_only,
)

# --- Lists -----------------------------------------------------------------------------------------------


@require(can_see_applications)
@require_GET
def application_list(request):
    user = request.user
    programs, selection_programs = selectors.application_list_programs(user=user)
    editions = {p.edition_id: p.edition_name for p in programs}  # newest first, as the programmes are
    data = request.GET.copy()
    if "edition" not in data and editions:
        data["edition"] = str(next(iter(editions)))  # the newest edition until the person chooses
    filter_form = ApplicationFilterForm(
        data, programs=[(p.pk, p.name) for p in programs], editions=list(editions.items())
    )
    filters = filter_form.cleaned_data if filter_form.is_valid() else {}
    program_id = filters.get("program")
    filter_program = next((p for p in programs if p.pk == program_id), None)
    edition_id = filters.get("edition")
    if program_id is not None:  # a chosen regional programme decides the edition
        shown = [program_id]
    elif edition_id is not None:
        shown = [p.pk for p in programs if p.edition_id == edition_id]
    else:
        shown = None
    applications = selectors.application_list(
        user=user,
        regional_programs=shown,
        status=filters.get("status", ""),
        search=filters.get("q", ""),
    )
    context = {
        "page": paginate_rows(request, applications, values=selectors.LIST_VALUES),
        "filter_form": filter_form,
        "programs": programs,
        "editions": list(editions.values()),
        "open_programs": selectors.regional_programs_open_to(user),
        "selection_programs": selection_programs,
        "filter_program": filter_program,
        "now": timezone.now(),
    }
    return render(request, "applications/application_list.html", context)


@login_required
@post_only("applications:list")
def application_start(request, rp_id: int):
    open_programs = {
        rp.pk: (rp, municipalities)
        for rp, municipalities, _mine in selectors.regional_programs_open_to(request.user, applications=False)
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


@login_required
@require_GET
def application_detail(request, pk: int):
    application = _visible_application(request, pk)
    can_speak = speaks_for_application(request.user, application)
    is_open = application_is_open_for_changes(application)
    group = getattr(application, "municipal_group", None) if application.is_decided else None
    leadership = can_manage_selection(request.user)
    context = {
        "reviews": selectors.reviews_of_application(application=application) if leadership else [],
        "log_entries": list(entries_for_object(actor=request.user, obj=application)[:20])
        if leadership
        else [],
        "application": application,
        "checklist": services.application_checklist(application),
        "can_edit": can_speak and is_open,
        "can_recommend": can_recommend_application(request.user, application),
        "can_decide": can_decide_application(request.user, application),
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


def application_draft_key(pk: int) -> str:
    return f"applications.application:{pk}"


def application_text_target(person, pk: int) -> Target | None:
    """Text posted after the session ran out is kept for a person who may still edit the application."""
    application = selectors.application_detail(user=person, pk=pk).first()
    if application is None or not speaks_for_application(person, application):
        return None
    return application_draft_key(pk), services.TEXT_FIELDS


def _edit_save(request, application, form) -> tuple[bool, bool]:
    """Save what is valid of the posted text; returns (all of it saved, someone else had saved first)."""
    valid = form.is_valid()
    # Store every field that is valid, also when another field is not: nothing typed is lost.
    good = {name: value for name, value in form.cleaned_data.items() if name not in form.errors}
    expected_version = good.pop("version", None)
    conflict = False
    # A submitted application is saved whole or not at all: the submitted version must stay complete.
    if valid or application.status != ApplicationStatus.SUBMITTED:
        try:
            saved = services.application_draft_save(
                actor=request.user, application=application, data=good, expected_version=expected_version
            )
            # Keep the annotated object for the page (its deadline), with the saved values and status.
            kept = (*services.TEXT_FIELDS, "status", "edited_after_submit", "submitted_at", "version")
            for name in kept:
                setattr(application, name, getattr(saved, name))
        except services.ApplicationConflict as exc:
            conflict, valid = True, False
            form.add_error(None, exc.messages)
            for name in (*services.TEXT_FIELDS, "version"):
                setattr(application, name, getattr(exc.current, name))
        except ValidationError as exc:
            _form_error(form, exc)
            valid = False
        # The page goes on from the stored version (also after a partial save or a conflict).
        form.data = form.data.copy()
        form.data["version"] = str(application.version)
    return valid, conflict


def _edit_saved(request, application, *, was_submitted: bool, version_before: int):
    if was_submitted and application.version == version_before:
        messages.info(request, _("Ingen endringer å lagre. Søknaden er fortsatt sendt inn."))
    elif was_submitted:
        messages.success(
            request,
            _("Endringene er lagret, og søknaden er fortsatt sendt inn. Du får en oppdatert kvittering."),
        )
    else:
        messages.success(request, _("Utkastet er lagret."))
    if "save_and_continue" in request.POST:
        return redirect("applications:members", pk=application.pk)
    return redirect("applications:detail", pk=application.pk)


def _edit_not_saved(request, *, conflict: bool, was_submitted: bool) -> None:
    if conflict:
        return  # the error summary names who saved and when
    if was_submitted:
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


def _edit_form(request, application) -> ApplicationTextForm:
    """The stored text, or the text kept from an expired session (with a notice) for its author."""
    recovered = draft_recovered(
        request,
        form_key=application_draft_key(application.pk),
        fields=services.TEXT_FIELDS,
        notice=_("Økten din hadde utløpt. Vi har tatt vare på teksten du skrev: se over og lagre utkastet."),
    )
    stored = {name: getattr(application, name) for name in services.TEXT_FIELDS}
    return ApplicationTextForm(initial={**stored, **(recovered or {}), "version": application.version})


@keeps_drafts(application_text_target)
def application_edit(request, pk: int):
    application = _editable_application(request, pk)
    if not application_is_open_for_changes(application):
        messages.info(request, _("Søknaden kan ikke endres lenger."))
        return redirect("applications:detail", pk=pk)
    conflict = False
    if request.method == "POST":
        form = ApplicationTextForm(request.POST)
        was_submitted = application.status == ApplicationStatus.SUBMITTED
        version_before = application.version
        valid, conflict = _edit_save(request, application, form)
        draft_discard(request, form_key=application_draft_key(pk))
        if valid:
            return _edit_saved(
                request, application, was_submitted=was_submitted, version_before=version_before
            )
        _edit_not_saved(request, conflict=conflict, was_submitted=was_submitted)
    else:
        form = _edit_form(request, application)
    return render(
        request,
        "applications/application_edit.html",
        {"application": application, "form": form, "conflict": conflict},
    )


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
