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

import math
import secrets
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp import device_classes, devices_for_user
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.services import audit_log

RECOVERY_CODES = 10
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
        if action == "accounts.two_factor.replaced":
            _security_notice(user=user, change="replaced", entry=entry)
    return codes


def _security_notice(*, user, change: str, entry) -> None:
    """The person is told by e-mail that their second factor was turned off or replaced, so that someone who
    did not do it themselves (a session left open, a stolen password and phone) finds out and acts."""
    from reminders.outbox import Recipient, message_send

    message_send(
        occasion="accounts.two_factor_changed",
        key=f"two_factor_changed:{user.pk}:{entry.pk}",
        recipients=[Recipient(email=user.email, name=user.full_name, user_id=user.pk)],
        template="accounts/email/two_factor_changed",
        context={"full_name": user.full_name, "change": change},
    )


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


def recovery_codes_replace(*, user) -> list[str]:
    """The person asks for new recovery codes (lost, used up, seen by someone): the old ones stop working."""
    if not two_factor_enabled(user):
        raise ValidationError(_("To-trinns innlogging er ikke slått på."))
    with transaction.atomic():
        codes = recovery_codes_renew(user=user)
        audit_log(actor=user, action="accounts.two_factor.recovery_codes_renewed", obj=user, details={})
    return codes


def recovery_codes_left(user) -> int:
    """The person's unused recovery codes (each is removed when it is used)."""
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def recovery_codes_current(*, user, codes: list[str]) -> bool:
    """Whether `codes` (shown to the person just now) are still theirs: not replaced since, nor reset."""
    return StaticToken.objects.filter(device__user=user, device__confirmed=True, token__in=codes).exists()


# Recovery codes just made wait for their page (post/redirect/get) until the person says they have kept them, signs
# out, or RECOVERY_CODES_SHOWN_SECONDS pass. The session holds {"user": pk, "handle": random}; the codes are in the
# cache under the handle, because the sessions are stored in the database. With several processes that needs the
# shared cache (Redis, REDIS_URL, as production has); if the codes are lost, the person makes new ones.
RECOVERY_CODES_SESSION_KEY = "two_factor_recovery_codes"
RECOVERY_CODES_SHOWN_SECONDS = 15 * 60


def _kept_codes_cache_key(handle: str) -> str:
    return f"accounts:two_factor:recovery_codes:{handle}"


def recovery_codes_keep(request, codes: list[str]) -> None:
    """Keep `codes` where only this session finds them again, for RECOVERY_CODES_SHOWN_SECONDS."""
    recovery_codes_forget(request)
    handle = secrets.token_urlsafe(32)
    cache.set(
        _kept_codes_cache_key(handle),
        {"user": request.user.pk, "codes": list(codes)},
        RECOVERY_CODES_SHOWN_SECONDS,
    )
    request.session[RECOVERY_CODES_SESSION_KEY] = {"user": request.user.pk, "handle": handle}


def recovery_codes_kept(request) -> list[str]:
    """The codes this session was given to keep, while they are still to be shown and still the person's (not
    replaced from another session, not reset); reads only."""
    kept = request.session.get(RECOVERY_CODES_SESSION_KEY)
    if not (
        isinstance(kept, dict) and kept.get("user") == request.user.pk and isinstance(kept.get("handle"), str)
    ):
        return []
    entry = cache.get(_kept_codes_cache_key(kept["handle"]))
    if not (isinstance(entry, dict) and entry.get("user") == request.user.pk and entry.get("codes")):
        return []
    codes = [str(code) for code in entry["codes"]]
    return codes if recovery_codes_current(user=request.user, codes=codes) else []


def recovery_codes_forget(request) -> None:
    kept = request.session.pop(RECOVERY_CODES_SESSION_KEY, None)
    if isinstance(kept, dict) and isinstance(kept.get("handle"), str):
        cache.delete(_kept_codes_cache_key(kept["handle"]))


def two_factor_on_logout(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        recovery_codes_forget(request)


def recovery_codes_renew(*, user) -> list[str]:
    """Ten new one-time codes; the old ones stop working."""
    static, _ = StaticDevice.objects.get_or_create(
        user=user, name="Gjenopprettingskoder", defaults={"confirmed": True}
    )
    static.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=static, token=c) for c in codes])
    return codes


