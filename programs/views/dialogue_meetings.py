"""Dialogue meetings (dialogmøter): the list, a branch's request (or leadership's on someone's behalf),
scheduling, cancelling and the calendar entry."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.forms import form_apply_error
from core.once import saving_once, submits_once
from core.permissions import require

from .. import selectors, services
from ..calendar import dialogue_meeting_ics
from ..forms import (
    DialogueMeetingRequestForm,
    DialogueMeetingRequestOnBehalfForm,
    DialogueMeetingScheduleForm,
)
from ..models import DialogueMeetingStatus
from ..permissions import can_manage_programs, can_see_dialogue_meetings


@require(can_see_dialogue_meetings)
def dialogue_meeting_list(request, pk: int):
    program = selectors.program_get(user=request.user, pk=pk)
    meetings = list(selectors.dialogue_meetings_for(user=request.user, program=program))
    return render(request, "programs/dialogue_meeting_list.html", {"program": program, "meetings": meetings})


@require(can_see_dialogue_meetings)
@submits_once
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
            with saving_once(request) as once:
                services.dialogue_meeting_request(
                    actor=request.user,
                    program=program,
                    branch=branch,
                    requester_name=data.get("requester_name", ""),
                    topic=data["topic"],
                    suggested_times=data["suggested_times"],
                )
                once.made(reverse("programs:dialogue_meeting_list", args=[program.pk]))
        except ValidationError as exc:
            form_apply_error(form, exc)
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
            form_apply_error(form, exc, {"starts_at": "date"})
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
