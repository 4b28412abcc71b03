"""The dashboard panels: a board member's editions with answer, deadline and decision; leadership's editions with
their answer counts; upcoming dialogue meetings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Q
from django.utils import timezone

from accounts.permissions import role_scope
from core.sql import aware, id_list
from municipalities.models import CountyBranch
from municipalities.selectors import dashboard_branches

from ..models import (
    AnnualMeetingDecision,
    DialogueMeeting,
    DialogueMeetingStatus,
    InterestRegistration,
    Program,
)
from ..timing import deadline_is_open, time_left
from .dialogue_meetings import dialogue_meetings_for


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


def upcoming_dialogue_meetings(*, user) -> list[DialogueMeeting]:
    now = timezone.now()
    return list(
        dialogue_meetings_for(user=user)
        .select_related(None)
        .select_related("branch")  # what the panel shows of the meeting's relations (its counterpart)
        .only("status", "starts_at", "location", "video_link", "requester_name", "branch__name")
        .filter(
            Q(status=DialogueMeetingStatus.REQUESTED)
            | Q(status=DialogueMeetingStatus.SCHEDULED, starts_at__gte=now - dt.timedelta(hours=2))
        )
        .order_by("-status", "starts_at", "created_at")[:6]
    )


def active_branch_count() -> int:
    return CountyBranch.objects.filter(is_active=True).count()
