"""The calendar address this app offers (see `core.feeds`): an advisor's planned guidance meetings, one address
per advisor. It holds what the municipality may see too, never the internal note."""

from __future__ import annotations

from django.utils.translation import gettext as _

from audit.services import audit_log
from core.feeds import FeedKind, register
from core.models import CalendarFeed

from .calendar import planned_session_event
from .permissions import is_guidance_advisor
from .selectors import planned_sessions_for_feed

ADVISOR = "guidance.advisor"
KINDS = (ADVISOR,)


def events(feed: CalendarFeed):
    return [planned_session_event(session) for session in planned_sessions_for_feed(user=feed.owner)]


register(
    FeedKind(
        code=ADVISOR,
        label=lambda feed: _("Veiledningsmøtene mine"),
        name=lambda feed: _("Veiledningsmøter – %(name)s") % {"name": feed.owner.get_full_name()},
        events=events,
        url_name="guidance:calendar_feed",
        audit={
            "created": "guidance.calendar_feed.created",
            "revoked": "guidance.calendar_feed.revoked",
            "renewed": "guidance.calendar_feed.renewed",
        },
        log=audit_log,
        may_own=is_guidance_advisor,
        one_per_owner=True,
        max_age=300,
    )
)
