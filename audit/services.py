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
    """What `data` would change on `instance`, as {field: {"fra": old, "til": new}} for the audit details."""
    changes = {}
    for name, new in data.items():
        old = getattr(instance, name, None)
        if isinstance(old, models.Model) or isinstance(new, models.Model):
            old_cmp, new_cmp = getattr(old, "pk", old), getattr(new, "pk", new)
        else:
            old_cmp, new_cmp = old, new
        if old_cmp != new_cmp:
            changes[name] = {"fra": _audit_value(old), "til": _audit_value(new)}
    return changes


def _audit_value(value: Any) -> Any:
    # A list stays a list (not its Python text "[10, 2]"), so the log can show it as «10, 2».
    if value is None:
        return None
    if isinstance(value, list | tuple):
        return [_audit_value(item) for item in value]
    return str(value)
