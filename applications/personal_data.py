"""What this app stores about a person: proposed and actual group memberships, jury places, applications
they sent (see accounts.privacy)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.privacy import Person, register

from . import services
from .models import Application


def _sent(person: Person):
    if person.user is None:
        return Application.objects.none()
    user = person.user
    return Application.objects.filter(Q(created_by=user) | Q(submitted_by=user) | Q(text_updated_by=user))


def export(person: Person) -> dict[str, Any]:
    data: dict[str, Any] = services.personal_data_export(email=person.email) if person.email else {}
    data["søknader personen har skrevet eller sendt inn"] = [
        {"søknad": str(a), "status": str(a.get_status_display())}
        for a in _sent(person).select_related("municipality", "regional_program")
    ]
    return data


def erase(person: Person, *, actor) -> int:
    # The applications themselves belong to the municipality; they keep pointing at the anonymised account.
    return services.personal_data_erase(actor=actor, email=person.email) if person.email else 0


register("applications", label=_("Søknader og opptak"), export=export, erase=erase)
