"""Who may do what, in one place. Views and selectors both ask these; anything out of scope answers 404.

The roles, and only the roles, decide: the superuser flag grants the Django admin and nothing in the app.
Each app names its rules in `<app>/permissions.py` from the predicates here; views check them with
`core.permissions.require` / `check_or_404`, selectors scope their querysets with them, and templates get
`can_…` flags from `TEMPLATE_FLAGS` (never a role string).

Role facts are read once per request and cached on the user object, so asking many times costs one query.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import rules
from django.db import connection

from .models import Role, RoleAssignment


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
    assignments = _assignments_of(user)
    scope = RoleScope(
        roles=frozenset(a.role for a in assignments),
        branch_ids=frozenset(
            a.branch_id for a in assignments if a.role == Role.BOARD_MEMBER and a.branch_id is not None
        ),
        municipality_ids=frozenset(
            a.municipality_id
            for a in assignments
            if a.role == Role.MUNICIPAL_CONTACT and a.municipality_id is not None
        ),
        assignments=assignments,
    )
    user._role_scope = scope
    return scope


# Only the columns the role checks, the header and the dashboards use (tests/accounts/test_role_scope.py compares
# the result with the ORM's select_related query).
_ASSIGNMENTS_SQL = (
    "SELECT ra.id, ra.role, ra.branch_id, ra.municipality_id, b.name, b.is_active, m.name"
    " FROM accounts_roleassignment ra"
    " LEFT JOIN municipalities_countybranch b ON b.id = ra.branch_id"
    " LEFT JOIN municipalities_municipality m ON m.id = ra.municipality_id"
    " WHERE ra.user_id = %s ORDER BY ra.role, ra.id"
)


def _assignments_of(user) -> tuple[RoleAssignment, ...]:
    """The person's role assignments with the name (and active flag) of their branch or municipality, in one
    query of only those columns. Every signed-in page asks this, and building the same query with the ORM
    (select_related of both, every column) cost three times the database's own time (0.9 ms against 0.3 ms
    at national scale); the other columns of branch and municipality stay deferred."""
    # The models the role points at, from the relation (accounts imports no domain app's models).
    branch_model: Any = RoleAssignment._meta.get_field("branch").related_model
    municipality_model: Any = RoleAssignment._meta.get_field("municipality").related_model
    with connection.cursor() as cursor:
        cursor.execute(_ASSIGNMENTS_SQL, [user.pk])
        rows = cursor.fetchall()
    assignments = []
    for pk, role, branch_id, municipality_id, branch_name, branch_active, municipality_name in rows:
        # `from_db` takes the values in field order: id, user, role, branch, municipality (created_at deferred).
        assignment = RoleAssignment.from_db(
            connection.alias,
            ["id", "user_id", "role", "branch_id", "municipality_id"],
            [pk, user.pk, role, branch_id, municipality_id],
        )
        if branch_id is not None:
            assignment.branch = branch_model.from_db(
                connection.alias, ["id", "name", "is_active"], [branch_id, branch_name, branch_active]
            )
        if municipality_id is not None:
            assignment.municipality = municipality_model.from_db(
                connection.alias, ["id", "name"], [municipality_id, municipality_name]
            )
        assignments.append(assignment)
    return tuple(assignments)


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
