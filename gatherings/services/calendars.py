"""Secret calendar addresses: the shared services of `core.feeds`; this app only says which kind to make."""

from __future__ import annotations

from core.feeds import feed_create as _feed_create
from core.feeds import feed_renew, feed_revoke
from core.models import CalendarFeed

from ..feeds import PERSON, REGION

__all__ = ["feed_create", "feed_renew", "feed_revoke"]


def feed_create(*, actor, regional_program=None) -> CalendarFeed:
    """All gatherings of `regional_program`, or (without one) the gatherings `actor` is registered for."""
    if regional_program is None:
        return _feed_create(actor=actor, kind=PERSON)
    return _feed_create(actor=actor, kind=REGION, scope_id=regional_program.pk)
