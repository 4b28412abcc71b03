"""Secret calendar addresses: create, revoke, renew (revoke and a new address in one step)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from audit.services import audit_log

from ..models import CalendarFeed


def feed_create(*, actor, regional_program=None) -> CalendarFeed:
    with transaction.atomic():
        feed = CalendarFeed.objects.create(owner=actor, regional_program=regional_program)
        audit_log(actor=actor, action="gatherings.calendar_feed.created", obj=feed)
    return feed


def feed_revoke(*, actor, feed: CalendarFeed) -> None:
    with transaction.atomic():
        CalendarFeed.objects.filter(pk=feed.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
        audit_log(actor=actor, action="gatherings.calendar_feed.revoked", obj=feed)


def feed_renew(*, actor, feed: CalendarFeed) -> CalendarFeed:
    with transaction.atomic():
        feed_revoke(actor=actor, feed=feed)
        new = CalendarFeed.objects.create(owner=feed.owner, regional_program=feed.regional_program)
        audit_log(actor=actor, action="gatherings.calendar_feed.renewed", obj=new)
    return new
