"""Login throttling with django-axes: per (e-mail, client) and, with a higher limit, per client.

A stranger who types wrong passwords for leadership's address locks out only their own client, never
the person at another address; one client spraying passwords over many accounts is stopped by the
per-client limit. Attempts are rows in the database, so the limits hold across every web process.
"""

import datetime as dt
import math

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.utils import formats, timezone
from django.utils.translation import gettext as _


def client_ip(request) -> str | None:
    """The client's address. Behind a proxy, `CLIENT_IP_HEADER` names the header (e.g. HTTP_X_FORWARDED_FOR)
    and `CLIENT_IP_PROXY_COUNT` how many proxies of ours append to it: the address they saw is taken from
    the right, so a client cannot pick its own by sending the header itself."""
    header = settings.CLIENT_IP_HEADER
    if header:
        hops = [h.strip() for h in request.META.get(header, "").split(",") if h.strip()]
        count = max(1, settings.CLIENT_IP_PROXY_COUNT)
        if len(hops) >= count:
            return hops[-count][:45]
    return request.META.get("REMOTE_ADDR") or None


def failure_limit(request, credentials) -> int:
    return settings.LOGIN_FAILURE_LIMIT


def cool_off(request=None) -> dt.timedelta:
    return dt.timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)


def username_key(request, credentials) -> str:
    """The e-mail as typed, case-folded: KARI@ and kari@ are one address for the counter."""
    value = (credentials or {}).get(settings.AXES_USERNAME_FORM_FIELD)
    if value is None and request is not None:
        value = request.POST.get(settings.AXES_USERNAME_FORM_FIELD, "")
    return str(value or "").strip().lower()[:254]


class LoginThrottleHandler(AxesDatabaseHandler):
    """Axes counts failures per parameter group and takes the largest. The groups are, in order,
    (e-mail, client) and client; the client's count is scaled so it locks at `LOGIN_CLIENT_FAILURE_LIMIT`
    while the pair locks at `LOGIN_FAILURE_LIMIT` (an office behind one address needs the larger one)."""

    def get_failures(self, request, credentials=None) -> int:
        from django.db.models import Sum

        counts = [
            attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        ]
        if not counts:
            return 0
        per_pair, per_client = counts[0], (counts[1] if len(counts) > 1 else 0)
        scaled = per_client * settings.LOGIN_FAILURE_LIMIT // max(1, settings.LOGIN_CLIENT_FAILURE_LIMIT)
        return max(per_pair, scaled)


def lockout_response(request, original_response=None, credentials=None):
    """The login page again, with the Norwegian reason and the time to try again (HTTP 429)."""
    from django.core.exceptions import ValidationError
    from django.shortcuts import render

    from .forms import LoginForm

    form = LoginForm(request, initial={"username": request.POST.get("username", "")[:254]})
    form.cleaned_data = {}  # unbound: no validation (and no second authenticate), only the reason
    form.add_error(None, ValidationError(locked_message(), code="locked"))
    context = {"form": form, "next": request.POST.get("next", "")}
    return render(request, "accounts/login.html", context, status=429)


def code_attempt_locked(request, *, user) -> bool:
    """Whether wrong two-factor codes (or passwords) from this client for this person have reached the limit."""
    from axes.handlers.proxy import AxesProxyHandler

    return AxesProxyHandler.is_locked(request, {settings.AXES_USERNAME_FORM_FIELD: user.email})


def code_attempt_failed(request, *, user) -> None:
    """Count a wrong code where a signed-in person confirms with one, in the sign-in counter of their e-mail and
    this client: guessing codes there locks like guessing passwords (and locks the sign-in from here too)."""
    from axes.handlers.proxy import AxesProxyHandler

    AxesProxyHandler.user_login_failed(
        sender=code_attempt_failed,
        credentials={settings.AXES_USERNAME_FORM_FIELD: user.email},
        request=request,
    )
    # Axes' middleware would answer a lockout with the login page; the view explains it on its own page.
    request.axes_locked_out = False


def code_locked_message() -> str:
    return _("For mange feil koder herfra. Av sikkerhetshensyn kan du prøve igjen %(when)s.") % {
        "when": _retry_when()
    }


def locked_message() -> str:
    return _(
        "For mange mislykkede innlogginger herfra. Av sikkerhetshensyn kan du prøve igjen %(when)s. "
        "Har du glemt passordet, kan du be om et nytt."
    ) % {"when": _retry_when()}


def _retry_when() -> str:
    until = timezone.now() + dt.timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)
    local = timezone.localtime(until)
    # Round up to the whole minute so "kl. 14:35" is never a moment too early.
    if local.second or local.microsecond:
        local = local.replace(second=0, microsecond=0) + dt.timedelta(minutes=1)
    minutes = max(1, math.ceil(settings.LOGIN_FAILURE_WINDOW_SECONDS / 60))
    if local.date() == timezone.localdate():
        return _("kl. %(time)s (om %(minutes)s min)") % {
            "time": formats.time_format(local, "H:i"),
            "minutes": minutes,
        }
    return _("%(date)s kl. %(time)s") % {
        "date": formats.date_format(local, "j. F"),
        "time": formats.time_format(local, "H:i"),
    }
