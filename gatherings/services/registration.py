"""Registration with capacity and a waiting list, attendance, and the erasure of needs.

Capacity is never overbooked: every change that can take or free a place locks the gathering row first
(`select_for_update`), so two coordinators taking the last place in the same second are served one after
the other; the second finds it full and goes on the waiting list.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import is_leadership
from audit.services import audit_log
from core.dates import date_display
from programs.models import MunicipalGroup, MunicipalGroupMember

from ..models import Gathering, Registration, RegistrationStatus
from . import notices


@dataclass
class Answer:
    """One member's answer on the coordinator's page: status "" means not answered yet."""

    member: MunicipalGroupMember
    status: str
    dietary_needs: str = ""
    accessibility_needs: str = ""
    clear_needs: bool = False  # the coordinator removes what was registered (without ever seeing it)


@dataclass
class RegistrationResult:
    attending: list[str] = field(default_factory=list)
    waitlisted: list[str] = field(default_factory=list)
    not_attending: list[str] = field(default_factory=list)


def _lock(gathering: Gathering) -> Gathering:
    return (
        Gathering.objects.select_related("regional_program")
        .select_for_update(of=("self",))
        .get(pk=gathering.pk)
    )


def _check_open(actor, gathering: Gathering, now: dt.datetime) -> None:
    if gathering.is_cancelled:
        raise ValidationError(_("Samlingen er avlyst."))
    if is_leadership(actor):
        return  # leadership may correct the list after the deadline
    if not gathering.registration_open(now):
        raise ValidationError(_("Påmeldingsfristen er ute. Ta kontakt med programledelsen."))


def _free_places(gathering: Gathering) -> int | None:
    if gathering.capacity is None:
        return None
    taken = Registration.objects.filter(gathering=gathering, status=RegistrationStatus.ATTENDING).count()
    return max(0, gathering.capacity - taken)


def _take_place(row: Registration, gathering: Gathering, free: int | None, now: dt.datetime) -> int | None:
    """Attending if there is room, otherwise on the waiting list. Returns the places left."""
    if free is None or free > 0:
        row.status = RegistrationStatus.ATTENDING
        row.waitlisted_at = None
        return None if free is None else free - 1
    row.status = RegistrationStatus.WAITLISTED
    row.waitlisted_at = now
    return free


def group_registrations_save(
    *,
    actor,
    gathering: Gathering,
    group: MunicipalGroup,
    answers: list[Answer],
    now: dt.datetime | None = None,
) -> RegistrationResult:
    """The coordinator's answers for several members at once."""
    now = now or timezone.now()
    if group.regional_program_id != gathering.regional_program_id:
        raise ValidationError(_("Kommunegruppen hører ikke til dette regionale programmet."))
    result = RegistrationResult()
    with transaction.atomic():
        locked = _lock(gathering)
        _check_open(actor, locked, now)
        existing = {
            r.member_id: r
            for r in Registration.objects.select_for_update().filter(
                gathering=locked, group=group, member__isnull=False
            )
        }
        free = _free_places(locked)
        freed = False
        needs_cleared: list[str] = []
        for answer in answers:
            if answer.member.group_id != group.pk or answer.status not in RegistrationStatus.values:
                continue
            if answer.status == RegistrationStatus.WAITLISTED:
                continue  # only the system puts people on the waiting list
            row = existing.get(answer.member.pk)
            if row is None:
                row = Registration(
                    gathering=locked, group=group, member=answer.member, municipality_id=group.municipality_id
                )
            before = row.status if row.pk else ""
            row.name = answer.member.name
            row.email = answer.member.email
            row.sector = answer.member.sector
            row.registered_by = actor if getattr(actor, "is_authenticated", False) else None
            if answer.status == RegistrationStatus.ATTENDING:
                # the coordinator never sees stored needs again (leadership only): empty keeps them, unless
                # they asked to clear them; a new text replaces them
                if answer.clear_needs and row.has_needs:
                    row.dietary_needs = row.accessibility_needs = ""
                    needs_cleared.append(row.name)
                row.dietary_needs = answer.dietary_needs.strip()[:500] or row.dietary_needs
                row.accessibility_needs = answer.accessibility_needs.strip()[:500] or row.accessibility_needs
                if before not in (RegistrationStatus.ATTENDING, RegistrationStatus.WAITLISTED):
                    free = _take_place(row, locked, free, now)
            else:
                row.status = RegistrationStatus.NOT_ATTENDING
                row.waitlisted_at = None
                row.dietary_needs = row.accessibility_needs = ""
                freed = freed or before == RegistrationStatus.ATTENDING
            row.save()
            {
                RegistrationStatus.ATTENDING: result.attending,
                RegistrationStatus.WAITLISTED: result.waitlisted,
                RegistrationStatus.NOT_ATTENDING: result.not_attending,
            }[RegistrationStatus(row.status)].append(row.name)
        audit_log(
            actor=actor,
            action="gatherings.registration.saved",
            obj=locked,
            details={
                "municipality": group.municipality.name,
                "attending": result.attending,
                "waitlisted": result.waitlisted,
                "not_attending": result.not_attending,
                **({"needs_cleared": needs_cleared} if needs_cleared else {}),
            },
        )
        if freed:
            promote_waiting(gathering=locked, actor=actor)
    return result


