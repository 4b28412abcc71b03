"""Interest (interessemelding): the branch's registration, editable by its board until the deadline (a stale
save shows what was saved meanwhile, keeping what was typed), and leadership's deadline extension."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from audit.selectors import entries_for_object
from core.forms import form_apply_error
from core.permissions import require

from .. import selectors, services
from ..forms import DeadlineExtensionForm, InterestRegistrationForm
from ..permissions import can_edit_branch_interest, can_manage_programs, can_see_programs
from ..timing import deadline_is_open


def _registration_initial(registration, user) -> dict:
    if registration is None:
        return {
            "version": 0,
            "contact_name": user.get_full_name(),
            "contact_email": user.email,
            "contact_phone": user.phone,
        }
    return {
        "level": registration.level,
        "municipalities": list(registration.municipalities.all()),
        "contact_name": registration.contact_name,
        "contact_email": registration.contact_email,
        "contact_phone": registration.contact_phone,
        "dialogue_meeting_wanted": registration.dialogue_meeting_wanted,
        "dialogue_meeting_times": registration.dialogue_meeting_times,
        "dialogue_meeting_topic": registration.dialogue_meeting_topic,
        "comment": registration.comment,
        "version": registration.version,
    }


@require(can_see_programs)
def interest_registration(request, pk: int, branch_id: int):
    """The branch's interest registration: editable by its board until its deadline, read-only after."""
    program = selectors.program_get(user=request.user, pk=pk)
    branch = selectors.branch_for_interest(user=request.user, branch_id=branch_id)
    may_edit = can_edit_branch_interest(request.user, branch)
    registration = selectors.interest_registration_for(program=program, branch=branch)
    deadline = selectors.interest_deadline_for(program=program, branch=branch)
    is_open = deadline_is_open(deadline)
    conflict = None
    form = None
    if may_edit:
        if request.method == "POST":
            form = InterestRegistrationForm(request.POST, branch=branch)
            if form.is_valid():
                try:
                    services.interest_registration_save(
                        actor=request.user,
                        program=program,
                        branch=branch,
                        data=form.service_data(),
                        municipalities=form.cleaned_data["municipalities"],
                        expected_version=form.cleaned_data["version"],
                    )
                except services.RegistrationConflict as exc:
                    conflict = exc.current
                    form = _conflict_form(request, branch=branch, exc=exc)
                    registration = selectors.interest_registration_for(program=program, branch=branch)
                except services.DeadlinePassed as exc:
                    form.add_error(None, exc.messages)
                    is_open = False
                except ValidationError as exc:
                    form_apply_error(form, exc)
                else:
                    messages.success(
                        request,
                        _("Interessemeldingen er lagret. En kvittering er sendt på e-post."),
                    )
                    return redirect("programs:interest_registration", pk=program.pk, branch_id=branch.pk)
        elif is_open:
            form = InterestRegistrationForm(
                initial=_registration_initial(registration, request.user), branch=branch
            )
    elif request.method == "POST":
        raise Http404
    return _registration_page(
        request,
        program=program,
        branch=branch,
        registration=registration,
        deadline=deadline,
        is_open=is_open,
        form=form,
        conflict=conflict,
        may_edit=may_edit,
    )


def _conflict_form(request, *, branch, exc) -> InterestRegistrationForm:
    """The form after a stale save: what they typed, with the error and the current version, so that a merged
    save can go through."""
    data = request.POST.copy()
    data["version"] = str(exc.current.version)
    form = InterestRegistrationForm(data, branch=branch)
    form.is_valid()
    form.add_error(None, exc.messages)
    return form


def _registration_page(
    request, *, program, branch, registration, deadline, is_open, form, conflict, may_edit
):
    """The page with the branch's annual-meeting decision, its dialogue meetings and the change history."""
    return render(
        request,
        "programs/interest_registration.html",
        {
            "program": program,
            "branch": branch,
            "registration": registration,
            "deadline": deadline,
            "extended": deadline != program.interest_deadline,
            "is_open": is_open,
            "form": form,
            "conflict": conflict,
            "may_edit": may_edit,
            "decision": selectors.annual_meeting_decision_for(program=program, branch=branch),
            "meetings": list(
                selectors.dialogue_meetings_for(user=request.user, program=program).filter(branch=branch)
            ),
            # The change history; empty for anyone but leadership (the audit selector scopes it).
            "log_entries": list(entries_for_object(actor=request.user, obj=registration)[:20])
            if registration
            else [],
        },
    )


@require(can_manage_programs)
def interest_deadline_extend(request, pk: int, branch_id: int):
    program = selectors.program_get(user=request.user, pk=pk)
    branch = selectors.branch_for_interest(user=request.user, branch_id=branch_id)
    current = selectors.interest_deadline_for(program=program, branch=branch)
    form = DeadlineExtensionForm(request.POST or None, program=program)
    if request.method == "POST" and form.is_valid():
        try:
            services.interest_deadline_extend(
                actor=request.user, program=program, branch=branch, deadline=form.cleaned_data["deadline"]
            )
        except ValidationError as exc:
            form_apply_error(form, exc, {"deadline": "deadline_date"})
        else:
            messages.success(request, _("%(branch)s har fått ny frist.") % {"branch": branch.short_name})
            return redirect("programs:temperature", pk=program.pk)
    return render(
        request,
        "programs/deadline_extension_form.html",
        {"program": program, "branch": branch, "form": form, "current_deadline": current},
    )
