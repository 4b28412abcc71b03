"""Draft recovery: text a person posted after their session had expired, kept for them alone.

Any form can use it (the request side is `core.draft_views`). A recovery is named by a form key that the
owning app chooses ("applications.application:12", "gatherings.hand_in:3:7"); core knows nothing of it.
A recovery belongs to one person in one browser, is offered back only to them, expires after
`RECOVERY_DAYS`, and each person keeps at most `MAX_RECOVERIES` per form.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from .models import DraftRecovery

RECOVERY_DAYS = 14
MAX_RECOVERIES = 10
MAX_TEXT = 20000
MAX_VALUES = 200


def _cutoff() -> dt.datetime:
    return timezone.now() - dt.timedelta(days=RECOVERY_DAYS)


def _clean(value: Any) -> str | list[str]:
    """A posted value as kept: several values (ticked boxes) stay a list of them."""
    if isinstance(value, list | tuple):
        return [_clean_text(v) for v in value][:MAX_VALUES]
    return _clean_text(value)


def _clean_text(value: Any) -> str:
    # PostgreSQL's JSON cannot hold NUL characters; nobody types them on purpose.
    return str(value).replace("\x00", "")[:MAX_TEXT]


def draft_recovery_store(
    *, form_key: str, user, browser_key: str, data: dict[str, Any], fields: Iterable[str]
) -> str:
    """Keep the `fields` of `data` (a value, or a list of the values of a multiple choice) posted by `user`'s expired session in one browser; returns the token to
    carry through the login. The caller has checked that `user` may still write in this form."""
    allowed = set(fields)
    clean = {k: _clean(v) for k, v in data.items() if k in allowed}
    token = secrets.token_urlsafe(24)
    # No audit row: nothing changes until the person saves.
    DraftRecovery.objects.create(
        form_key=form_key, user=user, browser_key=browser_key, token=token, data=clean
    )
    # Bounded: two weeks, and per person and form the newest few (someone else's rows are never touched).
    DraftRecovery.objects.filter(created_at__lt=_cutoff()).delete()
    mine = DraftRecovery.objects.filter(form_key=form_key, user=user)
    keep = list(mine.order_by("-created_at", "-id").values_list("pk", flat=True)[:MAX_RECOVERIES])
    mine.exclude(pk__in=keep).delete()
    return token


def _recovery(*, form_key: str, token: str, user, browser_key: str) -> QuerySet[DraftRecovery]:
    if not token or not browser_key or not getattr(user, "is_authenticated", False):
        return DraftRecovery.objects.none()
    return DraftRecovery.objects.filter(
        form_key=form_key, token=token, user=user, browser_key=browser_key, created_at__gte=_cutoff()
    )


def draft_recovery_take(
    *, form_key: str, token: str, user, browser_key: str, fields: Iterable[str]
) -> dict[str, Any] | None:
    """The kept text for this person in this browser (only the `fields` the form has now), or None."""
    recovery = _recovery(form_key=form_key, token=token, user=user, browser_key=browser_key).first()
    if recovery is None:
        return None
    allowed = set(fields)
    return {k: v for k, v in recovery.data.items() if k in allowed}


def draft_recovery_discard(*, form_key: str, token: str, user, browser_key: str) -> None:
    """The person saved the form: the kept text has done its job."""
    _recovery(form_key=form_key, token=token, user=user, browser_key=browser_key).delete()
