"""Interest (interessemelding): each branch's deadline, the branches a person may act for, the municipalities a
registration may name, and the registration itself."""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch, QuerySet

from accounts.permissions import role_scope
from municipalities.models import CountyBranch, Municipality

from ..models import InterestDeadlineExtension, InterestRegistration, Program
from ..permissions import can_manage_programs
from .common import first_or_404


def interest_deadline_for(*, program: Program, branch: CountyBranch) -> dt.datetime:
    """The branch's own deadline: its extension if leadership granted one, else the edition's deadline."""
    extension = (
        InterestDeadlineExtension.objects.filter(program=program, branch=branch).only("deadline").first()
    )
    return extension.deadline if extension else program.interest_deadline


def interest_deadlines(*, program: Program) -> dict[int, dt.datetime]:
    """Every active branch's deadline in one query pair (for sweeps over many branches)."""
    extensions = dict(
        InterestDeadlineExtension.objects.filter(program=program).values_list("branch_id", "deadline")
    )
    return {
        pk: extensions.get(pk, program.interest_deadline)
        for pk in CountyBranch.objects.filter(is_active=True).values_list("pk", flat=True)
    }


def branches_for_user(*, user) -> QuerySet[CountyBranch]:
    """Active branches the person may act for: all for leadership, their own for board members."""
    qs = CountyBranch.objects.filter(is_active=True).order_by("name")
    if can_manage_programs(user):
        return qs
    scope = role_scope(user)
    return qs.filter(pk__in=scope.branch_ids)


def branch_for_interest(*, user, branch_id: int) -> CountyBranch:
    """A branch whose interest the person may see (own board, or leadership); 404 otherwise."""
    return first_or_404(branches_for_user(user=user), pk=branch_id)


def branch_member_municipalities(*, branch: CountyBranch) -> QuerySet[Municipality]:
    """The member municipalities in the branch's counties: the only ones its registration may name."""
    return (
        Municipality.objects.filter(county__branch=branch, is_member=True)
        .select_related("county")
        .order_by("name")
    )


def branches_without_interest_registration(*, program: Program) -> QuerySet[CountyBranch]:
    """Active branches that have not registered interest for the edition (for reminders and the overview)."""
    return (
        CountyBranch.objects.filter(is_active=True)
        .exclude(interest_registrations__program=program)
        .order_by("name")
    )


def interest_registration_for(*, program: Program, branch: CountyBranch) -> InterestRegistration | None:
    return (
        InterestRegistration.objects.filter(program=program, branch=branch)
        .select_related("updated_by", "branch", "program")
        .prefetch_related(Prefetch("municipalities", queryset=Municipality.objects.order_by("name")))
        .first()
    )
