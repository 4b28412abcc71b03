"""The advisor's secret calendar address: one per advisor, made and revoked with the shared `core.feeds`."""

from __future__ import annotations

from accounts.models import User
from core.feeds import feed_create, feed_revoke, feeds_of
from core.models import CalendarFeed

from ..feeds import ADVISOR


def calendar_feed_renew(*, actor: User) -> CalendarFeed:
    """Create the advisor's address, or replace it (the old address stops working). Only advisors may."""
    return feed_create(actor=actor, kind=ADVISOR)


def calendar_feed_revoke(*, actor: User) -> None:
    """The advisor's address stops working (nothing happens if there is none)."""
    for feed in feeds_of(actor, kinds=[ADVISOR]):
        feed_revoke(actor=actor, feed=feed)
