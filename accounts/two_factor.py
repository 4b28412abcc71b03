"""Two-factor sign-in with django-otp: an authenticator app (TOTP) and ten one-time recovery codes.

Required for programme leadership when TWO_FACTOR_REQUIRED_FOR_LEADERSHIP is on (the production default),
and available to everyone from the dashboard. Someone who has set it up is asked for a code at every
sign-in; leadership without it is sent to set it up before anything else (the first sign-in after the
role is given).

Changing the second factor (turning it off, replacing the authenticator) asks for a current code, not the
password: the point of the second factor is that the password alone does not open the account, and a
session left open somewhere must not be enough to remove it. Turning it on or off and replacing the app
end every other session of the person (`sessions_end`; the view keeps its own). Someone who has lost both
the phone and the recovery codes cannot sign in anyway; programme leadership resets it for them
(`two_factor_reset`).
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _
from django_otp import device_classes, devices_for_user
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.services import audit_log

# The recovery codes and the check of a typed code are in accounts/recovery_codes.py; their names stay importable
# from here (`two_factor.recovery_codes_renew`, `two_factor.token_check` ...). The middleware is in
# accounts/two_factor_middleware.py.
from .recovery_codes import (  # noqa: F401
    RECOVERY_CODES,
    RECOVERY_CODES_SESSION_KEY,
    RECOVERY_CODES_SHOWN_SECONDS,
    CodeCheck,
    code_used_message,
    recovery_codes_current,
    recovery_codes_forget,
    recovery_codes_keep,
    recovery_codes_kept,
    recovery_codes_left,
    recovery_codes_renew,
    recovery_codes_replace,
    token_check,
    token_normalize,
)

TOTP_KEY_BYTES = 20  # django-otp's default secret length


SESSION_KEY = "two_factor_enabled"


def two_factor_enabled(user) -> bool:
    return any(True for _ in devices_for_user(user, confirmed=True))


def two_factor_enabled_cached(request) -> bool:
    """Whether the signed-in person has a confirmed device, asked once per session (two queries otherwise
    on every page). Login flushes or re-keys the session, and setting it up stores the new answer."""
    user = request.user
    cached = request.session.get(SESSION_KEY)
    if isinstance(cached, dict) and cached.get("user") == user.pk:
        return bool(cached.get("enabled"))
    enabled = two_factor_enabled(user)
    two_factor_remember(request, enabled=enabled)
    return enabled


def two_factor_on_login(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_KEY] = {"user": user.pk, "enabled": two_factor_enabled(user)}


def two_factor_remember(request, *, enabled: bool) -> None:
    request.session[SESSION_KEY] = {"user": request.user.pk, "enabled": enabled}


def two_factor_required(user) -> bool:
    from .permissions import is_leadership

    return bool(settings.TWO_FACTOR_REQUIRED_FOR_LEADERSHIP) and is_leadership(user)


def totp_device_new(*, user, key: str | None = None) -> TOTPDevice:
    """The authenticator being set up, not saved: the view keeps its `key` in the session until a code from the
    app is accepted, so opening the page writes nothing and the QR code stays the same after a wrong code."""
    device = TOTPDevice(user=user, name="Autentiseringsapp", confirmed=False)
    if key:
        device.key = key
    return device


def totp_key_valid(key) -> bool:
    """A secret kept between requests still looks like one (the hex of 20 random bytes)."""
    try:
        return isinstance(key, str) and len(bytes.fromhex(key)) == TOTP_KEY_BYTES
    except ValueError:
        return False


def _new_device_accepts(device: TOTPDevice, token: str) -> bool:
    """A code from the app being set up, checked without saving the device (django-otp's `verify_token` saves
    it): the row is created only once the code matches. Notes the step used, so the code opens nothing again."""
    token = "".join((token or "").split())
    if not (token.isascii() and token.isdigit()):
        return False
    check = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    check.time = time.time()
    if not check.verify(int(token), device.tolerance, device.last_t + 1):
        return False
    device.last_t = check.t()
    device.drift = check.drift
    return True


def totp_confirm(*, user, device: TOTPDevice, token: str) -> list[str] | None:
    """Turn two-factor on with the new `device` (totp_device_new) once a code from it matches: saves it confirmed
    and ends the person's other sessions. Returns fresh recovery codes, or None if the code is wrong."""
    if not _new_device_accepts(device, token):
        return None
    return _totp_activate(user=user, device=device, action="accounts.two_factor.enabled")


def _totp_activate(*, user, device: TOTPDevice, action: str) -> list[str]:
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        device.confirmed = True
        device.save()
        codes = recovery_codes_renew(user=user)
        sessions_end(user)
        entry = audit_log(actor=user, action=action, obj=user, details={})
        _security_notice(
            user=user,
            change="replaced" if action == "accounts.two_factor.replaced" else "enabled",
            entry=entry,
        )
    return codes


def _security_notice(*, user, change: str, entry, codes_left: int = 0) -> None:
    """The person is told by e-mail that their second factor was turned on, off or replaced, or that a recovery
    code was used to sign in (`change`: "enabled", "disabled", "replaced", "recovery_code"), so that someone
    who did not do it themselves (a session left open, a stolen password and phone) finds out and acts."""
    from reminders.outbox import Recipient, message_send

    message_send(
        occasion="accounts.two_factor_changed",
        key=f"two_factor_changed:{user.pk}:{entry.pk}",
        recipients=[Recipient(email=user.email, name=user.full_name, user_id=user.pk)],
        template="accounts/email/two_factor_changed",
        context={"full_name": user.full_name, "change": change, "codes_left": codes_left},
    )


