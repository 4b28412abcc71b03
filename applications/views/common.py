"""What the application views share: POST-only actions, service errors onto forms and messages, scoped lookups."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _

from core.confirm import confirm_page  # noqa: F401  (re-exported for the views of this app)
from programs.models import RegionalProgram

from .. import selectors
from ..models import (
    Application,
)
from ..permissions import (
    speaks_for_application,
)

RECOVERY_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")


def post_only(url_name: str, *arg_names: str):
    """For URLs that only act on POST: a GET (a bookmark, a reload, a pasted link) goes to the page the action
    belongs to instead of an empty 405. That page does its own scoping (404 for outsiders)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method != "POST":
                return redirect(url_name, *[kwargs[name] for name in arg_names])
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def _form_error(form, exc: ValidationError) -> None:
    """Put a domain error on the form: field-keyed where the field exists, otherwise as a non-field error."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        for message in exc.messages:
            form.add_error(None, message)


def coordinator_demoted_message(request, previous, data) -> None:
    """Naming a new coordinator took the title from the previous one: say so (it happened silently)."""
    if previous is not None and data.get("is_coordinator"):
        messages.info(
            request,
            _("%(new)s er nå koordinator. %(old)s er ikke lenger koordinator, men er fortsatt med i gruppen.")
            % {"new": data.get("name", ""), "old": previous.name},
        )


def _message_error(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _attempt(request, call: Callable[[], object], success: str) -> bool:
    """Run one service call for a POST: a refusal becomes error messages, otherwise `success` is shown."""
    try:
        call()
    except ValidationError as exc:
        _message_error(request, exc)
        return False
    messages.success(request, success)
    return True


# --- One application -------------------------------------------------------------------------------------


def _visible_application(request, pk: int) -> Application:
    return get_object_or_404(selectors.application_detail(user=request.user, pk=pk))


def _editable_application(request, pk: int) -> Application:
    application = _visible_application(request, pk)
    if not speaks_for_application(request.user, application):
        raise Http404
    return application


def _recovery_token(request) -> str:
    token = request.GET.get("gjenopprett", "")
    return token if RECOVERY_TOKEN.fullmatch(token) else ""


# --- Leadership: window, criteria, jury, ranking, decisions -----------------------------------------------------


def _selection_program(request, rp_id: int) -> RegionalProgram:
    return get_object_or_404(selectors.regional_programs_selectable(user=request.user), pk=rp_id)


# --- Draft recovery: whose browser is this -----------------------------------------------------------------


DRAFT_COOKIE = "kp_utkast"
DRAFT_COOKIE_SALT = "applications.draft-recovery"
DRAFT_COOKIE_AGE = 14 * 24 * 60 * 60


def _draft_writer(request) -> tuple[int, str] | None:
    """(person, browser key) from the signed cookie the edit pages give a signed-in person's browser."""
    from django.core import signing

    try:
        value = request.get_signed_cookie(DRAFT_COOKIE, salt=DRAFT_COOKIE_SALT, max_age=DRAFT_COOKIE_AGE)
    except (KeyError, signing.BadSignature):
        return None
    person, _sep, key = value.partition(":")
    return (int(person), key) if person.isdigit() and len(key) >= 16 else None


def _browser_key(request) -> str:
    """This browser's key, when the cookie belongs to the person signed in now; else nothing matches."""
    writer = _draft_writer(request)
    return writer[1] if writer is not None and writer[0] == request.user.pk else ""


def remembers_writer(view):
    """Mark the browser as the signed-in person's, so text posted after the session ran out comes back to
    that person in that browser, and to nobody else."""
    import secrets
    from functools import wraps

    from django.conf import settings

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if request.user.is_authenticated and not _browser_key(request):
            response.set_signed_cookie(
                DRAFT_COOKIE,
                f"{request.user.pk}:{secrets.token_urlsafe(24)}",
                salt=DRAFT_COOKIE_SALT,
                max_age=DRAFT_COOKIE_AGE,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response

    return wrapped
