"""Reads of the programs app, already scoped and prefetched, one module per business process: editions,
interest, the temperaturmåling, dialogue meetings, annual meetings, regional programmes, municipal groups and the
dashboard panels. Import from here or from the module."""

from .annual_meetings import annual_meeting_decision_for, confirmed_branches
from .dashboards import (
    BoardEditionPanel,
    active_branch_count,
    board_dashboard,
    leadership_dashboard_programs,
    upcoming_dialogue_meetings,
)
from .dialogue_meetings import dialogue_meeting_get, dialogue_meetings_for
from .editions import program_get, program_list, published_program_by_slug
from .groups import group_rows_of, municipal_groups_of, municipal_groups_visible_to
from .interest import (
    branch_for_interest,
    branch_member_municipalities,
    branches_for_user,
    branches_without_interest_registration,
    interest_deadline_for,
    interest_deadlines,
    interest_registration_for,
)
from .regional_programs import (
    confirmed_branches_without_region,
    regional_program_municipalities,
    regional_programs_for,
)
from .temperature import (
    NOT_ANSWERED,
    STATUS_LABELS,
    STATUS_ORDER,
    TEMPERATURE_STATUS_FILTERS,
    BranchStatus,
    CountyCell,
    TemperatureOverview,
    interest_registrations_for_export,
    temperature_overview,
)

__all__ = [
    "NOT_ANSWERED",
    "STATUS_LABELS",
    "STATUS_ORDER",
    "TEMPERATURE_STATUS_FILTERS",
    "BoardEditionPanel",
    "BranchStatus",
    "CountyCell",
    "TemperatureOverview",
    "active_branch_count",
    "annual_meeting_decision_for",
    "board_dashboard",
    "branch_for_interest",
    "branch_member_municipalities",
    "branches_for_user",
    "branches_without_interest_registration",
    "confirmed_branches",
    "confirmed_branches_without_region",
    "dialogue_meeting_get",
    "dialogue_meetings_for",
    "interest_deadline_for",
    "interest_deadlines",
    "interest_registration_for",
    "interest_registrations_for_export",
    "leadership_dashboard_programs",
    "group_rows_of",
    "municipal_groups_of",
    "municipal_groups_visible_to",
    "program_get",
    "program_list",
    "published_program_by_slug",
    "regional_program_municipalities",
    "regional_programs_for",
    "temperature_overview",
    "upcoming_dialogue_meetings",
]
