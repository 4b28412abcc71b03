"""What this app stores about a person: contact person of interest registrations, municipal group members and
coordinators, dialogue-meeting requests (see accounts.privacy)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.privacy import ERASED_NAME, Person, erased_email, register

from .models import DialogueMeeting, InterestRegistration, MunicipalGroup, MunicipalGroupMember


def _registrations(person: Person):
    return (
        InterestRegistration.objects.filter(contact_email__iexact=person.email)
        if person.email
        else (InterestRegistration.objects.none())
    )


def _group_members(person: Person):
    return (
        MunicipalGroupMember.objects.filter(email__iexact=person.email)
        if person.email
        else (MunicipalGroupMember.objects.none())
    )


def _meetings(person: Person):
    match = Q(pk__in=[])
    if person.user is not None:
        match |= Q(requested_by=person.user)
    if person.name:
        match |= Q(requester_name__iexact=person.name)
    return DialogueMeeting.objects.filter(match)


def export(person: Person) -> dict[str, Any]:
    return {
        "kontaktperson for interessemelding": [
            {
                "programperiode": str(r.program),
                "fylkesavdeling": str(r.branch),
                "navn": r.contact_name,
                "e-post": r.contact_email,
                "telefon": r.contact_phone,
            }
            for r in _registrations(person).select_related("program", "branch")
        ],
        "kommunegruppe": [
            {
                "kommunegruppe": str(m.group),
                "navn": m.name,
                "e-post": m.email,
                "telefon": m.phone,
                "sektor": str(m.get_sector_display()),
                "stilling": m.role_title,
                "koordinator": m.is_coordinator,
            }
            for m in _group_members(person).select_related("group__municipality", "group__regional_program")
        ],
        "dialogmøter ønsket": [
            {
                "programperiode": str(m.program),
                "ønsket av": m.requester_name or str(m.branch or ""),
                "tema": m.topic,
                "ønsket": timezone.localtime(m.created_at).isoformat(timespec="minutes"),
            }
            for m in _meetings(person).select_related("program", "branch")
        ],
    }


def erase(person: Person, *, actor) -> int:
    changed = 0
    for registration in _registrations(person):
        registration.contact_name = str(ERASED_NAME)
        registration.contact_email = erased_email(f"kontakt-{registration.pk}")
        registration.contact_phone = ""
        registration.save(update_fields=["contact_name", "contact_email", "contact_phone"])
        changed += 1
    # Group members keep their place (counts and registrations hold) without name, address, phone or title.
    changed += _group_members(person).update(name=str(ERASED_NAME), email="", phone="", role_title="")
    if person.email:
        for group in MunicipalGroup.objects.filter(coordinator_email__iexact=person.email):
            group.coordinator_name, group.coordinator_email, group.coordinator_phone = (
                str(ERASED_NAME),
                "",
                "",
            )
            group.save(update_fields=["coordinator_name", "coordinator_email", "coordinator_phone"])
            changed += 1
    if person.name:
        changed += DialogueMeeting.objects.filter(requester_name__iexact=person.name).update(
            requester_name=str(ERASED_NAME)
        )
    return changed


register("programs", label=_("Program og interessemeldinger"), export=export, erase=erase)
