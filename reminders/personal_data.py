"""What this app stores about a person: the messages in the outbox addressed to them (see accounts.privacy).

Erasure keeps the rows (the outbox must stay exactly-once) but stops planned ones and removes the address,
the name and their mentions in the stored texts.
"""

from __future__ import annotations

import re
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.privacy import ERASED_NAME, Person, erased_email, register

from .models import CancelReason, Delivery, DeliveryState
from .occasions import occasion_label


def _rows(person: Person):
    match = Q(pk__in=[])
    if person.email:
        match |= Q(recipient_email__iexact=person.email)
    if person.user is not None:
        match |= Q(recipient_user=person.user)
    return Delivery.objects.filter(match)


def _when(value) -> str | None:
    return timezone.localtime(value).isoformat(timespec="minutes") if value else None


def export(person: Person) -> dict[str, Any]:
    return {
        "e-poster": [
            {
                "anledning": occasion_label(d.occasion),
                "til": d.recipient_email,
                "navn": d.recipient_name,
                "status": str(d.get_state_display()),
                "planlagt": _when(d.planned_at),
                "sendt": _when(d.sent_at),
                "emne": d.subject,
            }
            for d in _rows(person).order_by("planned_at", "id")
        ]
    }


def _scrub(value: Any, pattern: re.Pattern | None) -> Any:
    if pattern is None:
        return value
    if isinstance(value, str):
        return pattern.sub(str(ERASED_NAME), value)
    if isinstance(value, list):
        return [_scrub(v, pattern) for v in value]
    if isinstance(value, dict):
        return {k: _scrub(v, pattern) for k, v in value.items()}
    return value


def erase(person: Person, *, actor) -> int:
    texts = sorted({t for t in (person.email, person.name) if t and len(t) >= 3}, key=len, reverse=True)
    pattern = re.compile("|".join(re.escape(t) for t in texts), re.IGNORECASE) if texts else None
    rows = list(_rows(person))
    for row in rows:
        if row.state == DeliveryState.PLANNED:
            row.state, row.cancel_reason = DeliveryState.CANCELLED, CancelReason.MANUAL
        row.recipient_email = erased_email(f"utsending-{row.pk}")
        row.recipient_name = ""
        row.subject, row.body, row.html = (_scrub(v, pattern) for v in (row.subject, row.body, row.html))
        row.context = _scrub(row.context, pattern)
        row.last_error = _scrub(row.last_error, pattern)
    fields = ["state", "cancel_reason", "recipient_email", "recipient_name", "subject", "body", "html"]
    Delivery.objects.bulk_update(rows, [*fields, "context", "last_error"], batch_size=200)
    return len(rows)


register("reminders", label=_("Påminnelser"), export=export, erase=erase)
