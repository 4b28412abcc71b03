"""The application window (open, deadline, places, guidance), selection criteria and deadline extensions."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from accounts.models import User
from audit.services import audit_log, changed_fields
from programs.models import RegionalProgram
from programs.selectors import regional_program_municipalities

from ..models import (
    ApplicationDeadlineExtension,
    Review,
    SelectionCriterion,
)


def _reminders_replan(regional_program_id: int) -> None:
    """The region's deadline reminders follow a moved deadline or extension right after commit, not at the next
    sweep, so leadership sees the new times under «Kommende» at once."""
    from reminders.services import replan_soon

    from ..reminders import APPLICATION_DEADLINE

    replan_soon(APPLICATION_DEADLINE, scope=f"regional:{regional_program_id}")


# --- Application window --------------------------------------------------------------------------------------


def application_window_update(
    *,
    actor: User,
    regional_program: RegionalProgram,
    applications_open_at: dt.datetime | None,
    application_deadline: dt.datetime | None,
    places: int | None,
    applicant_guidance: str,
) -> RegionalProgram:
    if applications_open_at and application_deadline and application_deadline <= applications_open_at:
        raise ValidationError({"application_deadline": _("Søknadsfristen må være etter at søknadene åpner.")})
    data = {
        "applications_open_at": applications_open_at,
        "application_deadline": application_deadline,
        "places": places,
        "applicant_guidance": applicant_guidance,
    }
    with transaction.atomic():
        changes = changed_fields(regional_program, data)
        for name, value in data.items():
            setattr(regional_program, name, value)
        regional_program.save(update_fields=list(data))
        audit_log(
            actor=actor,
            action="applications.window.updated",
            obj=regional_program,
            details={"changes": changes},
        )
        if "application_deadline" in changes or "applications_open_at" in changes:
            _reminders_replan(regional_program.pk)
    return regional_program


CRITERIA_LOCKED_MESSAGE = _lazy(
    "Juryen har allerede levert vurderinger i dette regionale programmet. Kriterier kan derfor ikke "
    "legges til eller slettes, og vektene kan ikke endres: det ville endret poengsummene og rangeringen "
    "som er levert. Navn og beskrivelse kan fortsatt rettes."
)


def _submitted_reviews(regional_program) -> QuerySet[Review]:
    return Review.objects.filter(application__regional_program=regional_program, submitted_at__isnull=False)


def criteria_locked(*, regional_program: RegionalProgram) -> bool:
    """True once any jury member has submitted a review: the criteria and weights behind the scores stay."""
    return _submitted_reviews(regional_program).exists()


def criteria_locked_annotation() -> Exists:
    """`criteria_locked` as an annotation of a regional programme query (the selection page loads both at once)."""
    return Exists(_submitted_reviews(OuterRef("pk")))


def selection_criterion_save(
    *,
    actor: User,
    regional_program: RegionalProgram,
    criterion: SelectionCriterion | None = None,
    name: str,
    description: str = "",
    weight: int = 1,
    position: int = 0,
) -> SelectionCriterion:
    if not 1 <= weight <= 10:
        raise ValidationError({"weight": _("Vekten må være et heltall fra 1 til 10.")})
    with transaction.atomic():
        locked = criteria_locked(regional_program=regional_program)
        if locked and criterion is None:
            raise ValidationError(CRITERIA_LOCKED_MESSAGE)
        if locked and criterion is not None and criterion.weight != weight:
            raise ValidationError({"weight": CRITERIA_LOCKED_MESSAGE})
        if criterion is None:
            criterion = SelectionCriterion.objects.create(
                regional_program=regional_program,
                name=name,
                description=description,
                weight=weight,
                position=position,
            )
            audit_log(
                actor=actor,
                action="applications.criterion.created",
                obj=criterion,
                details={"weight": weight},
            )
        else:
            data = {"name": name, "description": description, "weight": weight, "position": position}
            changes = changed_fields(criterion, data)
            for key, value in data.items():
                setattr(criterion, key, value)
            criterion.save()
            audit_log(actor=actor, action="applications.criterion.updated", obj=criterion, details=changes)
    return criterion


def selection_criterion_delete(*, actor: User, criterion: SelectionCriterion) -> None:
    with transaction.atomic():
        if criteria_locked(regional_program=criterion.regional_program):
            raise ValidationError(CRITERIA_LOCKED_MESSAGE)
        audit_log(
            actor=actor,
            action="applications.criterion.deleted",
            obj=criterion,
            details={"name": criterion.name},
        )
        criterion.delete()


def application_deadline_extension_grant(
    *, actor: User, regional_program: RegionalProgram, municipality, deadline: dt.datetime, reason: str = ""
) -> ApplicationDeadlineExtension:
    if (
        not regional_program_municipalities(regional_program=regional_program)
        .filter(pk=municipality.pk)
        .exists()
    ):
        raise ValidationError(
            {"municipality": _("Kommunen er ikke en medlemskommune i dette regionale programmet.")}
        )
    with transaction.atomic():
        extension, created = ApplicationDeadlineExtension.objects.update_or_create(
            regional_program=regional_program,
            municipality=municipality,
            defaults={"deadline": deadline, "reason": reason, "granted_by": actor},
        )
        audit_log(
            actor=actor,
            action="applications.deadline_extension.granted",
            obj=extension,
            details={"municipality": municipality.name, "deadline": deadline, "new": created},
        )
        _reminders_replan(regional_program.pk)
    return extension


def application_deadline_extension_revoke(*, actor: User, extension: ApplicationDeadlineExtension) -> None:
    with transaction.atomic():
        audit_log(actor=actor, action="applications.deadline_extension.revoked", obj=extension)
        extension.delete()
        _reminders_replan(extension.regional_program_id)
