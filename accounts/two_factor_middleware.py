"""After the password, the code: the middleware that holds a signed-in person at the second step of signing in
(config/settings/base.py MIDDLEWARE). The state it asks about is in accounts/two_factor.py."""

from __future__ import annotations

from django.conf import settings

from .two_factor import two_factor_enabled_cached, two_factor_required


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
