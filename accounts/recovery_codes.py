"""Recovery codes: ten one-time codes that stand in for the authenticator app, and the check of a typed code
against every confirmed device of the person (the app's code or a recovery code).

Split out of accounts/two_factor.py (TOTP, devices and the sign-in state), which re-exports these names.
"""

from __future__ import annotations

import math
import secrets
import time
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp import devices_for_user
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.services import audit_log

RECOVERY_CODES = 10


def recovery_codes_replace(*, user) -> list[str]:
    """The person asks for new recovery codes (lost, used up, seen by someone): the old ones stop working."""
    from .two_factor import two_factor_enabled  # two_factor imports this module

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


def token_normalize(token: str | None) -> str:
    """A code as typed → as made: without spaces and hyphens, in lower case. The app's codes are digits, and the
    recovery codes are django-otp's lower-case base32 (`StaticToken.random_token`), which a phone capitalises
    («Hy6qftze») and people write in groups («hy6q-ftze»)."""
    return "".join(ch for ch in (token or "") if not ch.isspace() and ch != "-").lower()[:16]


def token_check(*, user, token: str) -> CodeCheck:
    """Try `token` on every confirmed device of the person (one use each: an accepted code opens nothing again).
    A refused code says whether it was a used one or the app is still waiting after a wrong code."""
    from django.utils import timezone

    token = token_normalize(token)
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
