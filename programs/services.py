"""Every write to editions, interest registrations, dialogue meetings and annual-meeting decisions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_log, audit_value, changed_fields
from core.dates import datetime_display
from municipalities.models import CountyBranch, Municipality
from reminders.outbox import Attachment, Recipient, message_send

from .models import (
    AnnualMeetingDecision,
    DialogueMeeting,
    DialogueMeetingStatus,
    InterestDeadlineExtension,
    InterestRegistration,
    Program,
    RegionalProgram,
)
from .reminders import DIALOGUE_MEETING_REQUESTED, EDITION_INVITATION, INTEREST_DEADLINE_EXTENDED
from .selectors import branch_member_municipalities, confirmed_branches, interest_deadline_for
from .timing import deadline_is_open

MAX_OPEN_DIALOGUE_REQUESTS = 3  # unanswered requests per branch and edition

PROGRAM_FIELDS = ["name", "slug", "invitation_text", "interest_deadline", "start_semester", "contact_email"]
REGISTRATION_FIELDS = [
    "level",
    "contact_name",
    "contact_email",
    "contact_phone",
    "dialogue_meeting_wanted",
    "dialogue_meeting_times",
    "dialogue_meeting_topic",
    "comment",
]


def _oslo(value: dt.datetime) -> str:
    return datetime_display(value)


class RegistrationConflict(ValidationError):
    """Someone else saved the registration after this form was opened."""

    def __init__(self, current: InterestRegistration):
        self.current = current
        who = current.updated_by.get_full_name() if current.updated_by else _("en annen")
        super().__init__(
            _(
                "Interessemeldingen ble endret av %(who)s %(when)s mens du skrev. Endringene dine er ikke lagret: "
                "se hva som er lagret nå, flett inn det du vil beholde og lagre på nytt."
            )
            % {"who": who, "when": _oslo(current.updated_at)},
            code="conflict",
        )


class DeadlinePassed(ValidationError):
    def __init__(self, deadline: dt.datetime):
        self.deadline = deadline
        super().__init__(
            _("Fristen for interessemelding gikk ut %(when)s. Meldingen kan ikke lenger endres.")
            % {"when": _oslo(deadline)},
            code="deadline_passed",
        )


# --- editions -----------------------------------------------------------------------------------------


def _program_validate(program: Program) -> None:
    try:
        program.full_clean()
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from exc


@transaction.atomic
def program_create(*, actor, data: dict[str, Any]) -> Program:
    program = Program(**{k: data[k] for k in PROGRAM_FIELDS if k in data})
    _program_validate(program)
    program.save()
    audit_log(
        actor=actor,
        action="programs.program.created",
        obj=program,
        details={"name": program.name, "interest_deadline": program.interest_deadline},
    )
    return program


@transaction.atomic
def program_update(*, actor, program: Program, data: dict[str, Any]) -> Program:
    program = Program.objects.select_for_update().get(pk=program.pk)
    changes = changed_fields(program, {k: data[k] for k in PROGRAM_FIELDS if k in data})
    if not changes:
        return program
    if "interest_deadline" in changes and data["interest_deadline"] <= timezone.now():
        from .forms import PAST_DEADLINE_MESSAGE

        raise ValidationError({"interest_deadline": PAST_DEADLINE_MESSAGE})
    for name in changes:
        setattr(program, name, data[name])
    _program_validate(program)
    program.save()
    audit_log(
        actor=actor, action="programs.program.updated", obj=program, details={"changed_fields": changes}
    )
    if "interest_deadline" in changes:
        _reminders_replan()
    return program


def _reminders_replan() -> None:
    """The planned reminders follow a moved deadline now, not at the next sweep: reminders whose moment no
    longer exists are cancelled, the others moved."""
    from reminders.services import deliveries_plan

    from .reminders import INTEREST_DEADLINE

    deliveries_plan(codes=[INTEREST_DEADLINE])


@transaction.atomic
def program_publish(*, actor, program: Program, publish: bool) -> Program:
    program = Program.objects.select_for_update().get(pk=program.pk)
    if program.is_published == publish:
        return program
    program.is_published = publish
    program.save(update_fields=["is_published", "updated_at"])
    details = {}
    if publish:
        # once per edition: publishing again finds the rows under the same key and sends nothing
        details["invitation_recipients"] = EDITION_INVITATION.notify(program=program)
    audit_log(
        actor=actor,
        action="programs.program.published" if publish else "programs.program.unpublished",
        obj=program,
        details=details,
    )
    return program


# --- interest registrations ---------------------------------------------------------------------------


def _validate_municipalities(*, branch: CountyBranch, municipalities) -> list[Municipality]:
    allowed = {m.pk: m for m in branch_member_municipalities(branch=branch)}
    chosen = list(municipalities)
    wrong = [m for m in chosen if m.pk not in allowed]
    if wrong:
        raise ValidationError(
            {
                "municipalities": _("%(names)s er ikke medlemskommune i fylkesavdelingens fylker.")
                % {"names": ", ".join(m.name for m in wrong)}
            }
        )
    return sorted(chosen, key=lambda m: m.name)


def _registration_validate(data: dict[str, Any]) -> None:
    reg = InterestRegistration(**{k: data.get(k, "") for k in REGISTRATION_FIELDS if k in data})
    try:
        reg.full_clean(exclude=["program", "branch", "version"], validate_unique=False)
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from exc


@transaction.atomic
def interest_registration_save(
    *,
    actor,
    program: Program,
    branch: CountyBranch,
    data: dict[str, Any],
    municipalities,
    expected_version: int,
) -> InterestRegistration:
    """Create or update the branch's registration; refuses after the deadline and on a stale version.

    `expected_version` is the version the form was opened with (0 for a new registration).
    """
    now = timezone.now()
    deadline = interest_deadline_for(program=program, branch=branch)
    if not deadline_is_open(deadline, now):
        raise DeadlinePassed(deadline)
    _registration_validate(data)
    chosen = _validate_municipalities(branch=branch, municipalities=municipalities)
    values = {k: data[k] for k in REGISTRATION_FIELDS if k in data}

    current = (
        InterestRegistration.objects.select_for_update(of=("self",))
        .select_related("updated_by")
        .filter(program=program, branch=branch)
        .order_by()
        .first()
    )
    if current is not None and current.version != expected_version:
        raise RegistrationConflict(current)
    if current is None and expected_version != 0:
        raise ValidationError(_("Interessemeldingen finnes ikke lenger. Last siden på nytt."), code="gone")

    if current is None:
        registration = InterestRegistration(
            program=program, branch=branch, updated_by=actor, version=1, **values
        )
        try:
            with transaction.atomic():
                registration.save()
        except IntegrityError:
            # Another board member created it in the same instant: treat as a conflict.
            current = InterestRegistration.objects.select_related("updated_by").get(
                program=program, branch=branch
            )
            raise RegistrationConflict(current) from None
        registration.municipalities.set(chosen)
        action = "programs.interest_registration.created"
        changes = {
            k: {"from": None, "to": audit_value(v)} for k, v in values.items() if v not in ("", None, False)
        }
        changes["municipalities"] = {"from": None, "to": ", ".join(m.name for m in chosen)}
    else:
        registration = current
        changes = changed_fields(registration, values)
        before = sorted(m.name for m in registration.municipalities.all())
        after = [m.name for m in chosen]
        if before != after:
            changes["municipalities"] = {"from": ", ".join(before), "to": ", ".join(after)}
        if not changes:
            return registration
        for name, value in values.items():
            setattr(registration, name, value)
        registration.updated_by = actor
        registration.version = current.version + 1
        registration.save()
        registration.municipalities.set(chosen)
        action = "programs.interest_registration.updated"

    audit_log(actor=actor, action=action, obj=registration, details={"changed_fields": changes})
    if registration.dialogue_meeting_wanted:
        _dialogue_request_from_registration(actor=actor, registration=registration)
    _interest_receipt_send(registration=registration, actor=actor, municipalities=chosen)
    return registration


def _dialogue_request_from_registration(*, actor, registration: InterestRegistration) -> None:
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


def _interest_receipt_send(*, registration: InterestRegistration, actor, municipalities) -> None:
    branch = registration.branch
    recipients = [
        Recipient(email=registration.contact_email, name=registration.contact_name),
        Recipient(email=actor.email, name=actor.get_full_name(), user_id=actor.pk),
    ]
    if branch.email:
        recipients.append(Recipient(email=branch.email, name=branch.name))
    message_send(
        occasion="programs.interest_receipt",
        key=f"interest:{registration.pk}:v{registration.version}",
        recipients=recipients,
        template="programs/email/interest_receipt",
        program_id=registration.program_id,
        context={
            "registration": registration,
            "program": registration.program,
            "branch": branch,
            "municipalities": list(municipalities),
            "actor_name": actor.get_full_name(),
            "deadline": interest_deadline_for(program=registration.program, branch=branch),
        },
    )


@transaction.atomic
def interest_deadline_extend(
    *, actor, program: Program, branch: CountyBranch, deadline: dt.datetime
) -> InterestDeadlineExtension:
    """Give one branch its own, later deadline (leadership reopens a locked registration this way)."""
    if timezone.is_naive(deadline):
        raise ValidationError({"deadline": _("Fristen må ha tidssone.")})
    from .forms import extension_error

    error = extension_error(program=program, deadline=deadline)
    if error:
        raise ValidationError({"deadline": error})
    existing = (
        InterestDeadlineExtension.objects.select_for_update()
        .filter(program=program, branch=branch)
        .order_by()
        .first()
    )
    before = existing.deadline if existing else None
    if existing:
        existing.deadline = deadline
        existing.granted_by = actor
        existing.save(update_fields=["deadline", "granted_by"])
        extension = existing
    else:
        extension = InterestDeadlineExtension.objects.create(
            program=program, branch=branch, deadline=deadline, granted_by=actor
        )
    audit_log(
        actor=actor,
        action="programs.interest_deadline_extension.granted",
        obj=extension,
        details={
            "branch": branch.name,
            "changed_fields": {"deadline": {"from": before, "to": deadline}},
            "notice_recipients": INTEREST_DEADLINE_EXTENDED.notify(extension=extension),
        },
    )
    return extension


# --- dialogue meetings --------------------------------------------------------------------------------


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
    try:
        meeting.full_clean()
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from exc
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
    try:
        meeting.full_clean()
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from exc
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
    from .calendar import dialogue_meeting_ics

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


# --- after the annual meetings ------------------------------------------------------------------------


@transaction.atomic
def annual_meeting_decision_record(
    *,
    actor,
    program: Program,
    branch: CountyBranch,
    meeting_date: dt.date,
    participates: bool,
    comment: str = "",
) -> AnnualMeetingDecision:
    if meeting_date > timezone.localdate() + dt.timedelta(days=1):
        raise ValidationError({"meeting_date": _("Årsmøtet kan ikke være i fremtiden.")})
    values = {"meeting_date": meeting_date, "participates": participates, "comment": comment}
    decision = (
        AnnualMeetingDecision.objects.select_for_update()
        .filter(program=program, branch=branch)
        .order_by()
        .first()
    )
    if decision is None:
        decision = AnnualMeetingDecision.objects.create(
            program=program, branch=branch, recorded_by=actor, **values
        )
        changes = {k: {"from": None, "to": audit_value(v)} for k, v in values.items()}
    else:
        changes = changed_fields(decision, values)
        if not changes:
            return decision
        for name, value in values.items():
            setattr(decision, name, value)
        decision.recorded_by = actor
        decision.save()
    audit_log(
        actor=actor,
        action="programs.annual_meeting_decision.recorded",
        obj=decision,
        details={"branch": branch.name, "changed_fields": changes},
    )
    return decision


@transaction.atomic
def regional_program_create(*, actor, program: Program, name: str, branches) -> RegionalProgram:
    """Set up one region of the edition from branches whose annual meeting confirmed participation."""
    branches = list(branches)
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Gi det regionale programmet et navn.")})
    if not branches:
        raise ValidationError({"branches": _("Velg minst én fylkesavdeling.")})
    confirmed = set(confirmed_branches(program=program).values_list("pk", flat=True))
    unconfirmed = [b for b in branches if b.pk not in confirmed]
    if unconfirmed:
        raise ValidationError(
            {
                "branches": _("%(names)s har ikke bekreftet deltakelse etter årsmøtet.")
                % {"names": ", ".join(b.short_name for b in unconfirmed)}
            }
        )
    taken = list(
        CountyBranch.objects.filter(pk__in=[b.pk for b in branches], regional_programs__program=program)
    )
    if taken:
        raise ValidationError(
            {
                "branches": _("%(names)s er allerede med i et regionalt program i denne programperioden.")
                % {"names": ", ".join(b.short_name for b in taken)}
            }
        )
    if RegionalProgram.objects.filter(program=program, name__iexact=name).exists():
        raise ValidationError({"name": _("Det finnes allerede et regionalt program med dette navnet.")})
    regional = RegionalProgram.objects.create(program=program, name=name)
    regional.branches.set(branches)
    audit_log(
        actor=actor,
        action="programs.regional_program.created",
        obj=regional,
        details={"program": program.name, "branches": [b.name for b in branches]},
    )
    return regional
