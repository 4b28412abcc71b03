"""The advisor's calendar address: the page to make, renew or revoke it, and the secret address itself."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.feeds import feed_url, feed_view, feeds_of
from core.permissions import require

from .. import services
from ..feeds import KINDS
from ..permissions import is_guidance_advisor


@require(is_guidance_advisor)
def calendar_settings(request):
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            services.calendar_feed_revoke(actor=request.user)
            messages.success(
                request, _("Kalenderadressen er slettet. Den gamle adressen virker ikke lenger.")
            )
        else:
            services.calendar_feed_renew(actor=request.user)
            messages.success(
                request,
                _("Du har fått en ny kalenderadresse. En eventuell gammel adresse virker ikke lenger."),
            )
        return redirect("guidance:calendar_settings")
    feed = feeds_of(request.user, kinds=KINDS).first()
    url = feed_url(request, feed) if feed else ""
    return render(request, "guidance/calendar_settings.html", {"feed": feed, "feed_url": url})


# The secret address a calendar app subscribes to; no login, so the token is the only key.
calendar_feed = feed_view(*KINDS)
