"""Invitations: a link by e-mail to a role; taking it up creates (or reactivates) the account.

An invitation to someone who already has an active account adds the role at once and tells them by e-mail.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_log
from core.dates import date_display
from reminders.outbox import Recipient, message_send

from ..models import Invitation, RoleAssignment, User
from ..signals import invitation_accepted
from .flooding import _flood_message, mail_flood_reached
from .roles import role_add, role_audit_details, role_scope_validate

INVITATION_VALID_DAYS = 14
MAX_NAME_LENGTH = 200


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _new_token() -> tuple[str, str]:
    token = secrets.token_urlsafe(32)
    return token, _token_hash(token)


def _oslo_date(value: dt.datetime) -> str:
    return date_display(value)


def _invitation_mail(*, invitation: Invitation, token: str, replaces_earlier: bool = False) -> None:
    """`replaces_earlier`: the invitation was sent before, and the link in that e-mail no longer works."""
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
            "replaces_earlier": replaces_earlier,
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
            _invitation_mail(invitation=pending, token=token, replaces_earlier=True)
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
        _invitation_mail(invitation=invitation, token=token, replaces_earlier=True)
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
