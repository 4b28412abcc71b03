"""What this app stores about a person (see accounts.privacy): contact persons named in agreements, and a
group member's presence in session logs. Session texts are the advisors' records of the municipality's work
and stay; the person's name and e-mail go. An advisor's calendar address (`core.models.CalendarFeed`) is
covered by accounts."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.privacy import ERASED_NAME, Person, erased_email, register

from .models import GuidanceAgreement, GuidanceSession


def _agreements(person: Person):
    if not person.email:
        return GuidanceAgreement.objects.none()
    return GuidanceAgreement.objects.filter(
        Q(municipal_contact_email__iexact=person.email) | Q(council_contact_email__iexact=person.email)
    )


def export(person: Person) -> dict[str, Any]:
    contacts = []
    for a in _agreements(person).select_related("municipality", "regional_program"):
        if a.municipal_contact_email.lower() == person.email.lower():
            contacts.append(
                {
                    "avtale": str(a),
                    "rolle": str(_("kontaktperson i kommunen")),
                    "navn": a.municipal_contact_name,
                    "e-post": a.municipal_contact_email,
                    "telefon": a.municipal_contact_phone,
                }
            )
        if a.council_contact_email.lower() == person.email.lower():
            contacts.append(
                {
                    "avtale": str(a),
                    "rolle": str(_("kontaktperson i Norsk kulturskoleråd")),
                    "navn": a.council_contact_name,
                    "e-post": a.council_contact_email,
                }
            )
    # Every part is a list of objects (the readable page shows each as a row of named values).
    data: dict[str, Any] = {"kontaktperson i veiledningsavtaler": contacts}
    if person.user is not None:
        data["veiledningsavtaler som veileder"] = [
            {"avtale": str(a)}
            for a in GuidanceAgreement.objects.filter(advisors=person.user).select_related(
                "municipality", "regional_program"
            )
        ]
        count = GuidanceSession.objects.filter(advisor=person.user).count()
        data["veiledningsmøter ført"] = [{"antall": count}] if count else []
    if person.email:
        data["deltaker i veiledningsmøter"] = [
            {"møte": str(s)}
            for s in GuidanceSession.objects.filter(participants__email__iexact=person.email)
            .select_related("agreement__municipality")
            .defer("internal_note")
            .distinct()
        ]
    return data


def erase(person: Person, *, actor) -> int:
    changed = 0
    if person.email:
        for a in _agreements(person):
            if a.municipal_contact_email.lower() == person.email.lower():
                a.municipal_contact_name = str(ERASED_NAME)
                a.municipal_contact_email = erased_email(f"veiledning-{a.pk}-k")
                a.municipal_contact_phone = ""
            if a.council_contact_email.lower() == person.email.lower():
                a.council_contact_name = str(ERASED_NAME)
                a.council_contact_email = erased_email(f"veiledning-{a.pk}-r")
            a.save(
                update_fields=[
                    "municipal_contact_name",
                    "municipal_contact_email",
                    "municipal_contact_phone",
                    "council_contact_name",
                    "council_contact_email",
                ]
            )
            changed += 1
    return changed


register("guidance", label=_("Veiledning"), export=export, erase=erase)
