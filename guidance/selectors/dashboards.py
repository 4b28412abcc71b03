"""The panels on the dashboard: the advisor's agreements and the municipal contact's."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.permissions import role_scope
from programs.timing import OSLO

from ..models import (
    GuidanceAgreement,
    GuidanceSession,
)
from ..permissions import advisor_agreement_ids
from .hours import decorate, not_met_weeks, with_hours


def municipality_dashboard_agreements(*, user, limit: int = 5) -> list[GuidanceAgreement]:
    """A municipal contact's own agreements for the dashboard panel: names, hours and the next meeting. Not the
    advisors (a query of their own) nor the long texts: the panel does not show them."""
    ids = role_scope(user).municipality_ids
    if not ids:
        return []
    rows = (
        with_hours(GuidanceAgreement.objects.filter(municipality_id__in=ids))
        .select_related("municipality", "regional_program")
        .defer("agreement_text", "declined_note", "regional_program__applicant_guidance")
        .order_by("-regional_program__program__interest_deadline", "municipality__name")[:limit]
    )
    return [decorate(a) for a in rows]


# What the advisor's panel shows of an agreement (and `decorate` reads): not the long texts nor the contacts.
_PANEL_COLUMNS = ("agreed_hours", "starts_on", "declined_on", "municipality__name", "regional_program__name")


@dataclass
class AdvisorDashboard:
    agreements: list[GuidanceAgreement]
    not_met: list[GuidanceAgreement]
    over_frame: list[GuidanceAgreement]
    upcoming: list[GuidanceAgreement]
    weeks: int
    future_dated: list[GuidanceAgreement]  # with sessions dated after today, saved before that was refused


def advisor_dashboard(*, user, now: dt.datetime | None = None) -> AdvisorDashboard:
    """Everything on the advisor's panel in one query (after the role and agreement scope)."""
    now = now or timezone.now()
    ids = advisor_agreement_ids(user)
    rows = (
        [
            decorate(a, now=now)
            for a in with_hours(
                GuidanceAgreement.objects.filter(pk__in=ids)
                .select_related("municipality", "regional_program")
                .only(*_PANEL_COLUMNS)
            )
            .annotate(future_sessions=_future_sessions(timezone.localdate(now, timezone=OSLO)))
            .order_by("municipality__name", "regional_program__name")
        ]
        if ids
        else []
    )
    active = [a for a in rows if a.declined_on is None]
    return AdvisorDashboard(
        agreements=active,
        not_met=[a for a in active if a.not_met],
        over_frame=[a for a in active if a.frame_state == "over"],
        upcoming=sorted((a for a in active if a.next_at), key=lambda a: a.next_at),
        weeks=not_met_weeks(),
        future_dated=[a for a in rows if a.future_sessions],
    )


def _future_sessions(today: dt.date):
    """How many of the agreement's sessions are dated after `today`."""
    count = (
        GuidanceSession.objects.filter(agreement=OuterRef("pk"), held_on__gt=today)
        .order_by()
        .values("agreement")
        .annotate(c=Count("pk"))
        .values("c")
    )
    return Coalesce(Subquery(count, output_field=IntegerField()), Value(0))
