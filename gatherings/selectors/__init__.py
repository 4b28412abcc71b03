"""Reads for views, tasks and reminders: already scoped to the acting user, already carrying their joins.

One module per business process; every name stays importable from `gatherings.selectors`."""

from __future__ import annotations

from .calendars import (
    gatherings_for_feed,
    is_registered_for_gatherings,
)
from .hand_ins import (
    WAITING_HAND_IN_DAYS,
    WaitingHandIn,
    hand_in_for,
    hand_ins_of_gathering,
    hand_ins_visible_to,
    hand_ins_waiting_for,
)
from .registrations import (
    GroupOverview,
    group_members,
    group_overview,
    groups_answered,
    groups_coordinated_by,
    groups_of,
    participant_totals,
    pre_registrations,
    registration_rows,
    registrations_by_member,
    registrations_of,
    waiting_list,
)
from .schedule import (
    cancelled_upcoming_for,
    gathering_for_people_lists_get,
    gathering_for_update,
    gathering_get,
    gatherings_of,
    gatherings_visible_to,
    semesters_of,
    upcoming_gatherings_for,
)
from .scope import (
    regional_program_get,
    regional_programs_for,
    visible_region_ids,
)

__all__ = [
    "GroupOverview",
    "WAITING_HAND_IN_DAYS",
    "WaitingHandIn",
    "cancelled_upcoming_for",
    "gathering_for_people_lists_get",
    "gathering_for_update",
    "gathering_get",
    "gatherings_for_feed",
    "gatherings_of",
    "gatherings_visible_to",
    "group_members",
    "group_overview",
    "groups_answered",
    "groups_coordinated_by",
    "groups_of",
    "hand_in_for",
    "hand_ins_of_gathering",
    "hand_ins_visible_to",
    "hand_ins_waiting_for",
    "is_registered_for_gatherings",
    "participant_totals",
    "pre_registrations",
    "regional_program_get",
    "regional_programs_for",
    "registration_rows",
    "registrations_by_member",
    "registrations_of",
    "semesters_of",
    "upcoming_gatherings_for",
    "visible_region_ids",
    "waiting_list",
]
