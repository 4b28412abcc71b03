"""Secret calendar addresses: one table (`core.models.CalendarFeed`), one set of services, one feed view.

Core knows no domain. Each app declares its kinds of address in `<app>/feeds.py` (imported at start-up, as
`<app>/audit.py` is): who may own one, what it is called, which events it holds, which URL serves it and
which audit codes its changes write:

    # gatherings/feeds.py
    register(
        FeedKind(
            code="gatherings.region",                  # "<app>.<what>", stored on every row
            label=region_name,                         # feed -> what it holds, for the owner's page and export
            name=region_name,                          # feed -> the calendar's name in the subscriber's app
            events=region_events,                      # feed -> icalendar events (built with core.ics)
            url_name="gatherings:feed",                # the app's URL serving it, one argument: `token`
            audit=FEED_AUDIT,                          # {"created"|"revoked"|"renewed": "<app>.….…"}
            log=audit_log,                             # the audit writer: passed in, so core imports no app
        )
    )

A revoked address is kept (`revoked_at`) and answers 404, as does an unknown one, one of another app's kinds,
or one whose owner is no longer active or may no longer own it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .ics import ics_bytes, ics_calendar
from .models import CalendarFeed

VERBS = ("created", "revoked", "renewed")


def anyone(user) -> bool:
    return True


@dataclass(frozen=True)
class FeedKind:
    code: str
    label: Callable[[CalendarFeed], Any]
    name: Callable[[CalendarFeed], Any]
    events: Callable[[CalendarFeed], Iterable[Any]]
    url_name: str
    audit: Mapping[str, str]
    log: Callable[..., Any]
    may_own: Callable[[Any], bool] = anyone
    # One address per owner (a new one replaces the old) rather than as many as they like.
    one_per_owner: bool = False
    # How long a calendar app may keep the answer, in seconds.
    max_age: int = 900

    @property
    def app(self) -> str:
        return self.code.split(".", 1)[0]


_kinds: dict[str, FeedKind] = {}


def register(kind: FeedKind) -> None:
    """Declare one kind of address; see the module docstring."""
    if kind.code.count(".") != 1:
        raise ValueError(f"feed kind {kind.code!r} must be '<app>.<what>'")
    if set(kind.audit) != set(VERBS):
        raise ValueError(f"feed kind {kind.code!r} needs an audit code for each of {VERBS}")
    wrong = [code for code in kind.audit.values() if not code.startswith(f"{kind.app}.")]
    if wrong:
        raise ValueError(f"feed kind {kind.code!r}: audit codes {wrong} must start with {kind.app!r}")
    _kinds[kind.code] = kind


def kind_get(code: str) -> FeedKind:
    try:
        return _kinds[code]
    except KeyError:
        raise LookupError(f"no calendar feed kind {code!r} is registered") from None


def kinds() -> list[FeedKind]:
    return list(_kinds.values())


def feed_label(feed: CalendarFeed) -> str:
    """What the address holds, in words; the bare code for a kind whose app is gone."""
    kind = _kinds.get(feed.kind)
    return str(kind.label(feed)) if kind else feed.kind


# --- services -------------------------------------------------------------------------------------------


def _log(feed: CalendarFeed, verb: str, *, actor) -> None:
    kind = _kinds.get(feed.kind)
    if kind is not None:  # a kind whose app is gone has no vocabulary left to write in
        kind.log(actor=actor, action=kind.audit[verb], obj=feed)


def feed_create(*, actor, kind: str, scope_id: int | None = None) -> CalendarFeed:
    """A new address owned by `actor`. Of a one-per-owner kind, an address the owner has stops working."""
    spec = kind_get(kind)
    if not spec.may_own(actor):
        raise ValidationError(_("Du kan ikke ha en slik kalenderadresse."))
    with transaction.atomic():
        if spec.one_per_owner:
            # The owner's row as the lock: two clicks at once still leave one working address.
            get_user_model().objects.select_for_update().filter(pk=actor.pk).first()
            current = feeds_of(actor, kinds=[kind]).first()
            if current is not None:
                return feed_renew(actor=actor, feed=current)
        feed = CalendarFeed.objects.create(owner=actor, kind=kind, scope_id=scope_id)
        _log(feed, "created", actor=actor)
    return feed


def feed_revoke(*, actor, feed: CalendarFeed) -> bool:
    """The address stops working; the row stays with the time. False if it was revoked already."""
    with transaction.atomic():
        now = timezone.now()
        changed = CalendarFeed.objects.filter(pk=feed.pk, revoked_at__isnull=True).update(revoked_at=now)
        if changed:
            feed.revoked_at = now
            _log(feed, "revoked", actor=actor)
    return bool(changed)


def feed_renew(*, actor, feed: CalendarFeed) -> CalendarFeed:
    """Revoke `feed` and give its owner a new address for the same calendar, in one step."""
    spec = kind_get(feed.kind)
    if not spec.may_own(feed.owner):
        raise ValidationError(_("Du kan ikke ha en slik kalenderadresse."))
    with transaction.atomic():
        feed_revoke(actor=actor, feed=feed)
        new = CalendarFeed.objects.create(owner_id=feed.owner_id, kind=feed.kind, scope_id=feed.scope_id)
        _log(new, "renewed", actor=actor)
    return new


def feeds_revoke_all(*, owner, actor) -> int:
    """Every address of `owner` stops working (their personal data is erased). Returns how many did."""
    with transaction.atomic():
        return sum(
            feed_revoke(actor=actor, feed=feed)
            for feed in CalendarFeed.objects.select_for_update().filter(owner=owner, revoked_at__isnull=True)
        )


# --- reads ----------------------------------------------------------------------------------------------


def feeds_of(owner, *, kinds: Iterable[str]) -> QuerySet[CalendarFeed]:
    """The owner's working addresses of these kinds, newest first."""
    return CalendarFeed.objects.filter(owner=owner, kind__in=list(kinds), revoked_at__isnull=True)


def feed_by_token(token: str, *, kinds: Iterable[str]) -> CalendarFeed | None:
    if not token or len(token) > 64:
        return None
    feed = (
        CalendarFeed.objects.select_related("owner")
        .filter(token=token, kind__in=list(kinds), revoked_at__isnull=True, owner__is_active=True)
        .first()
    )
    if feed is None or not kind_get(feed.kind).may_own(feed.owner):
        return None
    return feed


def feed_url(request: HttpRequest, feed: CalendarFeed) -> str:
    """The full address to paste into a calendar app."""
    return request.build_absolute_uri(reverse(kind_get(feed.kind).url_name, args=[feed.token]))


def feed_view(*kinds: str) -> Callable[..., HttpResponse]:
    """The view serving the secret addresses of `kinds` (no login: the token is the key)."""

    @require_GET
    def view(request: HttpRequest, token: str) -> HttpResponse:
        feed = feed_by_token(token, kinds=kinds)
        if feed is None:
            raise Http404
        spec = kind_get(feed.kind)
        cal = ics_calendar(name=str(spec.name(feed)))
        for event in spec.events(feed):
            cal.add_component(event)
        response = HttpResponse(ics_bytes(cal), content_type="text/calendar; charset=utf-8")
        response["Cache-Control"] = f"private, max-age={spec.max_age}"
        return response

    return view
