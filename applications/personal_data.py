"""What this app stores about a person: proposed group memberships in applications, jury places, and the
applications they wrote or sent (see accounts.privacy). Municipal groups are the programme's: programs/."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.privacy import ERASED_NAME, Person, erased_email, register

from .models import Application, ApplicationGroupMember, JuryMember


def _proposed(person: Person):
    return (
        ApplicationGroupMember.objects.filter(email__iexact=person.email)
        if person.email
        else (ApplicationGroupMember.objects.none())
    )


def _jury(person: Person):
    match = Q(email__iexact=person.email) if person.email else Q(pk__in=[])
    if person.user is not None:
        match |= Q(user=person.user)
    return JuryMember.objects.filter(match)


def _written(person: Person):
    if person.user is None:
        return Application.objects.none()
    user = person.user
    return Application.objects.filter(Q(created_by=user) | Q(submitted_by=user) | Q(text_updated_by=user))


def export(person: Person) -> dict[str, Any]:
    return {
        "foreslått kommunegruppe": [
            {
                "søknad": str(m.application),
                "navn": m.name,
                "e-post": m.email,
                "telefon": m.phone,
                "sektor": str(m.get_sector_display()),
                "stilling": m.role_title,
                "koordinator": m.is_coordinator,
            }
            for m in _proposed(person).select_related(
                "application__municipality", "application__regional_program"
            )
        ],
        "jury": [
            {"regionalt program": str(j.regional_program), "navn": j.full_name, "e-post": j.email}
            for j in _jury(person).select_related("regional_program")
        ],
        "søknader personen har skrevet eller sendt inn": [
            {"søknad": str(a), "status": str(a.get_status_display())}
            for a in _written(person).distinct().select_related("municipality", "regional_program")
        ],
    }


def erase(person: Person, *, actor) -> int:
    """Proposed members lose name, address, phone and title (the rows stay, so the application reads whole);
    jury places keep their reviews (the selection must stay explainable) but lose the name. The applications
    belong to the municipality and keep pointing at the anonymised account."""
    changed = _proposed(person).update(name=str(ERASED_NAME), email="", phone="", role_title="")
    for member in _jury(person):
        member.full_name = str(ERASED_NAME)
        member.email = erased_email(f"jury-{member.pk}")
        member.save(update_fields=["full_name", "email"])
        changed += 1
    return changed


register("applications", label=_("Søknader og opptak"), export=export, erase=erase)
