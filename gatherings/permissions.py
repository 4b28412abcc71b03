"""Who may do what with gatherings. Views and selectors both ask these; anything out of scope answers 404.

- Leadership schedules, sees participants and their needs, marks attendance, sees every hand-in.
- A board member of the region's branch sees the participant list per municipality, without the needs.
- A municipal contact of a municipality with a group in the regional programme (admitted: its application was
  accepted) is its coordinator here: sees the region's gatherings, registers the group's members and hands in
  the between-work.
- A pre-gathering comes before any group: the contacts of the region's member municipalities and the board
  members of the region's branches register the people they send. A contact whose municipality has no group
  (its application is a draft, submitted, declined…) sees the region's pre-gatherings and nothing else of it.
- An advisor sees the regions of their guidance agreements and every hand-in of the municipalities they
  advise (the group's advisor), shared or not.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import rules
from django.db import connection
from django.db.models import Q

from accounts.permissions import has_any_role, is_advisor, is_leadership, role_scope
from core.sql import id_list

from .models import GatheringKind


def region_branch_ids(regional_program) -> set[int]:
    cached = getattr(regional_program, "_branch_ids", None)
    if cached is None:
        cached = set(regional_program.branches.values_list("pk", flat=True))
        regional_program._branch_ids = cached
    return cached


@rules.predicate
def coordinates_group(user, group) -> bool:
    """The group's municipality's contact: registers members and hands in between-work for it."""
    return group is not None and group.municipality_id in role_scope(user).municipality_ids


@rules.predicate
def registers_for_pre_gathering(user, pair) -> bool:
    """(gathering, municipality): the municipality's contact, or a board member of the region's branch
    that covers it. The municipality must be a member municipality of the region (checked by the caller)."""
    gathering, municipality = pair
    scope = role_scope(user)
    if municipality.pk in scope.municipality_ids:
        return True
    return municipality.county.branch_id in (scope.branch_ids & region_branch_ids(gathering.regional_program))


# Who advises which municipal group is guidance's to say; gatherings does not import guidance
# (docs/architecture.md). guidance registers its answer at start-up (guidance/apps.py).
AdvisedGroups = Callable[[Any], Iterable[tuple[int, int]]]
_advised_group_providers: list[AdvisedGroups] = []


def advised_groups_register(provider: AdvisedGroups) -> None:
    """`provider(advisor)` answers (regional programme id, municipality id) of the groups the advisor advises."""
    if provider not in _advised_group_providers:
        _advised_group_providers.append(provider)


def advised(user) -> frozenset[tuple[int, int]]:
    """(regional programme id, municipality id) of the groups the advisor advises (from the registered providers:
    guidance's agreements that are not declined); read once per request."""
    if not is_advisor(user):
        return frozenset()
    cached = getattr(user, "_advised_groups", None)
    if cached is None:
        cached = frozenset(pair for provider in _advised_group_providers for pair in provider(user))
        user._advised_groups = cached
    return cached


@rules.predicate
def advises_group(user, group) -> bool:
    return group is not None and (group.regional_program_id, group.municipality_id) in advised(user)


@dataclass(frozen=True)
class GatheringScope:
    """The regional programmes whose gatherings a person sees: every gathering of `full` (their branch's board,
    their group's region, the regions they advise), only the pre-gatherings of `pre_only` (the regions that
    cover their member municipality, which has no group there: not admitted, or not yet)."""

    full: frozenset[int] = frozenset()
    pre_only: frozenset[int] = frozenset()

    @property
    def region_ids(self) -> frozenset[int]:
        return self.full | self.pre_only

    def sees(self, gathering) -> bool:
        region = gathering.regional_program_id
        return region in self.full or (
            region in self.pre_only and gathering.kind == GatheringKind.PRE_GATHERING
        )

    def q(self, prefix: str = "") -> Q:
        """The same as `sees`, as a filter on gatherings (`prefix`: the path to the gathering, e.g. "gathering__")."""
        q = Q(**{f"{prefix}regional_program_id__in": sorted(self.full)})
        if self.pre_only:
            q |= Q(
                **{
                    f"{prefix}regional_program_id__in": sorted(self.pre_only),
                    f"{prefix}kind": GatheringKind.PRE_GATHERING,
                }
            )
        return q

    def sql(self, table: str = "g") -> tuple[str, list]:
        """The same as `q`, for a query written out: a condition on `table`'s gathering columns, and its
        parameters."""
        full, full_params = id_list(self.full)
        params: list[int | str] = [*full_params]
        condition = f"{table}.regional_program_id IN {full}"
        if self.pre_only:
            pre, pre_params = id_list(self.pre_only)
            condition += f" OR ({table}.regional_program_id IN {pre} AND {table}.kind = %s)"
            params += [*pre_params, GatheringKind.PRE_GATHERING.value]
        return f"({condition})", params


# The regions of a board member's branches and of a contact's groups (whole: 1), and the regions whose branches
# cover a contact's member municipality (their pre-gatherings: 0), in one statement. Built by the ORM these were
# two queries that cost more to build than to run. tests/gatherings/test_visible_regions.py holds it to them.
_SCOPE_REGIONS_SQL = (
    "SELECT 1, rb.regionalprogram_id FROM programs_regionalprogram_branches rb"
    " WHERE rb.countybranch_id IN {branches}"
    " UNION SELECT 1, mg.regional_program_id FROM programs_municipalgroup mg"
    " WHERE mg.municipality_id IN {municipalities}"
    " UNION SELECT 0, rb.regionalprogram_id FROM programs_regionalprogram_branches rb"
    " INNER JOIN municipalities_county c ON c.branch_id = rb.countybranch_id"
    " INNER JOIN municipalities_municipality m ON m.county_id = c.id"
    " WHERE m.is_member AND m.id IN {municipalities}"
)


def gathering_scope(user) -> GatheringScope | None:
    """What `user` sees of the gatherings (see `GatheringScope`); None for leadership (everything).

    Read once per request and kept on the user (like `role_scope`): the dashboard panels and the pages filter
    with these plain id lists. A nested scope subquery through branches, counties and municipalities cost more
    in planning than the panel's query took to run."""
    if is_leadership(user):
        return None
    scope = role_scope(user)
    cached = getattr(user, "_gathering_scope", None)
    if cached is not None and cached[0] is scope:  # a new scope (roles changed) reads anew
        return cached[1]
    full = {rp for rp, _m in advised(user)}
    pre: set[int] = set()
    if scope.branch_ids or scope.municipality_ids:
        branches, branch_params = id_list(scope.branch_ids)
        municipalities, municipality_params = id_list(scope.municipality_ids)
        sql = _SCOPE_REGIONS_SQL.format(branches=branches, municipalities=municipalities)
        with connection.cursor() as cursor:
            cursor.execute(sql, [*branch_params, *municipality_params, *municipality_params])
            for whole, region_id in cursor.fetchall():
                (full if whole else pre).add(region_id)
    result = GatheringScope(full=frozenset(full), pre_only=frozenset(pre - full))
    user._gathering_scope = (scope, result)
    return result


@rules.predicate
def sees_gathering(user, gathering) -> bool:
    """Leadership; the region's board and advisors; the contacts of its admitted municipalities; and for a
    pre-gathering also the contacts of the region's member municipalities."""
    if gathering is None:
        return False
    found = gathering_scope(user)
    return found is None or found.sees(gathering)


@rules.predicate
def sees_region_gatherings(user, regional_program) -> bool:
    """Every gathering of the region (not only its pre-gatherings): what the region's hand-ins, participation
    overview and calendar follow."""
    found = gathering_scope(user)
    return found is None or (regional_program is not None and regional_program.pk in found.full)


@rules.predicate
def may_see_needs(user) -> bool:
    return is_leadership(user)


@rules.predicate
def sits_on_region_board(user, gathering) -> bool:
    """A board member of one of the branches of the gathering's regional programme."""
    return gathering is not None and bool(
        role_scope(user).branch_ids & region_branch_ids(gathering.regional_program)
    )


# The participant list per municipality: leadership, and the region's board (never the needs: `may_see_needs`).
can_see_participants = is_leadership | sits_on_region_board

can_read_every_hand_in = is_leadership
can_read_hand_in_of_group = is_leadership | advises_group

# The gatherings pages: anyone with a role (what they see is scoped by the selectors).
can_see_gatherings = has_any_role
