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

What a browser does on Back (checked in Chromium by tests/e2e/test_once.py). Every page shown to a signed-in
person is sent `Cache-Control: private, no-store` (core.middleware), so Back to the form is, as a rule, not
served from the back/forward cache nor the HTTP cache (Playwright's Chromium has no back/forward cache at all,
so the journey checks this case): the browser fetches the form page anew, as a plain GET the server cannot tell
from opening the form by its link. Chromium then refills the fields the person typed (form state kept with
the history entry) but not a hidden field the server wrote, so the page carried a new token and saving it again
made a second object (seen in the journey before `core/once.js`). Firefox refills hidden fields too, so there
the old token came back by itself. A token the server derives on GET cannot help: after a save it cannot know
whether a GET is Back to the saved form or a wish for a new one (a counter that moves on save would hand Back a
new token: exactly the case to catch). So the token belongs to the history entry: the base page loads
`core/once.js` when it drew a `{% once_field %}`; the script keeps the token the page first showed in
`history.state` (kept per entry across Back, Forward and reload) and puts it back into the form when the entry
is shown again. A form reached by a link is a new entry and keeps the server's new token, so two creates in a
row both save. Firefox (its own refill and the script give the same old token) and a page restored whole from
the back/forward cache (the form is as it was) are not changed. Back to the page a refused POST drew is, in
Chromium, a GET of the form's address in that entry: the script gives it the token too (a browser that offers
to send the POST again sends that token).

Without JavaScript (checked in Chromium by tests/e2e/test_once.py): Back draws the form with a new token and
Chromium refills what the person typed, so the same content comes again under a new token. The row therefore
also keeps a fingerprint of what was posted (the form's address and its fields, not the token nor the CSRF
token); a post with a new token whose fingerprint this person saved in the last `SAME_FORM_MINUTES` is answered
like a second post of the same token. Two identical gatherings, sessions or invitations within minutes are never
meant; a changed field is a new save. Two quick clicks on the button (JavaScript or not) send the same token
twice: Chromium drops the first answer, the first request still saves, and the second waits in `saving_once`
and goes to the first one's object.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from functools import wraps

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import HttpRequest
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import FormSubmission

ONCE_FIELD = "engangsnokkel"
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{20,64}")
KEEP_DAYS = 30
SAME_FORM_MINUTES = 30  # Back without JavaScript and saving again comes within minutes
DRAWN_FIELDS = frozenset({ONCE_FIELD, "csrfmiddlewaretoken"})  # drawn anew with the page, not typed


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


def drew_token(request: HttpRequest | None) -> bool:
    """Whether this page drew a form token (its base page then loads `core/once.js`)."""
    return bool(getattr(request, "_once_token", ""))


def form_fingerprint(request: HttpRequest) -> str:
    """What a create form posted, to its address: the same after Back without JavaScript (the browser refills the
    typed fields), different as soon as one field is."""
    fields = sorted((key, request.POST.getlist(key)) for key in request.POST if key not in DRAWN_FIELDS)
    return hashlib.sha256(json.dumps([request.path, fields], ensure_ascii=False).encode()).hexdigest()


def _saved_before(request: HttpRequest) -> str:
    """Where the save of this post went: its token's row, or a row of the same content saved just before."""
    token = posted_token(request)
    if not token or not request.user.is_authenticated:
        return ""
    recent = Q(
        fingerprint=form_fingerprint(request),
        created_at__gte=timezone.now() - dt.timedelta(minutes=SAME_FORM_MINUTES),
    )
    rows = (
        FormSubmission.objects.filter(Q(token=token) | recent, user=request.user)
        .exclude(url="")
        .values_list("token", "url")[:5]
    )
    found = dict(rows)
    return found.get(token) or next(iter(found.values()), "")


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
                row = FormSubmission.objects.create(
                    user_id=request.user.pk, token=token, fingerprint=form_fingerprint(request), url=""
                )
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
