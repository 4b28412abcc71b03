"""Reads of the outbox for leadership's pages, already scoped and with what the templates show loaded."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from programs.models import Program

from .models import Delivery, DeliveryState
from .permissions import can_manage_reminders


def deliveries_visible_to(user) -> QuerySet[Delivery]:
    if not can_manage_reminders(user):
        return Delivery.objects.none()
    return Delivery.objects.select_related("program")


def programs_for_reminders(user) -> QuerySet[Program]:
    if not can_manage_reminders(user):
        return Program.objects.none()
    return Program.objects.order_by("-interest_deadline")


def _in_program(qs: QuerySet[Delivery], program: Program | None) -> QuerySet[Delivery]:
    return qs.filter(program=program) if program is not None else qs


def deliveries_upcoming(user, *, program: Program | None = None, limit: int = 100) -> list[Delivery]:
    qs = deliveries_visible_to(user).filter(state=DeliveryState.PLANNED)
    return list(_in_program(qs, program).order_by("next_attempt_at", "id")[:limit])


def deliveries_failing(user, *, program: Program | None = None, limit: int = 100) -> list[Delivery]:
    """Failed for good, and planned ones that have failed at least once and are waiting to retry."""
    qs = deliveries_visible_to(user).filter(
        Q(state=DeliveryState.FAILED) | Q(state=DeliveryState.PLANNED, attempts__gt=0)
    )
    return list(_in_program(qs, program).order_by("-updated_at", "-id")[:limit])


def deliveries_sent(user, *, program: Program | None = None, limit: int = 50) -> list[Delivery]:
    qs = deliveries_visible_to(user).filter(state=DeliveryState.SENT)
    return list(_in_program(qs, program).order_by("-sent_at", "-id")[:limit])


def deliveries_not_sent(user, *, program: Program | None = None, limit: int = 50) -> list[Delivery]:
    """Skipped (the condition no longer held), missed (found too late) and cancelled rows."""
    qs = deliveries_visible_to(user).filter(
        state__in=[DeliveryState.SKIPPED, DeliveryState.MISSED, DeliveryState.CANCELLED]
    )
    return list(_in_program(qs, program).order_by("-updated_at", "-id")[:limit])


def delivery_counts(user, *, program: Program | None = None) -> dict[str, int]:
    """How many rows in each state, plus how many are planned within the next seven days; one query."""
    week = timezone.now() + timezone.timedelta(days=7)
    qs = _in_program(deliveries_visible_to(user), program)
    aggregates = {state: Count("id", filter=Q(state=state)) for state in DeliveryState.values}
    aggregates["next_week"] = Count("id", filter=Q(state=DeliveryState.PLANNED, next_attempt_at__lte=week))
    aggregates["retrying"] = Count("id", filter=Q(state=DeliveryState.PLANNED, attempts__gt=0))
    return qs.aggregate(**aggregates)
