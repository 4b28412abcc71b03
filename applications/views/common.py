"""What the application views share: POST-only actions, service errors onto forms and messages, scoped lookups."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from core.confirm import confirm_page  # noqa: F401  (re-exported for the views of this app)
from core.http import post_only  # noqa: F401  (re-exported for the views of this app)
from programs.models import RegionalProgram

from .. import selectors
from ..models import (
    Application,
)
from ..permissions import (
    speaks_for_application,
)


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


# --- Leadership: window, criteria, jury, ranking, decisions -----------------------------------------------------


def _selection_program(request, rp_id: int) -> RegionalProgram:
    return get_object_or_404(selectors.regional_programs_for_selection(user=request.user), pk=rp_id)
