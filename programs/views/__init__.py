"""Thin views: scoped selector, form, one service, redirect. Out of scope answers 404.

One module per business process, mirroring `programs.services`."""

from .annual_meetings import annual_meeting_decision
from .dialogue_meetings import (
    dialogue_meeting_calendar,
    dialogue_meeting_cancel,
    dialogue_meeting_list,
    dialogue_meeting_request,
    dialogue_meeting_schedule,
)
from .editions import (
    program_create,
    program_detail,
    program_list,
    program_public,
    program_publish,
    program_update,
)
from .interest import interest_deadline_extend, interest_registration
from .regional_programs import regional_program_list
from .temperature import temperature, temperature_export

__all__ = [
    "annual_meeting_decision",
    "dialogue_meeting_calendar",
    "dialogue_meeting_cancel",
    "dialogue_meeting_list",
    "dialogue_meeting_request",
    "dialogue_meeting_schedule",
    "interest_deadline_extend",
    "interest_registration",
    "program_create",
    "program_detail",
    "program_list",
    "program_public",
    "program_publish",
    "program_update",
    "regional_program_list",
    "temperature",
    "temperature_export",
]
