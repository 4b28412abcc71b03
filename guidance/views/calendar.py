"""The advisor's calendar address: the page to make, renew or revoke it, and the secret address itself."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.urls import reverse

from core.feeds import feed_changed, feed_confirm, feed_label, feed_url, feed_view, feeds_of
from core.permissions import require

from .. import services
from ..feeds import KINDS
from ..permissions import is_guidance_advisor


@require(is_guidance_advisor)
def calendar_settings(request):
    feed = feeds_of(request.user, kinds=KINDS).first()
    if request.method == "POST":
        verb = "revoke" if request.POST.get("action") == "revoke" else "renew"
        if feed is not None:
            asked = feed_confirm(
                request, verb=verb, label=feed_label(feed), cancel_url=reverse("guidance:calendar_settings")
            )
            if asked is not None:
                return asked
        if verb == "revoke":
            services.calendar_feed_revoke(actor=request.user)
            if feed is not None:
                feed_changed(request, verb="revoked")
        else:
            services.calendar_feed_renew(actor=request.user)
            feed_changed(request, verb="renewed" if feed is not None else "created")
        return redirect("guidance:calendar_settings")
    return render(
        request,
        "guidance/calendar_settings.html",
        {
            "feed": feed,
            "feed_url": feed_url(request, feed) if feed else "",
            "label": feed_label(feed) if feed else "",
        },
    )


# The secret address a calendar app subscribes to; no login, so the token is the only key.
calendar_feed = feed_view(*KINDS)
