"""A person's account: deactivating stops the sign-in and keeps roles and history; reactivating restores it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import audit_log

from ..models import User


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
