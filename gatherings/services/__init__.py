"""Every write of the gatherings app, one module per business process."""

from .calendars import feed_create, feed_renew, feed_revoke
from .hand_ins import (
    DRAFT_FIELDS,
    TEXT_FIELDS,
    HandInConflict,
    hand_in_draft_key,
    hand_in_file_add,
    hand_in_file_delete,
    hand_in_save,
)
from .registration import (
    Answer,
    RegistrationResult,
    attendance_mark,
    group_registrations_save,
    needs_erase_due,
    pre_registration_add,
    promote_waiting,
    registration_withdraw,
)
from .scheduling import (
    GATHERING_FIELDS,
    SEMESTER_FIELDS,
    gathering_cancel,
    gathering_draft,
    gathering_file_add,
    gathering_file_delete,
    gathering_schedule,
    gathering_update,
    semester_save,
)

__all__ = [
    "DRAFT_FIELDS",
    "hand_in_draft_key",
    "GATHERING_FIELDS",
    "SEMESTER_FIELDS",
    "TEXT_FIELDS",
    "Answer",
    "HandInConflict",
    "RegistrationResult",
    "attendance_mark",
    "feed_create",
    "feed_renew",
    "feed_revoke",
    "gathering_cancel",
    "gathering_draft",
    "gathering_file_add",
    "gathering_file_delete",
    "gathering_schedule",
    "gathering_update",
    "group_registrations_save",
    "hand_in_file_add",
    "hand_in_file_delete",
    "hand_in_save",
    "needs_erase_due",
    "pre_registration_add",
    "promote_waiting",
    "registration_withdraw",
    "semester_save",
]
