"""What this app stores about a person: the user row, roles, invitations, failed logins, two-factor sign-in (the
authenticator and recovery codes of django-otp), and the secret calendar addresses they own of every app
(`core.models.CalendarFeed`) (see accounts.privacy)."""

from __future__ import annotations

from typing import Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.feeds import feed_label, feeds_revoke_all
from core.models import CalendarFeed, DraftRecovery, FormSubmission

from .models import Invitation, RoleAssignment
from .privacy import ERASED_NAME, Person, erased_email, register
from .two_factor import two_factor_devices_delete, two_factor_enabled


def _when(value) -> str | None:
    return timezone.localtime(value).isoformat(timespec="minutes") if value else None


def _invitations(person: Person):
    match = Q(email__iexact=person.email)
    if person.user is not None:
        match |= Q(user=person.user)
    return Invitation.objects.filter(match)


def export(person: Person) -> dict[str, Any]:
    user = person.user
    data: dict[str, Any] = {}
    if user is not None:
        data["person"] = {
            "navn": user.full_name,
            "e-post": user.email,
            "telefon": user.phone,
            "aktiv": user.is_active,
            "registrert": _when(user.date_joined),
            "sist innlogget": _when(user.last_login),
            # Whether it is on, never the secret or the recovery codes: the export leaves the system.
            "to-trinns innlogging": two_factor_enabled(user),
        }
        data["roller"] = [
            {"rolle": str(a.get_role_display()), "gjelder": str(a.branch or a.municipality or "")}
            for a in RoleAssignment.objects.filter(user=user).select_related("branch", "municipality")
        ]
        data["kalenderadresser"] = [
            {"gjelder": feed_label(f), "laget": _when(f.created_at), "trukket tilbake": _when(f.revoked_at)}
            for f in CalendarFeed.objects.filter(owner=user)
        ]
    data["invitasjoner"] = [
        {
            "e-post": i.email,
            "navn": i.full_name,
            "rolle": i.role_label,
            "sendt": _when(i.created_at),
            "akseptert": _when(i.accepted_at),
            "trukket tilbake": _when(i.cancelled_at),
        }
        for i in _invitations(person).select_related("branch", "municipality")
    ]
    data["mislykkede innlogginger"] = [
        _when(at)
        for at in AccessFailureLog.objects.filter(username__iexact=person.email).values_list(
            "attempt_time", flat=True
        )
    ]
    return data


def erase(person: Person, *, actor) -> int:
    """The account stays (history points at it) but holds no name, address or phone, and cannot log in."""
    changed = 0
    now = timezone.now()
    for invitation in _invitations(person):
        invitation.email = erased_email(f"invitasjon-{invitation.pk}")
        invitation.full_name = ""
        invitation.cancelled_at = invitation.cancelled_at or (None if invitation.accepted_at else now)
        invitation.save(update_fields=["email", "full_name", "cancelled_at"])
        changed += 1
    # Sign-in attempts (django-axes) are kept per address typed: they go with the person.
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        changed += model.objects.filter(username__iexact=person.email).delete()[0]
    user = person.user
    if user is not None:
        changed += RoleAssignment.objects.filter(user=user).delete()[0]
        # The authenticator's secret and the recovery codes are the person's: they go, not only the password.
        changed += two_factor_devices_delete(user)
        # Text kept from an expired session (core.drafts) is the person's own writing: it goes too.
        changed += DraftRecovery.objects.filter(user=user).delete()[0]
        # What their saved create forms made (core.once) says what they did: it goes too.
        changed += FormSubmission.objects.filter(user=user).delete()[0]
        # The secret addresses stop working; the rows stay, so the owner's page and the log can say when.
        changed += feeds_revoke_all(owner=user, actor=actor)
        user.full_name = str(ERASED_NAME)
        user.email = erased_email(user.pk)
        user.phone = ""
        user.is_active = False
        user.is_staff = False
        user.is_superuser = False
        user.set_unusable_password()
        user.save()
        changed += 1
    return changed


register("accounts", label=_("Personer og roller"), export=export, erase=erase, order=90)
