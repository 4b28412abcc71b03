"""Agreements (leadership): create, change, decline, and the one page per region that assigns advisors and hours."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Role, User
from audit.services import audit_log, changed_fields

from ..models import GuidanceAgreement, Theme
from ..permissions import forget_advisor_scope

AGREEMENT_FIELDS = (
    "agreed_hours",
    "starts_on",
    "ends_on",
    "focus_themes",
    "agreement_text",
    "municipal_contact_name",
    "municipal_contact_email",
    "municipal_contact_phone",
    "council_contact_name",
    "council_contact_email",
    "remind_coordinator",
)


def _names(users: Iterable[User]) -> list[str]:
    return sorted(u.get_full_name() for u in users)


def _check_advisors(advisors: Iterable[User]) -> list[User]:
    advisors = list(advisors)
    ids = [a.pk for a in advisors]
    valid = set(
        User.objects.filter(pk__in=ids, is_active=True, role_assignments__role=Role.ADVISOR).values_list(
            "pk", flat=True
        )
    )
    if set(ids) - valid:
        raise ValidationError({"advisors": _("Bare aktive personer med rollen veileder kan være veiledere.")})
    return advisors


def _check_agreement(data: dict[str, Any]) -> None:
    if data["ends_on"] < data["starts_on"]:
        raise ValidationError({"ends_on": _("Perioden må slutte etter at den begynner.")})
    if Decimal(data["agreed_hours"]) < 0:
        raise ValidationError({"agreed_hours": _("Avtalte timer kan ikke være negativt.")})
    unknown = set(data.get("focus_themes") or []) - set(Theme.values)
    if unknown:
        raise ValidationError({"focus_themes": _("Ukjent tema.")})


def agreement_create(
    *, actor: User, regional_program, municipality, data: dict[str, Any], advisors: Iterable[User] = ()
) -> GuidanceAgreement:
    data = {k: data[k] for k in AGREEMENT_FIELDS if k in data}
    _check_agreement(data)
    advisors = _check_advisors(advisors)
    with transaction.atomic():
        if GuidanceAgreement.objects.filter(
            regional_program=regional_program, municipality=municipality
        ).exists():
            raise ValidationError(
                _("Kommunen har allerede en veiledningsavtale i dette regionale programmet.")
            )
        agreement = GuidanceAgreement.objects.create(
            regional_program=regional_program, municipality=municipality, **data
        )
        agreement.advisors.set(advisors)
        audit_log(
            actor=actor,
            action="guidance.agreement.created",
            obj=agreement,
            details={
                "agreed_hours": data.get("agreed_hours"),
                "starts_on": data["starts_on"],
                "ends_on": data["ends_on"],
                "advisors": _names(advisors),
            },
        )
    return agreement


def agreement_update(
    *, actor: User, agreement: GuidanceAgreement, data: dict[str, Any], advisors: Iterable[User] | None = None
) -> GuidanceAgreement:
    data = {k: data[k] for k in AGREEMENT_FIELDS if k in data}
    _check_agreement(
        {
            "starts_on": agreement.starts_on,
            "ends_on": agreement.ends_on,
            **{"agreed_hours": agreement.agreed_hours},
            **data,
        }
    )
    with transaction.atomic():
        agreement = GuidanceAgreement.objects.select_for_update().get(pk=agreement.pk)
        changes = changed_fields(agreement, data)
        for name, value in data.items():
            setattr(agreement, name, value)
        agreement.save()
        if advisors is not None:
            advisors = _check_advisors(advisors)
            before = _names(agreement.advisors.all())
            after = _names(advisors)
            if before != after:
                agreement.advisors.set(advisors)
                changes["advisors"] = {"from": before, "to": after}
        if changes:
            audit_log(actor=actor, action="guidance.agreement.updated", obj=agreement, details=changes)
    return agreement


def agreement_decline(
    *, actor: User, agreement: GuidanceAgreement, declined_on: dt.date | None, note: str = ""
) -> GuidanceAgreement:
    """Record that the municipality declined the offer (with the date), or undo it with `declined_on=None`."""
    with transaction.atomic():
        agreement = GuidanceAgreement.objects.select_for_update().get(pk=agreement.pk)
        was = agreement.declined_on
        agreement.declined_on = declined_on
        agreement.declined_note = note if declined_on else ""
        agreement.save(update_fields=["declined_on", "declined_note", "updated_at"])
        audit_log(
            actor=actor,
            action="guidance.agreement.declined" if declined_on else "guidance.agreement.decline_undone",
            obj=agreement,
            details={"declined_on": declined_on or was, "declined_note": note}
            if declined_on
            else {"declined_on": was},
        )
    return agreement


@dataclass(frozen=True)
class AssignmentRow:
    municipality: Any
    advisors: Sequence[User]
    agreed_hours: Decimal


def region_assign(
    *,
    actor: User,
    regional_program,
    rows: Sequence[AssignmentRow],
    starts_on: dt.date | None,
    ends_on: dt.date | None,
) -> int:
    """Leadership's one page for a region: advisors and hours per municipality. New agreements get the period.

    Returns how many agreements were created or changed. Rows with no advisor and no hours and no agreement
    yet are left alone.
    """
    existing = {
        a.municipality_id: a
        for a in GuidanceAgreement.objects.filter(regional_program=regional_program).prefetch_related(
            "advisors"
        )
    }
    touched = 0
    with transaction.atomic():
        for row in rows:
            if row.agreed_hours > 0 and not row.advisors:
                raise ValidationError(
                    _("%(m)s får timer, men ingen veileder. Velg minst én veileder.")
                    % {"m": row.municipality.name}
                )
            agreement = existing.get(row.municipality.pk)
            if agreement is None:
                if not row.advisors and not row.agreed_hours:
                    continue
                if starts_on is None or ends_on is None:
                    raise ValidationError(
                        _(
                            "Oppgi perioden for nye avtaler (fra og til) før du tildeler veiledere til nye kommuner."
                        )
                    )
                agreement_create(
                    actor=actor,
                    regional_program=regional_program,
                    municipality=row.municipality,
                    data={"agreed_hours": row.agreed_hours, "starts_on": starts_on, "ends_on": ends_on},
                    advisors=row.advisors,
                )
                touched += 1
                continue
            same_people = {a.pk for a in agreement.advisors.all()} == {a.pk for a in row.advisors}
            if same_people and agreement.agreed_hours == row.agreed_hours:
                continue
            agreement_update(
                actor=actor,
                agreement=agreement,
                data={"agreed_hours": row.agreed_hours},
                advisors=row.advisors,
            )
            touched += 1
    forget_advisor_scope(actor)
    return touched
