"""The dashboard panels: a board member's editions with answer, deadline and decision; leadership's editions with
their answer counts; upcoming dialogue meetings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from accounts.permissions import role_scope
from municipalities.models import CountyBranch
from municipalities.selectors import dashboard_branches

from ..models import (
    AnnualMeetingDecision,
    DialogueMeeting,
    DialogueMeetingStatus,
    InterestDeadlineExtension,
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


def board_dashboard(*, user) -> list[BoardEditionPanel]:
    """For each published edition and each of the person's branches: answer, deadline and decision."""
    scope = role_scope(user)
    if not scope.branch_ids:
        return []
    programs = list(
        Program.objects.filter(is_published=True)
        .only("name", "slug", "interest_deadline")
        .order_by("-interest_deadline")[:3]
    )
    if not programs:
        return []
    # In the database's Norwegian order (… Z, Æ, Ø, Å), as the branch panel above them lists them: that panel's
    # query, kept for the request, so no query of its own (a Python sort put Å before Æ and Ø).
    branches = [branch for branch in dashboard_branches(user=user) if branch.is_active]
    if not branches:
        return []
    registrations = {
        (r.program_id, r.branch_id): r
        for r in InterestRegistration.objects.filter(program__in=programs, branch__in=branches).only(
            "program", "branch", "level", "updated_at"
        )
    }
    extensions = {
        (program_id, branch_id): deadline
        for program_id, branch_id, deadline in InterestDeadlineExtension.objects.filter(
            program__in=programs, branch__in=branches
        ).values_list("program", "branch", "deadline")
    }
    decisions = {
        (d.program_id, d.branch_id): d
        for d in AnnualMeetingDecision.objects.filter(program__in=programs, branch__in=branches).only(
            "program", "branch"
        )
    }
    panels = []
    for program in programs:
        for branch in branches:
            extended_to = extensions.get((program.pk, branch.pk))
            panels.append(
                BoardEditionPanel(
                    program=program,
                    branch=branch,
                    registration=registrations.get((program.pk, branch.pk)),
                    deadline=extended_to or program.interest_deadline,
                    extended=extended_to is not None,
                    decision=decisions.get((program.pk, branch.pk)),
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
