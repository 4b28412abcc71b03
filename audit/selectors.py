"""Reads of the audit trail. Only programme leadership reads the log."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet

from .models import AuditEntry
from .permissions import can_view_log


def entries_all(*, actor) -> QuerySet[AuditEntry]:
    if not can_view_log(actor):
        return AuditEntry.objects.none()
    return AuditEntry.objects.select_related("actor", "content_type").order_by("-at", "-id")


def entries_for_object(*, actor, obj=None, content_type: ContentType | None = None, object_id=None):
    """The history of one object, newest first: pass `obj`, or `content_type` and `object_id`."""
    if obj is not None:
        content_type = ContentType.objects.get_for_model(obj)
        object_id = obj.pk
    return entries_all(actor=actor).filter(content_type=content_type, object_id=str(object_id))


def entries_filtered(
    *, actor, person=None, person_search: str = "", action: str = "", date_from=None, date_to=None
):
    """The log filtered by who did it, an area ("accounts.") or one action code and Oslo calendar dates (both ends included)."""
    import datetime as dt

    from django.utils import timezone

    qs = entries_all(actor=actor)
    if person is not None:
        qs = qs.filter(actor=person)
    if person_search:
        qs = qs.filter(
            Q(actor__full_name__icontains=person_search) | Q(actor__email__icontains=person_search)
        )
    action = action.strip()
    if action.endswith("."):  # an app's area
        qs = qs.filter(action__startswith=action)
    elif action:
        qs = qs.filter(action=action)
    tz = timezone.get_default_timezone()
    if date_from:
        qs = qs.filter(at__gte=dt.datetime.combine(date_from, dt.time.min, tzinfo=tz))
    if date_to:
        qs = qs.filter(at__lt=dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min, tzinfo=tz))
    return qs
