"""Every write on guidance, one module per business process. Each service validates, owns its transaction and
writes its audit row."""

from .agreements import (
    AGREEMENT_FIELDS,
    AssignmentRow,
    agreement_create,
    agreement_decline,
    agreement_update,
    region_assign,
)
from .calendar import calendar_feed_renew, calendar_feed_revoke
from .plans import PLAN_FIELDS, plan_comment_add, plan_revise
from .sessions import SESSION_FIELDS, SessionResult, session_create, session_delete, session_update

__all__ = [
    "AGREEMENT_FIELDS",
    "PLAN_FIELDS",
    "SESSION_FIELDS",
    "AssignmentRow",
    "SessionResult",
    "agreement_create",
    "agreement_decline",
    "agreement_update",
    "calendar_feed_renew",
    "calendar_feed_revoke",
    "plan_comment_add",
    "plan_revise",
    "region_assign",
    "session_create",
    "session_delete",
    "session_update",
]
