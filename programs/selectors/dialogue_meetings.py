"""Dialogue meetings (dialogmøter): the ones a person may see, all for leadership, their branches' for board
members."""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.permissions import role_scope

from ..models import DialogueMeeting, Program
from ..permissions import can_manage_programs
from .common import first_or_404


def dialogue_meetings_for(*, user, program: Program | None = None) -> QuerySet[DialogueMeeting]:
    """Dialogue meetings the person may see: all for leadership, their branches' for board members."""
    qs = DialogueMeeting.objects.select_related("program", "branch", "requested_by", "scheduled_by")
    if program is not None:
        qs = qs.filter(program=program)
    if not can_manage_programs(user):
        qs = qs.filter(branch_id__in=role_scope(user).branch_ids, program__is_published=True)
    return qs.order_by("status", "starts_at", "created_at")


def dialogue_meeting_get(*, user, pk: int) -> DialogueMeeting:
    return first_or_404(dialogue_meetings_for(user=user), pk=pk)
