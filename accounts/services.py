"""Every write about people: invitations, roles, activation, login throttling.

Permission checks are the caller's job (views, other apps' services): these functions trust `actor` and
record it in the audit trail.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import secrets

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_log
from core.dates import date_display
from reminders.outbox import Recipient, message_send

from .models import (
    Invitation,
    Role,
    RoleAssignment,
    User,
    role_needs_branch,
    role_needs_municipality,
)
from .signals import invitation_accepted

logger = logging.getLogger(__name__)

INVITATION_VALID_DAYS = 14
MAX_NAME_LENGTH = 200


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, _token_hash(token)


def _oslo_date(value: dt.datetime) -> str:
    return date_display(value)


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


# --- roles -------------------------------------------------------------------------------------------


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
    from .permissions import forget_role_scope

    forget_role_scope(user)


# --- activation --------------------------------------------------------------------------------------


def user_deactivate(*, actor, user: User) -> User:
    """Stop a person from logging in. Their history and roles stay, so reactivating restores them."""
    if actor is not None and actor.pk == user.pk:
        raise ValidationError(_("Du kan ikke deaktivere deg selv."))
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if not user.is_active:
            return user
        user.is_active = False
        user.save(update_fields=["is_active"])
        audit_log(actor=actor, action="accounts.user.deactivated", obj=user)
    return user


def user_reactivate(*, actor, user: User) -> User:
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if user.is_active:
            return user
        user.is_active = True
        user.save(update_fields=["is_active"])
        audit_log(actor=actor, action="accounts.user.reactivated", obj=user)
    return user


# --- invitations -------------------------------------------------------------------------------------


def _invitation_mail(*, invitation: Invitation, token: str) -> None:
    inviter = invitation.invited_by
    message_send(
        occasion="accounts.invitation",
        key=f"invitation:{invitation.pk}:{invitation.token_hash[:16]}",
        recipients=[Recipient(email=invitation.email, name=invitation.full_name)],
        template="accounts/email/invitation",
        context={
            "full_name": invitation.full_name,
            "role_label": invitation.role_label,
            "inviter_name": inviter.get_full_name() if inviter else "",
            "token": token,
            "invitation_path": f"/invitasjon/{token}/",
            "expires": _oslo_date(invitation.expires_at),
        },
    )


def invitation_create(
    *,
    actor,
    email: str,
    full_name: str,
    role: str,
    branch=None,
    municipality=None,
) -> Invitation:
    """Invite a person by e-mail to a role.

    If an active account already has that e-mail, the role is added straight away and the person gets a
    "you have a new role" e-mail; the returned invitation is then already accepted. A pending invitation
    for the same e-mail and role (even an expired one) is renewed: new link, new expiry, no duplicate.
    """
    email = (email or "").strip().lower()
    full_name = (full_name or "").strip()
    errors: dict[str, str] = {}
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = _("Skriv en gyldig e-postadresse.")
    if len(full_name) > MAX_NAME_LENGTH:
        errors["full_name"] = _("Navnet kan være høyst 200 tegn.")
    try:
        role_scope_validate(role=role, branch=branch, municipality=municipality)
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
    if errors:
        raise ValidationError(errors)

    now = timezone.now()
    with transaction.atomic():
        existing = User.objects.select_for_update().filter(email__iexact=email).first()
        if (existing is None or not existing.is_active) and mail_flood_reached(
            occasion="accounts.invitation", email=email
        ):
            raise ValidationError({"email": _flood_message()})
        if existing is not None and existing.is_active:
            return _invitation_for_existing_user(
                actor=actor, user=existing, role=role, branch=branch, municipality=municipality, now=now
            )

        # An open invitation (expired or not) for the same role is renewed rather than duplicated.
        pending = (
            Invitation.objects.filter(accepted_at__isnull=True, cancelled_at__isnull=True)
            .select_for_update()
            .filter(email__iexact=email, role=role, branch=branch, municipality=municipality)
            .first()
        )
        token, token_hash = _new_token()
        if pending is not None:
            pending.token_hash = token_hash
            pending.expires_at = now + dt.timedelta(days=INVITATION_VALID_DAYS)
            if full_name:
                pending.full_name = full_name
            pending.invited_by = actor if getattr(actor, "is_authenticated", False) else pending.invited_by
            pending.save(update_fields=["token_hash", "expires_at", "full_name", "invited_by"])
            audit_log(
                actor=actor,
                action="accounts.invitation.resent",
                obj=pending,
                details={"email": email, **role_audit_details(role, branch, municipality)},
            )
            _invitation_mail(invitation=pending, token=token)
            return pending

        invitation = Invitation.objects.create(
            email=email,
            full_name=full_name,
            role=role,
            branch=branch,
            municipality=municipality,
            token_hash=token_hash,
            invited_by=actor if getattr(actor, "is_authenticated", False) else None,
            user=existing,
            created_at=now,
            expires_at=now + dt.timedelta(days=INVITATION_VALID_DAYS),
        )
        audit_log(
            actor=actor,
            action="accounts.invitation.created",
            obj=invitation,
            details={"email": email, "name": full_name, **role_audit_details(role, branch, municipality)},
        )
        _invitation_mail(invitation=invitation, token=token)
    return invitation


def _invitation_for_existing_user(*, actor, user: User, role, branch, municipality, now) -> Invitation:
    already = RoleAssignment.objects.filter(
        user=user, role=role, branch=branch, municipality=municipality
    ).exists()
    _token, token_hash = _new_token()  # never sent: the person logs in as before
    invitation = Invitation.objects.create(
        email=user.email,
        full_name=user.full_name,
        role=role,
        branch=branch,
        municipality=municipality,
        token_hash=token_hash,
        invited_by=actor if getattr(actor, "is_authenticated", False) else None,
        user=user,
        created_at=now,
        expires_at=now,
        accepted_at=now,
    )
    audit_log(
        actor=actor,
        action="accounts.invitation.created",
        obj=invitation,
        details={
            "email": user.email,
            "existing_person": True,
            "role_existed": already,
            **role_audit_details(role, branch, municipality),
        },
    )
    if not already:
        role_add(actor=actor, user=user, role=role, branch=branch, municipality=municipality)
        message_send(
            occasion="accounts.role_added",
            key=f"invitation:{invitation.pk}",
            recipients=[Recipient(email=user.email, name=user.full_name, user_id=user.pk)],
            template="accounts/email/role_added",
            context={
                "full_name": user.full_name,
                "role_label": invitation.role_label,
                "inviter_name": actor.get_full_name() if getattr(actor, "is_authenticated", False) else "",
            },
        )
    return invitation


def invitation_find(*, token: str) -> Invitation | None:
    """The invitation a link points to, if it can still be used."""
    if not token or len(token) > 200:
        return None
    invitation = (
        Invitation.objects.select_related("branch", "municipality", "invited_by")
        .filter(token_hash=_token_hash(token))
        .first()
    )
    if invitation is None or not invitation.is_pending:
        return None
    return invitation


def invitation_accept(*, token: str, password: str, full_name: str) -> User:
    """Take up an invitation: create (or reactivate) the account, set name and password, add the role."""
    full_name = (full_name or "").strip()
    if not token or len(token) > 200:
        raise ValidationError(_("Invitasjonen finnes ikke. Be programledelsen om en ny."))
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("branch", "municipality")
            .filter(token_hash=_token_hash(token))
            .first()
        )
        if invitation is None:
            raise ValidationError(_("Invitasjonen finnes ikke. Be programledelsen om en ny."))
        if invitation.accepted_at is not None:
            raise ValidationError(_("Invitasjonen er allerede tatt i bruk. Logg inn med e-post og passord."))
        if invitation.cancelled_at is not None:
            raise ValidationError(_("Invitasjonen er trukket tilbake. Ta kontakt med programledelsen."))
        if invitation.is_expired:
            raise ValidationError(_("Invitasjonen er utløpt. Be programledelsen om å sende en ny."))

        errors: dict[str, list[str]] = {}
        if not full_name:
            errors["full_name"] = [_("Skriv navnet ditt.")]
        elif len(full_name) > MAX_NAME_LENGTH:
            errors["full_name"] = [_("Navnet kan være høyst 200 tegn.")]

        user = User.objects.select_for_update().filter(email__iexact=invitation.email).first()
        created = user is None
        candidate = user or User(email=invitation.email, full_name=full_name)
        candidate.full_name = full_name or candidate.full_name
        try:
            password_validation.validate_password(password or "", candidate)
        except ValidationError as exc:
            errors["password"] = list(exc.messages)
        if errors:
            raise ValidationError(errors)

        if user is None:
            user = User.objects.create_user(email=invitation.email, password=password, full_name=full_name)
        else:
            user.full_name = full_name
            user.is_active = True
            user.set_password(password)
            user.save(update_fields=["full_name", "is_active", "password"])

        invitation.accepted_at = timezone.now()
        invitation.user = user
        invitation.save(update_fields=["accepted_at", "user"])
        audit_log(
            actor=user,
            action="accounts.invitation.accepted",
            obj=invitation,
            details={
                "new_person": created,
                **role_audit_details(invitation.role, invitation.branch, invitation.municipality),
            },
        )
        role_add(
            actor=user,
            user=user,
            role=invitation.role,
            branch=invitation.branch,
            municipality=invitation.municipality,
        )
        invitation_accepted.send(sender=Invitation, invitation=invitation, user=user)
    return user


def invitation_resend(*, actor, invitation: Invitation) -> Invitation:
    """Send a fresh link (the old one stops working) and give it another 14 days."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("branch", "municipality")
            .get(pk=invitation.pk)
        )
        if invitation.accepted_at is not None or invitation.cancelled_at is not None:
            raise ValidationError(_("Invitasjonen er allerede brukt eller trukket tilbake."))
        if mail_flood_reached(occasion="accounts.invitation", email=invitation.email):
            raise ValidationError(_flood_message())
        token, token_hash = _new_token()
        invitation.token_hash = token_hash
        invitation.expires_at = timezone.now() + dt.timedelta(days=INVITATION_VALID_DAYS)
        invitation.save(update_fields=["token_hash", "expires_at"])
        audit_log(
            actor=actor,
            action="accounts.invitation.resent",
            obj=invitation,
            details={"email": invitation.email},
        )
        _invitation_mail(invitation=invitation, token=token)
    return invitation


