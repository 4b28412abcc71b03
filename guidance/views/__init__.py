"""Thin views: scoped selector, form, one service, redirect. Out of scope answers 404. One module per process."""

from .agreements import (
    agreement_create,
    agreement_decline,
    agreement_detail,
    agreement_update,
    home,
    region_assign,
)
from .calendar import calendar_feed, calendar_settings
from .overview import overview, overview_export
from .plans import plan_comment, plan_detail, plan_revise
from .sessions import session_create, session_delete, session_update

__all__ = [
    "agreement_create",
    "agreement_decline",
    "agreement_detail",
    "agreement_update",
    "calendar_feed",
    "calendar_settings",
    "home",
    "overview",
    "overview_export",
    "plan_comment",
    "plan_detail",
    "plan_revise",
    "region_assign",
    "session_create",
    "session_delete",
    "session_update",
]
