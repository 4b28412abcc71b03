"""Thin views: scoped selector, form, one service, redirect. Out of scope answers 404."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from audit.selectors import entries_for_object
from core.dates import date_display
from core.permissions import check_or_404, require

from . import exports, selectors, services
from .calendar import dialogue_meeting_ics
from .forms import (
    AnnualMeetingDecisionForm,
    DeadlineExtensionForm,
    DialogueMeetingRequestForm,
    DialogueMeetingRequestOnBehalfForm,
    DialogueMeetingScheduleForm,
    InterestRegistrationForm,
    ProgramForm,
    RegionalProgramForm,
)
from .models import DialogueMeetingStatus
from .permissions import (
    can_edit_branch_interest,
    can_manage_programs,
    can_register_interest,
    can_see_dialogue_meetings,
    can_see_programs,
)
from .reminders import EDITION_INVITATION
from .timing import deadline_is_open


def _apply_errors(form, exc: ValidationError, field_map: dict[str, str] | None = None) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            field = (field_map or {}).get(field, field)
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


# --- editions -----------------------------------------------------------------------------------------


@require(can_see_programs)
def program_list(request):
    programs = list(selectors.program_list(user=request.user))
    return render(
        request,
        "programs/program_list.html",
        {"programs": programs, "branch_count": selectors.active_branch_count()},
    )


def program_public(request, slug: str):
    """The published edition's invitation and timeline; no login, so branches can link to it."""
    program = selectors.published_program_by_slug(slug=slug)
    return render(
        request,
        "programs/program_public.html",
        {"program": program, "is_open": deadline_is_open(program.interest_deadline)},
    )


@require(can_manage_programs)
def program_create(request):
    form = ProgramForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            program = services.program_create(actor=request.user, data=form.service_data())
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Programperioden er opprettet. Den er ikke publisert ennå."))
            return redirect("programs:program_detail", pk=program.pk)
    return render(request, "programs/program_form.html", {"form": form, "program": None})


@require(can_see_programs)
def program_detail(request, pk: int):
    program = selectors.program_get(user=request.user, pk=pk)
    if not can_manage_programs(request.user):
        branches = list(selectors.branches_for_user(user=request.user))
        if not branches:
            raise Http404
        if len(branches) == 1:
            return redirect("programs:interest_registration", pk=program.pk, branch_id=branches[0].pk)
        return render(request, "programs/program_branches.html", {"program": program, "branches": branches})
    return render(
        request,
        "programs/program_detail.html",
        {
            "program": program,
            "is_open": deadline_is_open(program.interest_deadline),
            "regional_programs": list(selectors.regional_programs_for(program=program)),
        },
    )


@require(can_manage_programs)
def program_update(request, pk: int):
    program = selectors.program_get(user=request.user, pk=pk)
    form = ProgramForm(request.POST or None, instance=program)
    if request.method == "POST" and form.is_valid():
        try:
            services.program_update(actor=request.user, program=program, data=form.service_data())
        except ValidationError as exc:
            _apply_errors(form, exc, {"interest_deadline": "deadline_date"})
        else:
            messages.success(request, _("Endringene er lagret."))
            return redirect("programs:program_detail", pk=program.pk)
    return render(request, "programs/program_form.html", {"form": form, "program": program})


def _publish_confirmation(program, publish: bool) -> dict:
    """What publishing (the invitation goes out) or unpublishing (the page and the reminders stop) does."""
    if publish:
        already, count = EDITION_INVITATION.reach(program=program)
        lines = [
            _(
                "Programperioden blir synlig for fylkesstyrene, og den offentlige siden med invitasjonen åpnes."
            ),
            _("Invitasjonen er sendt tidligere og sendes ikke på nytt.")
            if already
            else ngettext(
                "Invitasjonen sendes nå på e-post til %(n)s mottaker (fylkesavdelingenes adresser og fylkesstyrene).",
                "Invitasjonen sendes nå på e-post til %(n)s mottakere (fylkesavdelingenes adresser og fylkesstyrene).",
                count,
            )
            % {"n": count},
        ]
        title, button, danger = _("Publisere «%(name)s»?") % {"name": program.name}, _("Publiser"), False
    else:
        lines = [
            _(
                "Den offentlige siden forsvinner, fylkesstyrene ser ikke lenger programperioden, og planlagte "
                "påminnelser om interessemelding stoppes. Interessemeldinger som er sendt, beholdes."
            ),
            _("Du kan publisere igjen senere; invitasjonen sendes ikke to ganger."),
        ]
        title, button, danger = _("Avpublisere «%(name)s»?") % {"name": program.name}, _("Avpubliser"), True
    return {
        "title": title,
        "lines": lines,
        "action": reverse("programs:program_publish", kwargs={"pk": program.pk}),
        "fields": {"publish": "1" if publish else "0"},
        "button": button,
        "danger": danger,
        "cancel_url": reverse("programs:program_detail", kwargs={"pk": program.pk}),
    }


