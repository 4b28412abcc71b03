"""The log's part of a person's data: what they did and what was done to their account (see accounts.privacy).

Erasure keeps every entry (the trail must stay) but replaces the person's name and address in them.
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.privacy import ERASED_NAME, Person, register

from .models import AuditEntry
from .rendering import action_label

MIN_NAME_LENGTH = 3  # a shorter "name" would blank unrelated text


def _entries(person: Person):
    match = Q(pk__in=[])
    for text in _texts(person):
        match |= Q(object_repr__icontains=text) | Q(details__icontains=text)
    if person.user is not None:
        match |= Q(actor=person.user)
        match |= Q(content_type=ContentType.objects.get_for_model(person.user), object_id=str(person.user.pk))
    return AuditEntry.objects.filter(match)


def _texts(person: Person) -> list[str]:
    texts = [t.strip() for t in [person.email, person.name] if t and len(t.strip()) >= MIN_NAME_LENGTH]
    return sorted(set(texts), key=len, reverse=True)  # the longer first: "Kari Nordmann" before "Kari"


def export(person: Person) -> dict[str, Any]:
    entries = _entries(person).order_by("at", "id")
    return {
        "logg": [
            {
                "tidspunkt": timezone.localtime(e.at).isoformat(timespec="minutes"),
                "handling": action_label(e.action),
                "utført av personen": person.user is not None and e.actor_id == person.user.pk,
                "objekt": e.object_repr,
            }
            for e in entries
        ]
    }


def _scrub(value: Any, pattern: re.Pattern) -> Any:
    if isinstance(value, str):
        return pattern.sub(str(ERASED_NAME), value)
    if isinstance(value, list):
        return [_scrub(v, pattern) for v in value]
    if isinstance(value, dict):
        return {k: _scrub(v, pattern) for k, v in value.items()}
    return value


def erase(person: Person, *, actor) -> int:
    texts = _texts(person)
    if not texts:
        return 0
    pattern = re.compile("|".join(re.escape(t) for t in texts), re.IGNORECASE)
    changed = []
    for entry in _entries(person).only("id", "object_repr", "details"):
        repr_, details = pattern.sub(str(ERASED_NAME), entry.object_repr), _scrub(entry.details, pattern)
        if repr_ != entry.object_repr or details != entry.details:
            entry.object_repr, entry.details = repr_, details
            changed.append(entry)
    AuditEntry.objects.bulk_update(changed, ["object_repr", "details"], batch_size=500)
    return len(changed)


register("audit", label=_("Logg"), export=export, erase=erase, order=100)