def invitation_cancel(*, actor, invitation: Invitation) -> Invitation:
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted_at is not None:
            raise ValidationError(_("Invitasjonen er allerede tatt i bruk og kan ikke trekkes tilbake."))
        if invitation.cancelled_at is not None:
            return invitation
        invitation.cancelled_at = timezone.now()
        invitation.save(update_fields=["cancelled_at"])
        audit_log(
            actor=actor,
            action="accounts.invitation.cancelled",
            obj=invitation,
            details={"email": invitation.email},
        )
    return invitation


# --- flooding: one address gets a bounded number of link e-mails per hour -----------------------------


def mail_flood_reached(*, occasion: str, email: str) -> bool:
    """True when `email` already got MAIL_PER_ADDRESS_LIMIT messages of `occasion` within the last hour.
    Counted from the outbox rows, so the limit holds across every web process."""
    from django.conf import settings

    from reminders.models import Delivery
    from reminders.outbox import normalize_email

    since = timezone.now() - dt.timedelta(hours=1)
    sent = Delivery.objects.filter(
        occasion=occasion, recipient_email=normalize_email(email), created_at__gte=since
    ).count()
    return sent >= settings.MAIL_PER_ADDRESS_LIMIT


def _flood_message() -> str:
    return _("Det er sendt for mange e-poster til denne adressen den siste timen. Prøv igjen senere.")
