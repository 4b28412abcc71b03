"""Who may do what, in one place. Views and selectors both ask these; anything out of scope answers 404.

The roles, and only the roles, decide: the superuser flag grants the Django admin and nothing in the app.
Each app names its rules in `<app>/permissions.py` from the predicates here; views check them with
`core.permissions.require` / `check_or_404`, selectors scope their querysets with them, and templates get
`can_…` flags from `TEMPLATE_FLAGS` (never a role string).

Role facts are read once per request and cached on the user object, so asking many times costs one query.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import rules

from .models import Role


@dataclass(frozen=True)
class RoleScope:
    roles: frozenset[str] = frozenset()
    branch_ids: frozenset[int] = frozenset()
    municipality_ids: frozenset[int] = frozenset()
    assignments: tuple = field(default=())

    def has(self, role: str) -> bool:
        return role in self.roles


def role_scope(user) -> RoleScope:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return RoleScope()
    cached = getattr(user, "_role_scope", None)
    if cached is not None:
        return cached
    assignments = tuple(user.role_assignments.select_related("branch", "municipality").order_by("role", "id"))
    scope = RoleScope(
        roles=frozenset(a.role for a in assignments),
        branch_ids=frozenset(a.branch_id for a in assignments if a.role == Role.BOARD_MEMBER),
        municipality_ids=frozenset(
            a.municipality_id for a in assignments if a.role == Role.MUNICIPAL_CONTACT
        ),
        assignments=assignments,
    )
    user._role_scope = scope
    return scope


def forget_role_scope(user) -> None:
    """Call after changing a user's roles within the same request."""
    if hasattr(user, "_role_scope"):
        del user._role_scope


@rules.predicate
def is_leadership(user) -> bool:
    return role_scope(user).has(Role.LEADERSHIP)


@rules.predicate
def is_board_member(user) -> bool:
    return role_scope(user).has(Role.BOARD_MEMBER)


@rules.predicate
def is_municipal_contact(user) -> bool:
    return role_scope(user).has(Role.MUNICIPAL_CONTACT)


@rules.predicate
def is_advisor(user) -> bool:
    return role_scope(user).has(Role.ADVISOR)


@rules.predicate
def is_jury_member(user) -> bool:
    return role_scope(user).has(Role.JURY_MEMBER)


@rules.predicate
def is_board_member_of_branch(user, branch) -> bool:
    return branch is not None and branch.pk in role_scope(user).branch_ids


@rules.predicate
def is_contact_of_municipality(user, municipality) -> bool:
    return municipality is not None and municipality.pk in role_scope(user).municipality_ids


@rules.predicate
def has_any_role(user) -> bool:
    return bool(role_scope(user).roles)


# Named predicates for the people pages (`core.permissions.require(can_manage_people)`).
can_manage_people = is_leadership

# Flags every template gets (see accounts.context_processors.roles); each app declares its own the same way.
TEMPLATE_FLAGS = {
    "can_manage_people": can_manage_people,
    "has_any_role": has_any_role,
}