def pre_registration_add(
    *, actor, gathering: Gathering, municipality, data: dict[str, Any], now: dt.datetime | None = None
) -> Registration:
    """A person sent to a pre-gathering by their municipality's contact or the branch's board."""
    now = now or timezone.now()
    if not gathering.is_pre_gathering:
        raise ValidationError(_("Bare presamlinger tar påmelding uten kommunegruppe."))
    email = (data.get("email") or "").strip().lower()
    with transaction.atomic():
        locked = _lock(gathering)
        _check_open(actor, locked, now)
        if (
            email
            and Registration.objects.filter(gathering=locked, municipality=municipality, email=email).exists()
        ):
            raise ValidationError({"email": _("Denne personen er allerede meldt på fra kommunen.")})
        row = Registration(
            gathering=locked,
            municipality=municipality,
            name=data["name"].strip(),
            email=email,
            sector=data.get("sector", ""),
            dietary_needs=(data.get("dietary_needs") or "").strip()[:500],
            accessibility_needs=(data.get("accessibility_needs") or "").strip()[:500],
            registered_by=actor,
        )
        _take_place(row, locked, _free_places(locked), now)
        row.save()
        audit_log(
            actor=actor,
            action="gatherings.registration.added",
            obj=locked,
            details={"municipality": municipality.name, "name": row.name, "status": row.status},
        )
    return row


def registration_withdraw(
    *, actor, registration: Registration, now: dt.datetime | None = None
) -> Registration:
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock(registration.gathering)
        _check_open(actor, locked, now)
        row = Registration.objects.select_for_update().get(pk=registration.pk)
        was_attending = row.status == RegistrationStatus.ATTENDING
        row.status = RegistrationStatus.NOT_ATTENDING
        row.waitlisted_at = None
        row.dietary_needs = row.accessibility_needs = ""
        row.save()
        audit_log(
            actor=actor,
            action="gatherings.registration.withdrawn",
            obj=locked,
            details={"municipality": row.municipality.name, "name": row.name},
        )
        if was_attending:
            promote_waiting(gathering=locked, actor=actor)
    return row


def promote_waiting(
    *, gathering: Gathering, actor=None, now: dt.datetime | None = None
) -> list[Registration]:
    """Fill free places from the waiting list, first come first served, and tell each one by e-mail.

    Must run inside a transaction that holds the gathering's row lock.
    """
    now = now or timezone.now()
    free = _free_places(gathering)
    if free == 0:
        return []
    waiting = (
        Registration.objects.select_for_update(of=("self",))
        .filter(gathering=gathering, status=RegistrationStatus.WAITLISTED)
        .select_related("registered_by")
        .order_by("waitlisted_at", "id")
    )
    promoted = list(waiting if free is None else waiting[:free])
    for row in promoted:
        row.status = RegistrationStatus.ATTENDING
        row.promoted_at = now
        row.waitlisted_at = None
        row.save(update_fields=["status", "promoted_at", "waitlisted_at", "updated_at"])
        audit_log(
            actor=actor,
            action="gatherings.registration.promoted",
            obj=gathering,
            details={"name": row.name},
        )
        row.gathering = gathering
        notices.promotion_send(row)
    return promoted


def attendance_mark(*, actor, registration: Registration, attended: bool | None) -> Registration:
    with transaction.atomic():
        row = Registration.objects.select_for_update().select_related("gathering").get(pk=registration.pk)
        if row.gathering.is_cancelled:
            raise ValidationError(_("Samlingen er avlyst."))
        if not row.gathering.attendance_is_open():
            raise ValidationError(
                _("Oppmøte kan registreres fra samlingens første dag, %(day)s.")
                % {"day": date_display(row.gathering.attendance_opens_on)}
            )
        if row.attended == attended:
            return row
        row.attended = attended
        row.attendance_marked_at = timezone.now()
        row.save(update_fields=["attended", "attendance_marked_at", "updated_at"])
        audit_log(
            actor=actor,
            action="gatherings.attendance.marked",
            obj=row.gathering,
            details={
                "name": row.name,
                "attended": attended,
            },
        )
    return row


def needs_erase_weeks() -> int:
    return int(getattr(settings, "GATHERINGS_NEEDS_ERASE_WEEKS", 4))


def needs_erase_due(*, now: dt.datetime | None = None) -> int:
    """Erase dietary and accessibility needs of gatherings that ended the configured weeks ago.

    Run daily by Celery beat; one audit row per gathering. Returns how many registrations were cleared.
    """
    now = now or timezone.now()
    cutoff = now - dt.timedelta(weeks=needs_erase_weeks())
    total = 0
    for gathering in Gathering.objects.filter(ends_at__lt=cutoff, needs_erased_at__isnull=True).order_by(
        "pk"
    ):
        with transaction.atomic():
            cleared = (
                Registration.objects.filter(gathering=gathering)
                .exclude(dietary_needs="", accessibility_needs="")
                .update(dietary_needs="", accessibility_needs="", updated_at=now)
            )
            Gathering.objects.filter(pk=gathering.pk).update(needs_erased_at=now)
            audit_log(
                actor=None,
                action="gatherings.needs.erased",
                obj=gathering,
                details={"count": cleared, "weeks": needs_erase_weeks()},
            )
        total += cleared
    return total