@require(can_manage_programs)
@require_POST
def program_publish(request, pk: int):
    program = selectors.program_get(user=request.user, pk=pk)
    publish = request.POST.get("publish") == "1"
    if request.POST.get("confirm") != "yes":
        return render(request, "confirm.html", {"confirm": _publish_confirmation(program, publish)})
    services.program_publish(actor=request.user, program=program, publish=publish)
    messages.success(
        request,
        _("Programperioden er publisert.") if publish else _("Programperioden er ikke lenger publisert."),
    )
    return redirect("programs:program_detail", pk=program.pk)


# --- interest registration ----------------------------------------------------------------------------


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
                    # Keep what they typed; carry the current version so a merged save can go through.
                    data = request.POST.copy()
                    data["version"] = str(conflict.version)
                    form = InterestRegistrationForm(data, branch=branch)
                    form.is_valid()
                    form.add_error(None, exc.messages)
                    registration = selectors.interest_registration_for(program=program, branch=branch)
                except services.DeadlinePassed as exc:
                    form.add_error(None, exc.messages)
                    is_open = False
                except ValidationError as exc:
                    _apply_errors(form, exc)
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
            _apply_errors(form, exc, {"deadline": "deadline_date"})
        else:
            messages.success(request, _("%(branch)s har fått ny frist.") % {"branch": branch.short_name})
            return redirect("programs:temperature", pk=program.pk)
    return render(
        request,
        "programs/deadline_extension_form.html",
        {"program": program, "branch": branch, "form": form, "current_deadline": current},
    )


# --- temperaturmåling ---------------------------------------------------------------------------------


@require(can_manage_programs)
@require_GET
def temperature(request, pk: int):
    program = selectors.program_get(user=request.user, pk=pk)
    status = request.GET.get("status", "")
    if status not in selectors.TEMPERATURE_STATUS_FILTERS:
        status = ""
    overview = selectors.temperature_overview(
        program=program,
        status=status,
        dialogue=request.GET.get("dialog") == "1",
        q=request.GET.get("q", "")[:100],
    )
    return render(
        request,
        "programs/temperature.html",
        {"program": program, "overview": overview, "status_choices": list(selectors.STATUS_LABELS.items())},
    )