@dataclass(frozen=True)
class CodeCheck:
    """The answer to a code: the device that took it, or why none did: "used" (the app's code of a time step
    already used, e.g. right after setting it up), "wait" (django-otp makes the app wait after a wrong code and
    did not look at this one), or "wrong"."""

    device: Any = None
    refusal: str = ""
    wait_seconds: int = 0

    def message(self, wrong: str) -> str:
        """What the person reads; `wrong` is the page's own text for a wrong code."""
        if self.refusal == "used":
            return code_used_message()
        if self.refusal == "wait":
            return ngettext(
                "Du skrev nettopp en feil kode. Vent %(seconds)s sekund, og prøv igjen.",
                "Du skrev nettopp en feil kode. Vent %(seconds)s sekunder, og prøv igjen.",
                self.wait_seconds,
            ) % {"seconds": self.wait_seconds}
        return wrong


def code_used_message() -> str:
    return _("Denne koden er allerede brukt. Vent til appen viser en ny kode, og skriv den inn.")


def token_check(*, user, token: str) -> CodeCheck:
    """Try `token` on every confirmed device of the person (one use each: an accepted code opens nothing again).
    A refused code says whether it was a used one or the app is still waiting after a wrong code."""
    from django.utils import timezone

    token = "".join((token or "").split())[:16]
    if not token:
        return CodeCheck(refusal="wrong")
    used = False
    wait_until = None
    for device in devices_for_user(user, confirmed=True):
        # A code goes only to the device it can be for: a recovery code must not count as a wrong code from
        # the app (django-otp would then make the app wait), nor six digits as a wrong recovery code.
        app = isinstance(device, TOTPDevice)
        if app != (token.isascii() and token.isdigit() and len(token) == (device.digits if app else 6)):
            continue
        allowed, why = device.verify_is_allowed()
        if not allowed:
            # The code is not looked at while django-otp makes the device wait, so the answer tells nothing.
            wait_until = (why or {}).get("locked_until") or wait_until
            continue
        if device.verify_token(token):
            return CodeCheck(device=device)
        used = used or (isinstance(device, TOTPDevice) and _totp_already_used(device, token))
    if used:
        return CodeCheck(refusal="used")
    if wait_until is not None:
        seconds = max(1, math.ceil((wait_until - timezone.now()).total_seconds()))
        return CodeCheck(refusal="wait", wait_seconds=seconds)
    return CodeCheck(refusal="wrong")


def _totp_already_used(device: TOTPDevice, token: str) -> bool:
    """The app's code for a time step that has already been accepted (django-otp takes each step once)."""
    if not (token.isascii() and token.isdigit()) or device.last_t < 0:
        return False
    check = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    check.time = time.time()
    return check.verify(int(token), device.tolerance) and check.t() <= device.last_t


def setup_qr_svg(device: TOTPDevice) -> str:
    import segno

    return segno.make(device.config_url, error="m").svg_inline(scale=5, border=2, light="#fff", omitsize=True)


def setup_secret(device: TOTPDevice) -> str:
    """The secret as base32 in groups of four, for typing into the app by hand."""
    from base64 import b32encode

    raw = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


class TwoFactorMiddleware:
    """After the password: a person with two-factor set up may only enter the code (or sign out) until it is
    given; leadership without it, when required, may only set it up."""

    ALWAYS = ("accounts:logout", "accounts:two_factor_verify", "accounts:two_factor_setup", "accounts:health")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.shortcuts import redirect
        from django.urls import Resolver404, resolve

        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.is_verified():
            return self.get_response(request)
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return self.get_response(request)
        # Django's admin is not exempt: a stolen password alone opens nothing.
        if match.view_name in self.ALWAYS or request.path_info.startswith((settings.STATIC_URL, "/i18n/")):
            return self.get_response(request)
        if two_factor_enabled_cached(request):
            return redirect(_with_next("accounts:two_factor_verify", request))
        if two_factor_required(user):
            return redirect(_with_next("accounts:two_factor_setup", request))
        return self.get_response(request)


def _with_next(name: str, request) -> str:
    from urllib.parse import urlencode

    from django.urls import reverse

    path = request.get_full_path() if request.method == "GET" else "/"
    return f"{reverse(name)}?{urlencode({'next': path})}"
