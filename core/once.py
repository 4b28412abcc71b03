"""Create forms that create once: Back after saving, then saving again, leads to what the first save made.

The form page carries a random one-time token (`{% once_field %}` from `core_tags`, made when the page is
drawn: nothing is written). The POST that creates records the token, with the person and the address of what
it made, in the same transaction as the create; a second POST with the same token creates nothing and goes
there, with a message. A POST with form errors draws the same token again, so the corrected one still counts as
the first. A token is only looked up among the person's own (someone else's is new and never leads to their
object), and a POST without a token works as before. In a view, under the access decorator:

    @require(can_do_it)
    @submits_once
    def thing_create(request, ...):
        ...
            with saving_once(request) as once:
                thing = services.thing_create(...)
                once.made(reverse("app:thing", args=[thing.pk]))

Rows are deleted `KEEP_DAYS` later by the daily beat task `core.form_submissions_purge`.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from functools import wraps

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import FormSubmission

ONCE_FIELD = "engangsnokkel"
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{20,64}")
KEEP_DAYS = 30


class AlreadySaved(Exception):
    """The same form was saved by a request that finished first: `submits_once` answers with its object."""


def posted_token(request: HttpRequest) -> str:
    token = request.POST.get(ONCE_FIELD, "") if request.method == "POST" else ""
    return token if TOKEN_SHAPE.fullmatch(token) else ""


def form_token(request: HttpRequest | None) -> str:
    """The token a form page carries: the posted one when the page comes back with form errors, else a new one
    (kept on the request, so that the page draws one token however often it asks)."""
    if request is None:
        return secrets.token_urlsafe(24)
    token = getattr(request, "_once_token", "") or posted_token(request) or secrets.token_urlsafe(24)
    request._once_token = token  # type: ignore[attr-defined]
    return token


def _saved_before(request: HttpRequest) -> str:
    token = posted_token(request)
    if not token or not request.user.is_authenticated:
        return ""
    url = FormSubmission.objects.filter(user=request.user, token=token).values_list("url", flat=True).first()
    return url or ""


def submits_once(view):
    """View decorator (below the access decorator): a POST whose token this person already saved goes to what
    that save made, with a message, before the view runs."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        url = _saved_before(request)
        if not url:
            try:
                return view(request, *args, **kwargs)
            except AlreadySaved:
                url = _saved_before(request)
        messages.info(request, _("Dette var allerede lagret – her er det."))
        return redirect(url or request.path)

    return wrapped


class _Made:
    url = ""

    def made(self, target) -> None:
        """Where the object this save made is: an address, or an object with `get_absolute_url()`."""
        self.url = target if isinstance(target, str) else target.get_absolute_url()


@contextmanager
def saving_once(request: HttpRequest) -> Iterator[_Made]:
    """One transaction around the create: the token is taken first (a second request with it waits here until
    the first is done, then is answered by `submits_once`), and goes back if the create fails."""
    token = posted_token(request)
    made = _Made()
    with transaction.atomic():
        if not token or not request.user.is_authenticated:
            yield made
            return
        try:
            with transaction.atomic():
                row = FormSubmission.objects.create(user_id=request.user.pk, token=token, url="")
        except IntegrityError:
            raise AlreadySaved from None
        yield made
        if made.url:
            FormSubmission.objects.filter(pk=row.pk).update(url=made.url[:500])
        else:
            row.delete()  # nothing was made: the token stays free


def form_submissions_purge(*, now: dt.datetime | None = None) -> int:
    """Forget saved tokens older than `KEEP_DAYS` (nobody goes Back that far)."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=KEEP_DAYS)
    return FormSubmission.objects.filter(created_at__lt=cutoff).delete()[0]