@require(can_manage_programs)
@require_GET
def temperature_export(request, pk: int, fmt: str):
    program = selectors.program_get(user=request.user, pk=pk)
    rows = selectors.interest_registrations_for_export(program=program)
    filename = f"interessemeldinger-{program.slug}"
    if fmt == "csv":
        response = HttpResponse(exports.interest_csv(rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    elif fmt == "xlsx":
        response = HttpResponse(
            exports.interest_xlsx(rows, title=program.name),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    else:
        raise Http404
    return response


# --- dialogue meetings --------------------------------------------------------------------------------


@require(can_see_dialogue_meetings)
def dialogue_meeting_list(request, pk: int):
    program = selectors.program_get(user=request.user, pk=pk)
    meetings = list(selectors.dialogue_meetings_for(user=request.user, program=program))
    return render(request, "programs/dialogue_meeting_list.html", {"program": program, "meetings": meetings})


@require(can_see_dialogue_meetings)
def dialogue_meeting_request(request, pk: int):
    program = selectors.program_get(user=request.user, pk=pk)
    on_behalf = bool(can_manage_programs(request.user))
    own_branches = list(selectors.branches_for_user(user=request.user)) if not on_behalf else []
    if not on_behalf and not own_branches:
        raise Http404
    form_class = DialogueMeetingRequestOnBehalfForm if on_behalf else DialogueMeetingRequestForm
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        branch = data.get("branch") if on_behalf else own_branches[0]
        if not on_behalf and request.POST.get("branch_id"):
            branch = next((b for b in own_branches if str(b.pk) == request.POST["branch_id"]), None)
            if branch is None:
                raise Http404
        try:
            services.dialogue_meeting_request(
                actor=request.user,
                program=program,
                branch=branch,
                requester_name=data.get("requester_name", ""),
                topic=data["topic"],
                suggested_times=data["suggested_times"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Ønsket om dialogmøte er registrert. Programledelsen tar kontakt."))
            return redirect("programs:dialogue_meeting_list", pk=program.pk)
    return render(
        request,
        "programs/dialogue_meeting_request.html",
        {"program": program, "form": form, "own_branches": own_branches},
    )


@require(can_manage_programs)
def dialogue_meeting_schedule(request, meeting_id: int):
    meeting = selectors.dialogue_meeting_get(user=request.user, pk=meeting_id)
    initial = {}
    if meeting.starts_at:
        from django.utils import timezone

        local = timezone.localtime(meeting.starts_at)
        initial = {
            "date": local.date(),
            "time": local.time().replace(second=0, microsecond=0),
            "duration_minutes": meeting.duration_minutes,
            "location": meeting.location,
            "video_link": meeting.video_link,
            "participants": meeting.participants,
        }
    form = DialogueMeetingScheduleForm(
        request.POST or None,
        initial=initial or {"duration_minutes": 60},
        current_starts_at=meeting.starts_at,
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.dialogue_meeting_schedule(
                actor=request.user,
                meeting=meeting,
                starts_at=d["starts_at"],
                duration_minutes=d["duration_minutes"],
                location=d["location"],
                video_link=d["video_link"],
                participants=d["participants"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc, {"starts_at": "date"})
        else:
            messages.success(request, _("Dialogmøtet er avtalt."))
            return redirect("programs:dialogue_meeting_list", pk=meeting.program_id)
    return render(request, "programs/dialogue_meeting_schedule.html", {"meeting": meeting, "form": form})


@require(can_manage_programs)
@require_POST
def dialogue_meeting_cancel(request, meeting_id: int):
    meeting = selectors.dialogue_meeting_get(user=request.user, pk=meeting_id)
    services.dialogue_meeting_cancel(actor=request.user, meeting=meeting)
    messages.success(request, _("Dialogmøtet er avlyst."))
    return redirect("programs:dialogue_meeting_list", pk=meeting.program_id)


@require(can_see_dialogue_meetings)
@require_GET
def dialogue_meeting_calendar(request, meeting_id: int):
    meeting = selectors.dialogue_meeting_get(user=request.user, pk=meeting_id)
    if meeting.status != DialogueMeetingStatus.SCHEDULED or not meeting.starts_at:
        raise Http404
    response = HttpResponse(dialogue_meeting_ics(meeting), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="dialogmote-{meeting.pk}.ics"'
    return response


# --- after the annual meetings ------------------------------------------------------------------------


@require(can_register_interest)
def annual_meeting_decision(request, pk: int, branch_id: int):
    program = selectors.program_get(user=request.user, pk=pk)
    branch = selectors.branch_for_interest(user=request.user, branch_id=branch_id)
    check_or_404(can_edit_branch_interest, request.user, branch)
    decision = selectors.annual_meeting_decision_for(program=program, branch=branch)
    initial = (
        {
            "meeting_date": decision.meeting_date,
            "participates": "true" if decision.participates else "false",
            "comment": decision.comment,
        }
        if decision
        else {}
    )
    form = AnnualMeetingDecisionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.annual_meeting_decision_record(
                actor=request.user,
                program=program,
                branch=branch,
                meeting_date=d["meeting_date"],
                participates=d["participates"],
                comment=d["comment"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("Årsmøtets vedtak er registrert."))
            if d["meeting_date"] < timezone.localtime(program.interest_deadline).date():
                messages.warning(
                    request,
                    _(
                        "Merk: årsmøtedatoen %(day)s er før fristen for interessemelding. "
                        "Sjekk at datoen er riktig."
                    )
                    % {"day": date_display(d["meeting_date"])},
                )
            return redirect("programs:interest_registration", pk=program.pk, branch_id=branch.pk)
    return render(
        request,
        "programs/annual_meeting_decision_form.html",
        {"program": program, "branch": branch, "form": form, "decision": decision},
    )


@require(can_manage_programs)
def regional_program_list(request, pk: int):
    program = selectors.program_get(user=request.user, pk=pk)
    available = selectors.confirmed_branches_without_region(program=program)
    form = RegionalProgramForm(request.POST or None, branches=available)
    if request.method == "POST" and form.is_valid():
        try:
            regional = services.regional_program_create(
                actor=request.user,
                program=program,
                name=form.cleaned_data["name"],
                branches=form.cleaned_data["branches"],
            )
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(
                request,
                format_html(
                    '{} <a href="{}" class="alert-link">{}</a>',
                    _("Det regionale programmet «%(name)s» er opprettet. Neste steg:")
                    % {"name": regional.name},
                    reverse("applications:window", kwargs={"rp_id": regional.pk}),
                    _("Åpne søknadsvinduet"),
                ),
            )
            return redirect(reverse("programs:regional_program_list", kwargs={"pk": program.pk}))
    overview = selectors.temperature_overview(program=program)
    return render(
        request,
        "programs/regional_program_list.html",
        {
            "program": program,
            "regional_programs": list(selectors.regional_programs_for(program=program)),
            "decisions": [r for r in overview.all_rows if r.decision],
            "form": form,
            "has_available": bool(list(form.fields["branches"].queryset)),
        },
    )
