"""The dashboard panels: a board member's editions with answer, deadline and decision; leadership's editions with
their answer counts; upcoming dialogue meetings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Q
from django.utils import timezone

from accounts.permissions import role_scope
from core.sql import aware, id_list, moment
from municipalities.models import CountyBranch
from municipalities.selectors import dashboard_branches

from ..models import (
    AnnualMeetingDecision,
    DialogueMeeting,
    DialogueMeetingStatus,
    InterestRegistration,
    Program,
)
from ..permissions import can_manage_programs
from ..timing import deadline_is_open, time_left


@dataclass
class BoardEditionPanel:
    program: Program
    branch: CountyBranch
    registration: InterestRegistration | None
    deadline: dt.datetime
    extended: bool
    decision: AnnualMeetingDecision | None

    @property
    def is_open(self) -> bool:
        return deadline_is_open(self.deadline)

    @property
    def time_left(self) -> dt.timedelta:
        return time_left(self.deadline)


# The three newest published editions, each with every one of the person's branches and that branch's answer,
# extended deadline and annual meeting decision (at most one of each: unique per edition and branch). Written out:
# four ORM queries (the editions, then one per table) cost more to build than the database took to answer.
# tests/programs/test_selectors.py compares it with those queries.
_BOARD_PANELS_SQL = (
    "SELECT p.id, p.name, p.slug, p.interest_deadline, b.id, r.id, r.level, r.updated_at, x.deadline, d.id"
    " FROM (SELECT id, name, slug, interest_deadline FROM programs_program WHERE is_published"
    "  ORDER BY interest_deadline DESC, id LIMIT 3) p"
    " CROSS JOIN municipalities_countybranch b"
    " LEFT JOIN programs_interestregistration r ON r.program_id = p.id AND r.branch_id = b.id"
    " LEFT JOIN programs_interestdeadlineextension x ON x.program_id = p.id AND x.branch_id = b.id"
    " LEFT JOIN programs_annualmeetingdecision d ON d.program_id = p.id AND d.branch_id = b.id"
    " WHERE b.id IN {branches}"
    " ORDER BY p.interest_deadline DESC, p.id"
)


def board_dashboard(*, user) -> list[BoardEditionPanel]:
    """For each published edition and each of the person's branches: answer, deadline and decision."""
    scope = role_scope(user)
    if not scope.branch_ids:
        return []
    # In the database's Norwegian order (… Z, Æ, Ø, Å), as the branch panel above them lists them: that panel's
    # query, kept for the request, so no query of its own (a Python sort put Å before Æ and Ø).
    branches = [branch for branch in dashboard_branches(user=user) if branch.is_active]
    if not branches:
        return []
    placeholders, params = id_list(branch.pk for branch in branches)
    with connection.cursor() as cursor:
        cursor.execute(_BOARD_PANELS_SQL.format(branches=placeholders), params)
        rows = cursor.fetchall()
    alias = connection.alias
    programs: dict[int, Program] = {}
    found: dict[tuple[int, int], tuple] = {}
    for program_id, name, slug, interest_deadline, branch_id, *rest in rows:
        if program_id not in programs:
            programs[program_id] = Program.from_db(
                alias,
                ["id", "name", "slug", "interest_deadline"],
                [program_id, name, slug, aware(interest_deadline)],
            )
        found[(program_id, branch_id)] = tuple(rest)
    panels = []
    for program in programs.values():
        for branch in branches:
            registration_id, level, updated_at, extended_to, decision_id = found[(program.pk, branch.pk)]
            extended_to = aware(extended_to)
            panels.append(
                BoardEditionPanel(
                    program=program,
                    branch=branch,
                    registration=None
                    if registration_id is None
                    else InterestRegistration.from_db(
                        alias,
                        ["id", "program_id", "branch_id", "level", "updated_at"],
                        [registration_id, program.pk, branch.pk, level, aware(updated_at)],
                    ),
                    deadline=extended_to or program.interest_deadline,
                    extended=extended_to is not None,
                    decision=None
                    if decision_id is None
                    else AnnualMeetingDecision.from_db(
                        alias, ["id", "program_id", "branch_id"], [decision_id, program.pk, branch.pk]
                    ),
                )
            )
    return panels


def leadership_dashboard_programs() -> list[Program]:
    """Editions with their answer counts for the leadership panel (newest first)."""
    return list(
        Program.objects.only("name", "is_published", "interest_deadline")
        .annotate(
            registration_count=Count("interest_registrations", distinct=True),
            yes_count=Count(
                "interest_registrations", filter=Q(interest_registrations__level="yes"), distinct=True
            ),
        )
        .order_by("-interest_deadline")[:4]
    )


# The dashboard's dialogue meetings: those asked for, and those scheduled that have not long begun, with only what
# the panel shows (status, time, place, the counterpart's name); board members see their branches' meetings of
# published editions. Written out: the ORM built it in several times what the database took.
# tests/programs/test_selectors.py holds it to `dialogue_meetings_for` and its filters.
_UPCOMING_MEETINGS_SQL = (
    "SELECT dm.id, dm.program_id, dm.branch_id, dm.requester_name, dm.status, dm.starts_at, dm.location,"
    " dm.video_link, b.name"
    " FROM programs_dialoguemeeting dm"
    " INNER JOIN programs_program p ON p.id = dm.program_id"
    " LEFT JOIN municipalities_countybranch b ON b.id = dm.branch_id"
    " WHERE (dm.status = %s OR (dm.status = %s AND dm.starts_at >= %s)){scope}"
    " ORDER BY dm.status DESC, dm.starts_at, dm.created_at, dm.id LIMIT 6"
)


def upcoming_dialogue_meetings(*, user) -> list[DialogueMeeting]:
    """The dialogue meetings the person may see (`dialogue_meetings_for`) that are asked for or coming."""
    now = timezone.now()
    scope = ""
    params: list[int] = []
    if not can_manage_programs(user):
        placeholders, params = id_list(role_scope(user).branch_ids)
        scope = f" AND dm.branch_id IN {placeholders} AND p.is_published"
    with connection.cursor() as cursor:
        cursor.execute(
            _UPCOMING_MEETINGS_SQL.format(scope=scope),
            [
                DialogueMeetingStatus.REQUESTED.value,
                DialogueMeetingStatus.SCHEDULED.value,
                moment(now - dt.timedelta(hours=2)),
                *params,
            ],
        )
        rows = cursor.fetchall()
    alias = connection.alias
    fields = [
        "id",
        "program_id",
        "branch_id",
        "requester_name",
        "status",
        "starts_at",
        "location",
        "video_link",
    ]
    meetings = []
    for *values, branch_name in rows:
        values[5] = aware(values[5])
        meeting = DialogueMeeting.from_db(alias, fields, values)
        meeting.branch = (
            None
            if meeting.branch_id is None
            else CountyBranch.from_db(alias, ["id", "name"], [meeting.branch_id, branch_name])
        )
        meetings.append(meeting)
    return meetings


def active_branch_count() -> int:
    return CountyBranch.objects.filter(is_active=True).count()
