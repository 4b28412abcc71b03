"""Two-factor sign-in with django-otp: an authenticator app (TOTP) and ten one-time recovery codes.

Required for programme leadership when TWO_FACTOR_REQUIRED_FOR_LEADERSHIP is on (the production default),
and available to everyone from the dashboard. Someone who has set it up is asked for a code at every
sign-in; leadership without it is sent to set it up before anything else (the first sign-in after the
role is given).
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.services import audit_log

RECOVERY_CODES = 10


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


def totp_device_pending(*, user) -> TOTPDevice:
    """The unconfirmed authenticator being set up (a new secret only when there is none yet)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Autentiseringsapp", confirmed=False)
    return device


def totp_confirm(*, user, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the authenticator with a code from it; returns fresh recovery codes, or None if the code is wrong."""
    if not device.verify_token(token):
        return None
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = recovery_codes_renew(user=user)
        audit_log(actor=user, action="accounts.two_factor.enabled", obj=user, details={})
    return codes


def recovery_codes_renew(*, user) -> list[str]:
    """Ten new one-time codes; the old ones stop working."""
    static, _ = StaticDevice.objects.get_or_create(
        user=user, name="Gjenopprettingskoder", defaults={"confirmed": True}
    )
    static.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=static, token=c) for c in codes])
    return codes


def token_match(*, user, token: str):
    """The device that accepts `token` (authenticator code or recovery code), or None."""
    token = "".join((token or "").split())[:16]
    if not token:
        return None
    for device in devices_for_user(user, confirmed=True):
        if device.verify_is_allowed()[0] and device.verify_token(token):
            return device
    return None


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
