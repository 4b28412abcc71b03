"""Calendar subscriptions: the owner's page (create, revoke, renew) and the secret feed address itself."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core.feeds import feed_label, feed_url, feed_view, feeds_of
from core.permissions import require

from .. import selectors, services
from ..feeds import KINDS
from ..permissions import can_see_gatherings
from .common import post_only


@require(can_see_gatherings)
def feeds(request):
    regions = list(selectors.regional_programs_for(request.user))
    if request.method == "POST":
        rp_id = request.POST.get("regional_program", "")
        region = None
        if rp_id:
            if not (rp_id.isascii() and rp_id.isdigit()):
                raise Http404
            region = get_object_or_404(selectors.regional_programs_for(request.user), pk=int(rp_id))
        services.feed_create(actor=request.user, regional_program=region)
        messages.success(request, _("Kalenderadressen er laget. Kopier den inn i kalenderprogrammet ditt."))
        return redirect("gatherings:feeds")
    # The regions are loaded already: their names label the region feeds without a query each.
    names = {rp.pk: rp.name for rp in regions}
    own = [
        (feed, names.get(feed.scope_id) or feed_label(feed), feed_url(request, feed))
        for feed in feeds_of(request.user, kinds=KINDS)
    ]
    return render(request, "gatherings/feeds.html", {"feeds": own, "regions": regions})


def _own_feed(request, feed_id: int):
    return get_object_or_404(feeds_of(request.user, kinds=KINDS), pk=feed_id)


@require(can_see_gatherings)
@post_only("gatherings:feeds")
def feed_revoke(request, feed_id: int):
    services.feed_revoke(actor=request.user, feed=_own_feed(request, feed_id))
    messages.success(request, _("Kalenderadressen virker ikke lenger."))
    return redirect("gatherings:feeds")


@require(can_see_gatherings)
@post_only("gatherings:feeds")
def feed_renew(request, feed_id: int):
    services.feed_renew(actor=request.user, feed=_own_feed(request, feed_id))
    messages.success(request, _("Du har fått en ny kalenderadresse. Den gamle virker ikke lenger."))
    return redirect("gatherings:feeds")


# No login: the secret address is the key. A revoked or unknown one answers 404.
feed = feed_view(*KINDS)
