import datetime as dt
import json
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from .models import AuditEntry


def _jsonable(details: dict[str, Any]) -> dict[str, Any]:
    # Dates, decimals and lazy strings become plain JSON so the row can always be stored.
    return json.loads(json.dumps(details, cls=DjangoJSONEncoder, default=str))


def audit_log(
    *, actor, action: str, obj: models.Model | None = None, details: dict[str, Any] | None = None
) -> AuditEntry:
    """Write one audit row. Call it inside the service's transaction so the change and its log commit together."""
    actor_obj = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        actor=actor_obj,
        action=action,
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:300] if obj is not None else "",
        details=_jsonable(details or {}),
    )


def changed_fields(instance: models.Model, data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """What `data` would change on `instance`, as {field: {"from": old, "to": new}} for the audit details.

    Texts are compared as a person reads them: a browser posts a textarea's line breaks as "\\r\\n" where the
    stored text has "\\n", and a form strips the ends, so such a text is not a change (`_text_compared`).
    Values keep their JSON type (text, number, true/false, null, list); a date or time becomes its ISO text
    and a related object its name. See `audit.registry` for the shape every app's details follow.
    """
    changes = {}
    for name, new in data.items():
        old = getattr(instance, name, None)
        if isinstance(old, models.Model) or isinstance(new, models.Model):
            old_cmp, new_cmp = getattr(old, "pk", old), getattr(new, "pk", new)
        elif isinstance(old, str) and isinstance(new, str):
            old_cmp, new_cmp = _text_compared(old), _text_compared(new)
        else:
            old_cmp, new_cmp = old, new
        if old_cmp != new_cmp:
            changes[name] = {"from": audit_value(old), "to": audit_value(new)}
    return changes


def _text_compared(value: str) -> str:
    """A text as it reads: line breaks as "\\n" (not "\\r\\n" or "\\r"), without spaces at its ends."""
    return value.replace("\r\n", "\n").replace("\r", "\n").strip()


def audit_value(value: Any) -> Any:
    """One value as JSON: a list stays a list (not its Python text "[10, 2]"), true stays true."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple | set | frozenset):
        return [audit_value(item) for item in value]
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return str(value)
