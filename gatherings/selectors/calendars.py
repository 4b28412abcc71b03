"""What the calendar feeds (`gatherings.feeds`) hold."""

from __future__ import annotations

from django.db.models import QuerySet

from core.models import CalendarFeed

from ..models import Gathering, Registration, RegistrationStatus
from .scope import _visible, regional_programs_for


def gatherings_for_feed(feed: CalendarFeed) -> QuerySet[Gathering]:
    """A programme feed (its `scope_id` is the region): the region's gatherings, if the owner still may see the
    region. A person feed: the gatherings the owner is registered for (attending or waiting), matched by e-mail."""
    qs = Gathering.objects.select_related("regional_program", "host_municipality").order_by("starts_at", "id")
    if feed.scope_id:
        if not regional_programs_for(feed.owner).filter(pk=feed.scope_id).exists():
            return qs.none()
        return _visible(qs.filter(regional_program_id=feed.scope_id), feed.owner)
    ids = Registration.objects.filter(
        email__iexact=feed.owner.email,
        status__in=[RegistrationStatus.ATTENDING, RegistrationStatus.WAITLISTED],
    ).values("gathering_id")
    return qs.filter(pk__in=ids)


def is_registered_for_gatherings(user) -> bool:
    """Whether `user` is registered (attending or waiting) for any gathering: what their person feed holds."""
    return Registration.objects.filter(
        email__iexact=user.email,
        status__in=[RegistrationStatus.ATTENDING, RegistrationStatus.WAITLISTED],
    ).exists()