def recovery_code_signed_in(*, user) -> None:
    """A recovery code (now used up) opened the second step of signing in: logged with how many are left (never
    the code), and the person is told by e-mail, since a code from a printout is easier to steal than a phone."""
    with transaction.atomic():
        left = recovery_codes_left(user)
        entry = audit_log(
            actor=user,
            action="accounts.two_factor.recovery_code_used",
            obj=user,
            details={"codes_left": left},
        )
        _security_notice(user=user, change="recovery_code", entry=entry, codes_left=left)


def sessions_end(user) -> None:
    """Every session of the person ends (see `User.get_session_auth_hash`), also the one of the request: a view
    keeps that one with Django's `update_session_auth_hash(request, user)`. `user` gets the new generation."""
    from .models import User

    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
    user.refresh_from_db(fields=["session_generation"])


def _wrong_current_code() -> str:
    return _("Koden stemmer ikke. Bruk den nyeste koden fra appen, eller en gjenopprettingskode.")


def totp_replace(*, user, device: TOTPDevice, current_code: str, token: str) -> list[str]:
    """Swap the authenticator for the new `device` (totp_device_new): a current code (old app or recovery code)
    proves it is the person, a code from the new app proves the new one works; only then is the old one removed
    and the person's other sessions ended (one opened with the old phone does not outlive it).
    Returns fresh recovery codes; a wrong code is a ValidationError on `current_code` or `code`."""
    if not two_factor_enabled(user):
        raise ValidationError(_("To-trinns innlogging er ikke slått på."))
    # The new app's code first: a typo there must not use up the recovery code (or the old app's code) given.
    if not _new_device_accepts(device, token):
        raise ValidationError(
            {"code": _("Koden fra den nye appen stemmer ikke. Vent på neste kode i appen, og prøv igjen.")}
        )
    check = token_check(user=user, token=current_code)
    if check.device is None:
        raise ValidationError({"current_code": check.message(_wrong_current_code())})
    return _totp_activate(user=user, device=device, action="accounts.two_factor.replaced")


def two_factor_disable(*, user, code: str) -> None:
    """The person turns two-factor off, confirmed with a current code; not when it is required for them.
    Every other session of theirs ends: one opened with the second factor must not outlive it."""
    if two_factor_required(user):
        raise ValidationError(
            _(
                "Programledelsen må bruke to-trinns innlogging, så den kan ikke slås av. "
                "Du kan sette opp en ny autentiseringsapp i stedet."
            )
        )
    if not two_factor_enabled(user):
        raise ValidationError(_("To-trinns innlogging er ikke slått på."))
    check = token_check(user=user, token=code)
    if check.device is None:
        raise ValidationError({"code": check.message(_wrong_current_code())})
    with transaction.atomic():
        two_factor_devices_delete(user)
        sessions_end(user)
        entry = audit_log(actor=user, action="accounts.two_factor.disabled", obj=user, details={})
        _security_notice(user=user, change="disabled", entry=entry)


def two_factor_reset(*, actor, user, reason: str) -> None:
    """Leadership removes another person's authenticator and recovery codes (lost phone and codes): the person
    is signed out everywhere, sets it up again at the next sign-in if it is required for them, and is told
    by e-mail who did it and why."""
    from reminders.outbox import Recipient, message_send

    from .models import User

    reason = (reason or "").strip()
    if actor is not None and actor.pk == user.pk:
        raise ValidationError(reset_self_refusal())
    if not reason:
        raise ValidationError({"reason": _("Skriv hvorfor to-trinns innloggingen nullstilles.")})
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if not two_factor_enabled(user):
            raise ValidationError(reset_not_enabled(user))
        two_factor_devices_delete(user)
        # Ends every session of the person: one taken over with the lost phone does not survive the reset.
        sessions_end(user)
        entry = audit_log(
            actor=actor, action="accounts.two_factor.reset", obj=user, details={"reason": reason}
        )
        message_send(
            occasion="accounts.two_factor_reset",
            key=f"two_factor_reset:{user.pk}:{entry.pk}",
            recipients=[Recipient(email=user.email, name=user.full_name, user_id=user.pk)],
            template="accounts/email/two_factor_reset",
            context={
                "full_name": user.full_name,
                "actor_name": actor.get_full_name() if getattr(actor, "is_authenticated", False) else "",
                "reason": reason,
                "required": two_factor_required(user),
            },
        )


def reset_not_enabled(user) -> str:
    return _("%(name)s har ikke to-trinns innlogging slått på.") % {"name": user}


def reset_self_refusal() -> str:
    return _("Du kan ikke nullstille din egen to-trinns innlogging her. Bruk siden To-trinns innlogging.")


def two_factor_devices_delete(user) -> int:
    """Every authenticator and recovery code of the person (turned off, reset, erased); returns the rows removed."""
    return sum(model.objects.filter(user=user).delete()[0] for model in device_classes())


def two_factor_on_logout(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        recovery_codes_forget(request)


def setup_qr_svg(device: TOTPDevice) -> str:
    import segno

    return segno.make(device.config_url, error="m").svg_inline(scale=5, border=2, light="#fff", omitsize=True)


def setup_secret(device: TOTPDevice) -> str:
    """The secret as base32 in groups of four, for typing into the app by hand."""
    from base64 import b32encode

    raw = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))
