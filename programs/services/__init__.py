"""Every write of the programs app, one module per business process: editions, interest registrations,
dialogue meetings, annual-meeting decisions, regional programmes and their municipal groups. Import from here
or from the module."""

from .annual_meetings import annual_meeting_decision_record
from .dialogue_meetings import (
    MAX_OPEN_DIALOGUE_REQUESTS,
    dialogue_meeting_cancel,
    dialogue_meeting_request,
    dialogue_meeting_request_from_registration,
    dialogue_meeting_schedule,
)
from .editions import PROGRAM_FIELDS, program_create, program_publish, program_update
from .groups import (
    MAX_GROUP_MEMBERS,
    coordinator_claim,
    coordinator_current,
    group_member_cap_check,
    member_email_check,
    member_values,
    municipal_group_coordinator_sync,
    municipal_group_create,
    municipal_group_member_delete,
    municipal_group_member_save,
)
from .interest import (
    REGISTRATION_FIELDS,
    DeadlinePassed,
    RegistrationConflict,
    interest_deadline_extend,
    interest_registration_save,
)
from .regional_programs import regional_program_create

__all__ = [
    "MAX_GROUP_MEMBERS",
    "MAX_OPEN_DIALOGUE_REQUESTS",
    "PROGRAM_FIELDS",
    "REGISTRATION_FIELDS",
    "DeadlinePassed",
    "RegistrationConflict",
    "annual_meeting_decision_record",
    "coordinator_claim",
    "coordinator_current",
    "dialogue_meeting_cancel",
    "dialogue_meeting_request",
    "dialogue_meeting_request_from_registration",
    "dialogue_meeting_schedule",
    "group_member_cap_check",
    "interest_deadline_extend",
    "interest_registration_save",
    "member_email_check",
    "member_values",
    "municipal_group_coordinator_sync",
    "municipal_group_create",
    "municipal_group_member_delete",
    "municipal_group_member_save",
    "program_create",
    "program_publish",
    "program_update",
    "regional_program_create",
]
