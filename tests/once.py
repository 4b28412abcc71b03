"""What every create form with a one-time token (core.once) must do, checked the way a person would meet it:
Back after saving and saving again (with JavaScript: the same token; without: a new token and the same fields)
makes nothing twice and leads to what the first save made."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import FormSubmission
from core.once import ONCE_FIELD

ALREADY = "Dette var allerede lagret – her er det."


def form_token(html: str) -> str:
    found = re.search(rf'name="{ONCE_FIELD}" value="([^"]+)"', html)
    assert found, "the form carries no one-time token"
    return found.group(1)


@dataclass
class CreateForm:
    url: str
    user: Any
    data: dict[str, Any]
    invalid: dict[str, Any]
    made: Callable[[], int]  # how many objects exist
    sent: Callable[[], int] | None = None  # how many e-mails went (or are queued), if the create sends any
    other_user: Any = None  # someone else who may use the same form


def _post(client, capture, url, data, **kwargs):
    with capture(execute=True):
        return client.post(url, data, **kwargs)


def check_creates_once(client, capture, form: CreateForm) -> None:
    """`capture` is pytest-django's `django_capture_on_commit_callbacks` (e-mail goes after the commit)."""
    client.force_login(form.user)
    made_before = form.made()
    sent_before = form.sent() if form.sent else 0
    rows_before = FormSubmission.objects.count()

    # The page: a token, and nothing written.
    with CaptureQueriesContext(connection) as queries:
        page = client.get(form.url)
    assert page.status_code == 200
    token = form_token(page.content.decode())
    writes = [
        q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []
    assert FormSubmission.objects.count() == rows_before
    assert form_token(client.get(form.url).content.decode()) != token  # each page its own

    # A form error keeps the token, and nothing is made or sent.
    refused = _post(client, capture, form.url, {**form.invalid, ONCE_FIELD: token})
    assert refused.status_code == 200
    assert form_token(refused.content.decode()) == token
    assert form.made() == made_before
    assert FormSubmission.objects.count() == rows_before

    # The corrected form saves once; Back and save again leads there, with a message, and makes nothing.
    first = _post(client, capture, form.url, {**form.data, ONCE_FIELD: token})
    assert first.status_code == 302, first.content.decode()[:2000]
    assert form.made() == made_before + 1
    sent_once = form.sent() if form.sent else 0
    if form.sent:
        assert sent_once > sent_before
    again = _post(client, capture, form.url, {**form.data, ONCE_FIELD: token})
    assert again.status_code == 302
    assert again["Location"] == first["Location"]
    shown = client.get(again["Location"]).content.decode()
    assert ALREADY in shown
    assert form.made() == made_before + 1
    if form.sent:
        assert form.sent() == sent_once

    # Back without JavaScript: the browser fetched the form anew (a new token) and refilled what was typed.
    # Saving that again also leads to the first save, and makes and sends nothing.
    fresh = form_token(client.get(form.url).content.decode())
    assert fresh != token
    refilled = _post(client, capture, form.url, {**form.data, ONCE_FIELD: fresh})
    assert refilled.status_code == 302
    assert refilled["Location"] == first["Location"]
    assert ALREADY in client.get(refilled["Location"]).content.decode()
    assert form.made() == made_before + 1
    if form.sent:
        assert form.sent() == sent_once

    # Someone else's token is new for them: it never leads to the first person's object.
    if form.other_user is not None:
        client.force_login(form.other_user)
        theirs = _post(client, capture, form.url, {**form.data, ONCE_FIELD: token})
        assert theirs.status_code == 302
        assert ALREADY not in client.get(theirs["Location"]).content.decode()
        if form.sent:
            assert form.sent() > sent_once  # sent again: it was their own save
        else:
            assert form.made() == made_before + 2
