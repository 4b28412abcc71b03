"""The request side of draft recovery (`core.drafts`): whose browser this is, keeping a form's POST that
arrives after the session ran out, and offering the text back after login.

A form page opts in with `@keeps_drafts(target)` and, on GET, `draft_initial(...)` (or `draft_recovered(...)`
for the kept values alone); a successful save
calls `draft_discard(...)`. The owning app decides the form key and who may still write in the form.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from .drafts import RECOVERY_DAYS, draft_recovery_discard, draft_recovery_store, draft_recovery_take

DRAFT_COOKIE = "kp_utkast"
# The salt keeps the name it had when only applications used this, so browsers marked then stay marked.
DRAFT_COOKIE_SALT = "applications.draft-recovery"
DRAFT_COOKIE_AGE = RECOVERY_DAYS * 24 * 60 * 60
RECOVERY_PARAM = "gjenopprett"
RECOVERY_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")

# What a form page answers for a person: (form key, the fields worth keeping), or None when that person may
# not write in this form (then nothing is kept).
Target = tuple[str, Iterable[str]]


def draft_writer(request: HttpRequest) -> tuple[int, str] | None:
    """(person, browser key) from the signed cookie the form pages give a signed-in person's browser."""
    try:
        value = request.get_signed_cookie(DRAFT_COOKIE, salt=DRAFT_COOKIE_SALT, max_age=DRAFT_COOKIE_AGE)
    except (KeyError, signing.BadSignature):
        return None
    person, _sep, key = (value or "").partition(":")
    return (int(person), key) if person.isdigit() and len(key) >= 16 else None


def browser_key(request: HttpRequest) -> str:
    """This browser's key, when the cookie belongs to the person signed in now; else nothing matches."""
    writer = draft_writer(request)
    return writer[1] if writer is not None and writer[0] == request.user.pk else ""


def recovery_token(request: HttpRequest) -> str:
    token = request.GET.get(RECOVERY_PARAM, "")
    return token if RECOVERY_TOKEN.fullmatch(token) else ""


def next_carries_recovery(next_url: str) -> bool:
    """Whether a login's `next` address brings back text kept by `_login_keeping_post`: the login page then
    says so. Only the shape of the token is looked at; whose text it is stays for the form page to check."""
    tokens = parse_qs(urlsplit(next_url or "").query).get(RECOVERY_PARAM, [])
    return any(RECOVERY_TOKEN.fullmatch(token) for token in tokens)


def _mark_browser(request: HttpRequest, response: HttpResponse) -> None:
    if request.user.is_authenticated and not browser_key(request):
        response.set_signed_cookie(
            DRAFT_COOKIE,
            f"{request.user.pk}:{secrets.token_urlsafe(24)}",
            salt=DRAFT_COOKIE_SALT,
            max_age=DRAFT_COOKIE_AGE,
            httponly=True,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )


def _login_keeping_post(
    request: HttpRequest, target: Callable[..., Target | None], kwargs: dict[str, Any]
) -> HttpResponse:
    """The session ran out while someone was writing: keep the posted text server-side and bring it back after
    login. Kept only for the person this browser was signed in as, if they may still write in the form; any
    other anonymous request gets the same plain login redirect, whatever the ids in the URL."""
    if request.method != "POST":
        return redirect_to_login(request.get_full_path())
    query = ""
    writer = draft_writer(request)
    person = get_user_model().objects.filter(pk=writer[0], is_active=True).first() if writer else None
    kept = None
    if person is not None:
        try:
            kept = target(person, **kwargs)
        except Http404:
            kept = None
    if kept is not None and writer is not None:
        form_key, fields = kept
        # every ticked box of a multiple choice, not only the last one
        posted = {k: v if len(v) > 1 else v[0] for k, v in request.POST.lists() if v}
        token = draft_recovery_store(
            form_key=form_key, user=person, browser_key=writer[1], data=posted, fields=fields
        )
        query = "?" + urlencode({RECOVERY_PARAM: token})
    return redirect_to_login(request.path + query)


def keeps_drafts(target: Callable[..., Target | None]):
    """View decorator for a form page (put it above the access decorator): marks a signed-in person's browser
    as theirs, so that text posted after the session ran out is kept for that person in that browser and
    for nobody else. `target(person, **view_kwargs)` names the form, or None (or 404) if they may not write."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return _login_keeping_post(request, target, kwargs)
            response = view(request, *args, **kwargs)
            _mark_browser(request, response)
            return response

        return wrapped

    return decorator


def draft_recovered(
    request: HttpRequest, *, form_key: str, fields: Iterable[str], notice: str | None = None
) -> dict[str, Any] | None:
    """The text kept for this person in this browser for the token in the URL, with a notice that says so;
    None when there is none. The caller only pre-fills the form: nothing is saved until the person saves."""
    token = recovery_token(request)
    if not token:
        return None
    recovered = draft_recovery_take(
        form_key=form_key, token=token, user=request.user, browser_key=browser_key(request), fields=fields
    )
    if not recovered:
        return None
    messages.warning(
        request, notice or _("Økten din hadde utløpt. Vi har tatt vare på det du skrev: se over og lagre.")
    )
    return recovered


def draft_initial(
    request: HttpRequest,
    initial: dict[str, Any],
    *,
    form_key: str,
    fields: Iterable[str],
    notice: str | None = None,
) -> dict[str, Any]:
    """A form page's `initial` on GET, with the text kept from an expired session laid over it (and the notice
    that says so): what a form page that starts from stored or default values passes to its form."""
    recovered = draft_recovered(request, form_key=form_key, fields=fields, notice=notice)
    return {**initial, **(recovered or {})}


def draft_discard(request: HttpRequest, *, form_key: str) -> None:
    """The form was saved: the text kept for the token in the URL has done its job."""
    token = recovery_token(request)
    if token:
        draft_recovery_discard(
            form_key=form_key, token=token, user=request.user, browser_key=browser_key(request)
        )
