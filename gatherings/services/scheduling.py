"""Leadership's scheduling: semesters, gatherings, changes and cancellations (each audited, each told)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from audit.services import audit_log, changed_fields
from core.dates import date_range_display
from programs.models import RegionalProgram
from reminders.outbox import recipients_distinct

from ..models import (
    Gathering,
    GatheringFile,
    GatheringKind,
    GatheringStatus,
    Registration,
    RegistrationStatus,
    Semester,
)
from . import notices
from .files import check_upload
from .registration import promote_waiting

SEMESTER_FIELDS = ("name", "starts_on", "ends_on")
GATHERING_FIELDS = (
    "semester",
    "kind",
    "number",
    "title",
    "theme",
    "starts_at",
    "ends_at",
    "venue",
    "address",
    "video_link",
    "host_municipality",
    "capacity",
    "registration_deadline",
    "preparation",
    "between_work",
    "between_work_due",
)
# A change to one of these moves the gathering for the people coming: they are told at once.
PRACTICAL_FIELDS = ("starts_at", "ends_at", "venue", "address", "video_link")


# A programme runs three semesters from some months after its interest deadline: a semester outside the years
# from the deadline's to three after it is a typo (e.g. «vår 2020» in 2026–2028), refused, not only warned about.
PROGRAM_YEARS_AFTER_INTEREST = 3


def program_years(regional_program: RegionalProgram) -> tuple[int, int]:
    """The first and last year a semester of the regional programme may lie in."""
    first = timezone.localtime(regional_program.program.interest_deadline).year
    return first, first + PROGRAM_YEARS_AFTER_INTEREST


def semester_save(
    *, actor, regional_program: RegionalProgram, data: dict[str, Any], semester: Semester | None = None
) -> Semester:
    errors: dict[str, str] = {}
    if data["ends_on"] < data["starts_on"]:
        errors["ends_on"] = _("Siste dag kan ikke være før første dag.")
    first, last = program_years(regional_program)
    if not (first <= data["starts_on"].year <= last and first <= data["ends_on"].year <= last):
        errors["starts_on"] = _(
            "Semesteret ligger utenfor programperioden (%(first)d–%(last)d). Sjekk årstallet."
        ) % {"first": first, "last": last}
    others = Semester.objects.filter(regional_program=regional_program)
    if semester is not None:
        others = others.exclude(pk=semester.pk)
    if others.filter(name__iexact=data["name"]).exists():
        errors["name"] = _("Det regionale programmet har allerede et semester med dette navnet.")
    if "ends_on" not in errors and "starts_on" not in errors:
        overlap = (
            others.filter(starts_on__lte=data["ends_on"], ends_on__gte=data["starts_on"])
            .order_by("starts_on")
            .first()
        )
        if overlap is not None:
            errors["starts_on"] = _(
                "Semesteret overlapper med «%(name)s» (%(period)s). Semestrene i et regionalt program kan "
                "ikke overlappe."
            ) % {"name": overlap.name, "period": date_range_display(overlap.starts_on, overlap.ends_on)}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if semester is None:
            semester = Semester.objects.create(regional_program=regional_program, **data)
            audit_log(actor=actor, action="gatherings.semester.created", obj=semester, details=dict(data))
        else:
            changes = changed_fields(semester, data)
            for name, value in data.items():
                setattr(semester, name, value)
            semester.save()
            audit_log(
                actor=actor,
                action="gatherings.semester.updated",
                obj=semester,
                details={"fields": changes},
            )
    return semester


def _validate(regional_program: RegionalProgram, data: dict[str, Any]) -> None:
    errors: dict[str, str] = {}
    if data["ends_at"] <= data["starts_at"]:
        errors["ends_at"] = _("Samlingen må slutte etter at den starter.")
    if data.get("between_work_due") and data["between_work_due"] < data["ends_at"]:
        errors["between_work_due"] = _("Fristen for mellomarbeidet må være etter at samlingen er slutt.")
    semester = data.get("semester")
    if semester is not None and semester.regional_program_id != regional_program.pk:
        errors["semester"] = _("Semesteret hører til et annet regionalt program.")
    if data.get("kind") == GatheringKind.GATHERING and data.get("number") not in (None, 1, 2, 3, 4, 5, 6):
        errors["number"] = _("Samlingene er nummerert fra 1 til 6.")
    if not (data.get("venue") or data.get("address") or data.get("video_link")):
        errors["venue"] = _("Oppgi sted og adresse, eller en videolenke.")
    if errors:
        raise ValidationError(errors)


def _reminders_replan(gathering: Gathering) -> None:
    """The gathering's planned reminders follow it right after commit, not at the next sweep: a leader who
    looks at once sees a cancelled gathering's reminders gone from «Kommende» and a moved one's moved."""
    from reminders.services import replan_soon

    from ..reminders import PLANNED_OCCASIONS

    replan_soon(PLANNED_OCCASIONS, scope=f"gathering:{gathering.pk}")


def semester_containing(regional_program: RegionalProgram, day) -> Semester | None:
    return (
        Semester.objects.filter(regional_program=regional_program, starts_on__lte=day, ends_on__gte=day)
        .order_by("starts_on")
        .first()
    )


def _fit_semester(
    regional_program: RegionalProgram, data: dict[str, Any], *, before: Semester | None
) -> None:
    """A gathering moved out of its semester follows its date into the programme's semester that holds it.

    Only when leadership left the semester as it was (or empty): a semester picked in the same save is kept as
    picked, and when no semester holds the date the gathering keeps its own; the warning `outside_semester`
    (warnings.py) shows both cases where leadership schedules and on the programme page."""
    chosen = data.get("semester")
    day = timezone.localdate(data["starts_at"])
    if chosen is not None and chosen.starts_on <= day <= chosen.ends_on:
        return
    if chosen != before:
        return
    found = semester_containing(regional_program, day)
    if found is not None:
        data["semester"] = found


PAST_START_ERROR = _("Samlingen kan ikke legges inn med en tid som har vært. Sjekk datoen.")


def gathering_draft(*, regional_program: RegionalProgram, data: dict[str, Any]) -> Gathering:
    """The gathering `gathering_schedule` would make of `data`, unsaved (its semester fitted to the date as the
    save would), so leadership sees its warnings before anything is saved or sent. Writes nothing."""
    data = dict(data)
    _fit_semester(regional_program, data, before=None)
    return Gathering(regional_program=regional_program, **data)


def gathering_schedule(*, actor, regional_program: RegionalProgram, data: dict[str, Any]) -> Gathering:
    """A new gathering; the region's groups (for a pre-gathering: its member municipalities and boards) are
    invited at once, with the calendar entry. The returned gathering's `notified` says how many addresses
    the invitation goes to (0: nobody, e.g. a programme without municipal groups yet)."""
    try:
        _validate(regional_program, data)
    except ValidationError as exc:
        errors = exc.error_dict
    else:
        errors = {}
    if data["starts_at"] < timezone.now() and "starts_at" not in errors:
        errors["starts_at"] = [ValidationError(PAST_START_ERROR)]
    if errors:
        raise ValidationError(errors)
    data = dict(data)
    _fit_semester(regional_program, data, before=None)
    with transaction.atomic():
        gathering = Gathering.objects.create(regional_program=regional_program, created_by=actor, **data)
        audit_log(
            actor=actor,
            action="gatherings.gathering.scheduled",
            obj=gathering,
            details={"starts_at": gathering.starts_at, "ends_at": gathering.ends_at, "kind": gathering.kind},
        )
        notices.invitation_send(gathering)
        # the same recipients as the invitation (notices.py returns nothing), so the page can say how many
        gathering.notified = len(recipients_distinct(notices.invited(gathering)))
        _reminders_replan(gathering)
    return gathering


def gathering_update(*, actor, gathering: Gathering, data: dict[str, Any], reason: str = "") -> Gathering:
    """Save leadership's changes. Any change raises the calendar SEQUENCE; a new time or place is a
    reschedule, needs a reason, and everyone registered and every invited group is told, in words: what it
    was and what it is now, after a few minutes in which further changes join the same notice
    (`notices.change_send`). The returned gathering's `notified` says how many addresses will be told, and
    `notice_due_at` when.
    A gathering moved out of its semester goes to the semester that holds the new date (`_fit_semester`)."""
    if gathering.is_cancelled:
        raise ValidationError(_("Samlingen er avlyst og kan ikke endres."))
    _validate(gathering.regional_program, data)
    with transaction.atomic():
        locked = Gathering.objects.select_for_update().get(pk=gathering.pk)
        data = dict(data)
        _fit_semester(gathering.regional_program, data, before=locked.semester)
        changes = changed_fields(locked, data)
        if not changes:
            return locked
        moved = [name for name in PRACTICAL_FIELDS if name in changes]
        capacity = data.get("capacity")
        if "capacity" in changes and capacity is not None:
            taken = Registration.objects.filter(gathering=locked, status=RegistrationStatus.ATTENDING).count()
            if capacity < taken:
                # nobody loses a place they were given: leadership asks people to withdraw first
                raise ValidationError(
                    {
                        "capacity": ngettext(
                            "%(taken)d er allerede påmeldt, så det må være minst %(taken)d plass.",
                            "%(taken)d er allerede påmeldt, så det må være minst %(taken)d plasser.",
                            taken,
                        )
                        % {"taken": taken}
                    }
                )
        now = timezone.now()
        if "starts_at" in changes and locked.starts_at > now and data["starts_at"] < now:
            # moving a coming gathering into the past; a past one may still have its record corrected
            raise ValidationError({"starts_at": PAST_START_ERROR})
        if moved and not reason.strip():
            raise ValidationError({"reason": _("Skriv hvorfor tid eller sted endres; det står i meldingen.")})
        before = notices.notice_snapshot(locked)
        for name in changes:  # a text the browser posted with "\r\n" but otherwise unchanged stays as stored
            setattr(locked, name, data[name])
        locked.sequence += 1
        locked.save()
        audit_log(
            actor=actor,
            action="gatherings.gathering.rescheduled" if moved else "gatherings.gathering.updated",
            obj=locked,
            details={"fields": changes, **({"reason": reason} if moved else {})},
        )
        if "capacity" in changes:
            promote_waiting(gathering=locked, actor=actor)
        if moved:
            notice = notices.change_send(locked, reason=reason, before=before)
            locked.notified, locked.notice_due_at = notice.count, notice.due_at
            locked.notice_withdrawn = notice.withdrawn
        _reminders_replan(locked)
    return locked


def gathering_cancel(*, actor, gathering: Gathering, reason: str) -> Gathering:
    """Cancel for good (nothing un-cancels); everyone registered or waiting and every invited address is told.
    The returned gathering's `notified` says how many addresses were told."""
    if not reason.strip():
        raise ValidationError({"reason": _("Skriv hvorfor samlingen avlyses; det står i meldingen.")})
    with transaction.atomic():
        locked = Gathering.objects.select_for_update().get(pk=gathering.pk)
        if locked.is_cancelled:
            raise ValidationError(_("Samlingen er allerede avlyst."))
        locked.status = GatheringStatus.CANCELLED
        locked.cancel_reason = reason.strip()
        locked.cancelled_at = timezone.now()
        locked.sequence += 1
        locked.save()
        audit_log(
            actor=actor, action="gatherings.gathering.cancelled", obj=locked, details={"reason": reason}
        )
        locked.notified = notices.cancellation_send(locked)
        _reminders_replan(locked)
    return locked


def gathering_file_add(*, actor, gathering: Gathering, upload) -> GatheringFile:
    if gathering.is_cancelled:
        raise ValidationError(_("Samlingen er avlyst; det legges ikke til flere filer."))
    name = check_upload(upload)
    with transaction.atomic():
        row = GatheringFile.objects.create(
            gathering=gathering, file=upload, original_name=name, size=upload.size, uploaded_by=actor
        )
        audit_log(actor=actor, action="gatherings.file.added", obj=gathering, details={"file": name})
    return row


def gathering_file_delete(*, actor, file: GatheringFile) -> None:
    with transaction.atomic():
        audit_log(
            actor=actor,
            action="gatherings.file.removed",
            obj=file.gathering,
            details={"file": file.original_name},
        )
        file.file.delete(save=False)
        file.delete()
