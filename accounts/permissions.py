"""Who may do what, in one place. Views and selectors both ask these; anything out of scope answers 404.

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


rules.add_perm("accounts.manage_people", is_leadership)
rules.add_perm("audit.view_log", is_leadership)


def leadership_required(view):
    """Login required, and anyone but programme leadership gets a 404 (the page does not exist for them)."""
    from functools import wraps

    from django.contrib.auth.decorators import login_required
    from django.http import Http404

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_leadership(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper
