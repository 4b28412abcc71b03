"""The advisor's calendar feed: the planned next meetings."""

from __future__ import annotations

import datetime as dt

from django.db.models import (
    F,
    OuterRef,
    Subquery,
)
from django.utils import timezone

from ..models import (
    GuidanceSession,
)
from ..permissions import advisor_agreement_ids


def planned_sessions_for_feed(*, user) -> list[GuidanceSession]:
    """The sessions whose planned next meeting is still the latest plan of their agreement (for the feed)."""
    ids = advisor_agreement_ids(user)
    if not ids:
        return []
    since = timezone.now() - dt.timedelta(days=60)
    latest = (
        GuidanceSession.objects.filter(agreement=OuterRef("agreement"))
        .order_by("-held_on", "-id")
        .values("pk")[:1]
    )
    return list(
        GuidanceSession.objects.filter(agreement_id__in=ids, next_session_at__gte=since)
        .annotate(latest_pk=Subquery(latest))
        .filter(pk=F("latest_pk"))
        .select_related("agreement__municipality", "agreement__regional_program")
        .defer("internal_note")
        .order_by("next_session_at")
    )
