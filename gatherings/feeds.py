"""The calendar addresses this app offers (see `core.feeds`): all gatherings of one regional programme, or
the gatherings one person is registered for."""

from __future__ import annotations

from django.utils.translation import gettext as _

from audit.services import audit_log
from core.feeds import FeedKind, register
from core.models import CalendarFeed
from programs.models import RegionalProgram

from .calendar import gathering_event
from .selectors import gatherings_for_feed

REGION = "gatherings.region"
PERSON = "gatherings.person"
KINDS = (REGION, PERSON)

FEED_AUDIT = {
    "created": "gatherings.calendar_feed.created",
    "revoked": "gatherings.calendar_feed.revoked",
    "renewed": "gatherings.calendar_feed.renewed",
}


def region_name(feed: CalendarFeed) -> str:
    name = RegionalProgram.objects.filter(pk=feed.scope_id).values_list("name", flat=True).first()
    return name or _("Regionalt program som er slettet")


def events(feed: CalendarFeed):
    return [gathering_event(gathering) for gathering in gatherings_for_feed(feed)]


register(
    FeedKind(
        code=REGION,
        label=region_name,
        name=region_name,
        events=events,
        url_name="gatherings:feed",
        audit=FEED_AUDIT,
        log=audit_log,
    )
)
register(
    FeedKind(
        code=PERSON,
        label=lambda feed: _("Samlingene jeg er påmeldt"),
        name=lambda feed: _("Mine samlinger"),
        events=events,
        url_name="gatherings:feed",
        audit=FEED_AUDIT,
        log=audit_log,
    )
)
