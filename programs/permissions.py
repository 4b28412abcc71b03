"""Who may do what with editions, interest registrations, dialogue meetings and annual-meeting decisions.

Views check these with `core.permissions.require` / `check_or_404`, selectors scope with them, templates get
the `TEMPLATE_FLAGS`. The superuser flag counts for nothing here."""

import rules

from accounts.permissions import is_board_member, is_board_member_of_branch, is_leadership, role_scope

# Leadership runs editions, the temperaturmåling, extensions, dialogue meetings and regional programmes.
can_manage_programs = is_leadership
# The programme menu and dashboard panels: leadership, and board members for their branch's answer.
can_see_programs = is_leadership | is_board_member
# Board members answer for their branch (interest registration, annual meeting, dialogue meeting wish).
can_register_interest = is_board_member
# The dialogue-meeting list: leadership (all), a board member (their branch's).
can_see_dialogue_meetings = is_leadership | is_board_member


@rules.predicate
def can_edit_branch_interest(user, branch) -> bool:
    """A board member writes their own branch's interest registration and annual-meeting decision."""
    return bool(is_board_member_of_branch(user, branch))


@rules.predicate
def can_edit_municipal_group(user, group) -> bool:
    """Leadership, the municipality's contact, or the board of the branch its county belongs to keeps the
    municipal group up to date."""
    if is_leadership(user):
        return True
    scope = role_scope(user)
    municipality = group.municipality
    return municipality.pk in scope.municipality_ids or municipality.county.branch_id in scope.branch_ids


TEMPLATE_FLAGS = {
    "can_manage_programs": can_manage_programs,
    "can_see_programs": can_see_programs,
    "can_register_interest": can_register_interest,
}
