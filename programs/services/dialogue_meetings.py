"""Dialogue meetings (dialogmøter): a branch (or someone on its behalf) asks for one, on its own or through the
interest registration; leadership schedules it, which sends the time with a calendar entry, or cancels it."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_log, changed_fields
from core.models import model_validate
from municipalities.models import CountyBranch
from reminders.outbox import Attachment, Recipient, message_send

from ..models import DialogueMeeting, DialogueMeetingStatus, InterestRegistration, Program
from ..reminders import DIALOGUE_MEETING_REQUESTED

MAX_OPEN_DIALOGUE_REQUESTS = 3  # unanswered requests per branch and edition


@transaction.atomic
def dialogue_meeting_request(
    *,
    actor,
    program: Program,
    branch: CountyBranch | None,
    requester_name: str = "",
    topic: str = "",
    suggested_times: str = "",
) -> DialogueMeeting:
    if branch is None and not requester_name.strip():
        raise ValidationError({"requester_name": _("Oppgi hvem som ønsker dialogmøtet.")})
    if branch is not None:
        # One branch's open requests in an edition are capped: a repeated form cannot flood leadership's list.
        CountyBranch.objects.select_for_update().filter(pk=branch.pk).first()
        open_requests = DialogueMeeting.objects.filter(
            program=program, branch=branch, status=DialogueMeetingStatus.REQUESTED
        ).count()
        if open_requests >= MAX_OPEN_DIALOGUE_REQUESTS:
            raise ValidationError(
                _(
                    "Fylkesavdelingen har allerede %(n)s ubesvarte ønsker om dialogmøte i denne "
                    "programperioden. Vent til programledelsen har svart, eller ta kontakt direkte."
                )
                % {"n": MAX_OPEN_DIALOGUE_REQUESTS}
            )
    meeting = DialogueMeeting(
        program=program,
        branch=branch,
        requester_name=requester_name.strip(),
        topic=topic,
        suggested_times=suggested_times,
        requested_by=actor,
    )
    model_validate(meeting)
    meeting.save()
    audit_log(
        actor=actor,
        action="programs.dialogue_meeting.requested",
        obj=meeting,
        details={
            "branch": branch.name if branch else None,
            "requester_name": meeting.requester_name,
            "notice_recipients": DIALOGUE_MEETING_REQUESTED.notify(meeting=meeting),
        },
    )
    return meeting


@transaction.atomic
def dialogue_meeting_schedule(
    *,
    actor,
    meeting: DialogueMeeting,
    starts_at: dt.datetime,
    duration_minutes: int,
    location: str = "",
    video_link: str = "",
    participants: str = "",
) -> DialogueMeeting:
    meeting = DialogueMeeting.objects.select_for_update().order_by().get(pk=meeting.pk)
    if not location.strip() and not video_link.strip():
        raise ValidationError({"location": _("Oppgi sted eller videolenke.")})
    if starts_at <= timezone.now() and starts_at != meeting.starts_at:
        raise ValidationError({"starts_at": _("Dialogmøtet må være fram i tid.")})
    values = {
        "starts_at": starts_at,
        "duration_minutes": duration_minutes,
        "location": location.strip(),
        "video_link": video_link.strip(),
        "participants": participants,
        "status": DialogueMeetingStatus.SCHEDULED,
    }
    changes = changed_fields(meeting, values)
    for name, value in values.items():
        setattr(meeting, name, value)
    meeting.scheduled_by = actor
    model_validate(meeting)
    meeting.save()
    audit_log(
        actor=actor,
        action="programs.dialogue_meeting.scheduled",
        obj=meeting,
        details={"changed_fields": changes},
    )
    if changes:
        _dialogue_meeting_invitation_send(meeting=meeting)
    return meeting


def _dialogue_meeting_invitation_send(*, meeting: DialogueMeeting) -> None:
    """The agreed time with a calendar entry, to the branch and the person who asked."""
    from ..calendar import dialogue_meeting_ics

    recipients = []
    branch, requester = meeting.branch, meeting.requested_by
    if branch is not None and branch.email:
        recipients.append(Recipient(email=branch.email, name=branch.name))
    if requester is not None and requester.email:
        recipients.append(
            Recipient(
                email=requester.email,
                name=requester.get_full_name(),
                user_id=meeting.requested_by_id,
            )
        )
    if not recipients:
        return
    # One key per saved version of the time and place, so a moved meeting sends a fresh invitation.
    message_send(
        occasion="programs.dialogue_meeting_scheduled",
        key=f"dialogue:{meeting.pk}:{meeting.updated_at:%Y%m%d%H%M%S%f}",
        recipients=recipients,
        template="programs/email/dialogue_meeting_scheduled",
        program_id=meeting.program_id,
        context={"meeting": meeting, "program": meeting.program},
        attachments=[
            Attachment(
                filename=f"dialogmote-{meeting.pk}.ics",
                content=dialogue_meeting_ics(meeting),
                mimetype="text/calendar",
            )
        ],
    )


@transaction.atomic
def dialogue_meeting_cancel(*, actor, meeting: DialogueMeeting) -> DialogueMeeting:
    meeting = DialogueMeeting.objects.select_for_update().order_by().get(pk=meeting.pk)
    if meeting.status == DialogueMeetingStatus.CANCELLED:
        return meeting
    before = meeting.status
    meeting.status = DialogueMeetingStatus.CANCELLED
    meeting.save(update_fields=["status", "updated_at"])
    audit_log(
        actor=actor,
        action="programs.dialogue_meeting.cancelled",
        obj=meeting,
        details={"changed_fields": {"status": {"from": before, "to": meeting.status}}},
    )
    return meeting


def dialogue_meeting_request_from_registration(*, actor, registration: InterestRegistration) -> None:
    """A wish in the registration becomes a dialogue-meeting request leadership can schedule (once)."""
    open_exists = DialogueMeeting.objects.filter(
        program=registration.program,
        branch=registration.branch,
        status__in=[DialogueMeetingStatus.REQUESTED, DialogueMeetingStatus.SCHEDULED],
    ).exists()
    if open_exists:
        DialogueMeeting.objects.filter(
            program=registration.program, branch=registration.branch, status=DialogueMeetingStatus.REQUESTED
        ).update(
            topic=registration.dialogue_meeting_topic,
            suggested_times=registration.dialogue_meeting_times,
            updated_at=timezone.now(),
        )
        return
    meeting = DialogueMeeting.objects.create(
        program=registration.program,
        branch=registration.branch,
        topic=registration.dialogue_meeting_topic,
        suggested_times=registration.dialogue_meeting_times,
        requested_by=actor,
    )
    audit_log(
        actor=actor,
        action="programs.dialogue_meeting.requested",
        obj=meeting,
        details={
            "branch": registration.branch.name,
            "via": "interessemelding",
            "notice_recipients": DIALOGUE_MEETING_REQUESTED.notify(meeting=meeting),
        },
    )
