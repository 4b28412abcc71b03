"""Who may do what with gatherings. Views and selectors both ask these; anything out of scope answers 404.

- Leadership schedules, sees participants and their needs, marks attendance, sees every hand-in.
- A board member of the region's branch sees the participant list per municipality, without the needs.
- A municipal contact of a municipality with a group in the regional programme is its coordinator here:
  registers the group's members and hands in the between-work.
- A pre-gathering comes before any group: the contacts of the region's member municipalities and the board
  members of the region's branches register the people they send.
- An advisor sees the regions of their guidance agreements and every hand-in of the municipalities they
  advise (the group's advisor), shared or not.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import rules

from accounts.permissions import has_any_role, is_advisor, is_leadership, role_scope


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
