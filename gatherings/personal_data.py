"""What this app stores about a person: their registrations for gatherings (name, e-mail, needs, attendance)
(see accounts.privacy). Their calendar addresses are `core.models.CalendarFeed`, covered by accounts."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from accounts.privacy import ERASED_NAME, Person, register

from .models import Registration


def _registrations(person: Person):
    if not person.email:
        return Registration.objects.none()
    return Registration.objects.filter(email__iexact=person.email)


def export(person: Person) -> dict[str, Any]:
    attended = {True: "ja", False: "nei", None: ""}
    data: dict[str, Any] = {
        "påmeldinger til samlinger": [
            {
                "samling": str(r.gathering),
                "kommune": r.municipality.name,
                "navn": r.name,
                "e-post": r.email,
                "svar": str(r.get_status_display()),
                "allergier og kosthold": r.dietary_needs,
                "tilrettelegging": r.accessibility_needs,
                "møtte": attended[r.attended],
            }
            for r in _registrations(person).select_related("gathering", "municipality")
        ]
    }
    return data


def erase(person: Person, *, actor) -> int:
    # The rows stay (counts per municipality hold); who it was and their needs go.
    changed = _registrations(person).update(
        name=str(ERASED_NAME), email="", dietary_needs="", accessibility_needs="", member=None
    )
    return changed


register("gatherings", label=_("Samlinger og mellomarbeid"), export=export, erase=erase)
