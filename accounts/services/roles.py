"""Roles: what a person may do comes from their role assignments, each scoped to a branch or a municipality."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from audit.services import audit_log

from ..models import Role, RoleAssignment, User, role_needs_branch, role_needs_municipality


def role_scope_validate(*, role: str, branch=None, municipality=None) -> None:
    """A board member needs a branch, a municipal contact a municipality, every other role neither."""
    if role not in Role.values:
        raise ValidationError({"role": _("Velg en gyldig rolle.")})
    errors: dict[str, str] = {}
    if role_needs_branch(role):
        if branch is None:
            errors["branch"] = _("Velg hvilken fylkesavdeling personen skal sitte i styret for.")
    elif branch is not None:
        errors["branch"] = _("Bare fylkesstyre-rollen knyttes til en fylkesavdeling.")
    if role_needs_municipality(role):
        if municipality is None:
            errors["municipality"] = _("Velg hvilken kommune personen skal være kontakt for.")
    elif municipality is not None:
        errors["municipality"] = _("Bare kommunekontakt-rollen knyttes til en kommune.")
    if errors:
        raise ValidationError(errors)


def role_audit_details(role: str, branch=None, municipality=None) -> dict:
    # The role's code (the log names it, see accounts/audit.py) and its scope as {id, name}.
    details: dict = {"role": role}
    if branch is not None:
        details["branch"] = {"id": branch.pk, "name": str(branch)}
    if municipality is not None:
        details["municipality"] = {"id": municipality.pk, "name": str(municipality)}
    return details


def role_add(*, actor, user: User, role: str, branch=None, municipality=None) -> RoleAssignment:
    """Give `user` a role. Adding a role they already hold changes nothing and returns the existing one."""
    role_scope_validate(role=role, branch=branch, municipality=municipality)
    with transaction.atomic():
        existing = RoleAssignment.objects.filter(
            user=user, role=role, branch=branch, municipality=municipality
        ).first()
        if existing is not None:
            return existing
        try:
            with transaction.atomic():
                assignment = RoleAssignment.objects.create(
                    user=user, role=role, branch=branch, municipality=municipality
                )
        except IntegrityError:  # added by a parallel request a moment ago
            return RoleAssignment.objects.get(user=user, role=role, branch=branch, municipality=municipality)
        audit_log(
            actor=actor,
            action="accounts.role.added",
            obj=user,
            details={**role_audit_details(role, branch, municipality), "_assignment_id": assignment.pk},
        )
    _forget(user)
    return assignment


def role_remove(*, actor, assignment: RoleAssignment) -> None:
    """Take a role away. Nobody can remove their own last leadership role (they would lock themselves out)."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=assignment.user_id)
        assignment = RoleAssignment.objects.select_related("branch", "municipality").get(pk=assignment.pk)
        if (
            assignment.role == Role.LEADERSHIP
            and actor is not None
            and actor.pk == user.pk
            and not RoleAssignment.objects.filter(user=user, role=Role.LEADERSHIP)
            .exclude(pk=assignment.pk)
            .exists()
        ):
            raise ValidationError(_("Du kan ikke fjerne din egen programledelse-rolle."))
        details = {
            **role_audit_details(assignment.role, assignment.branch, assignment.municipality),
            "_assignment_id": assignment.pk,
        }
        assignment.delete()
        audit_log(actor=actor, action="accounts.role.removed", obj=user, details=details)
    _forget(user)


def _forget(user) -> None:
    from ..permissions import forget_role_scope

    forget_role_scope(user)
