"""The panels on the dashboard: the advisor's agreements and the municipal contact's."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.permissions import role_scope
from core.sql import aware, day, id_list
from municipalities.models import Municipality
from programs.models import RegionalProgram
from programs.timing import OSLO

from ..models import (
    GuidanceAgreement,
    GuidanceSession,
)
from ..permissions import advisor_agreement_ids
from .hours import decorate, not_met_weeks, with_hours

# A municipal contact's agreements with what `with_hours` adds (used minutes, sessions, the latest session's date and
# planned next meeting) and only the names the panel shows. Written out: the ORM built the four subqueries, the joins
# and every column of agreement, region and municipality in several times what the database took.
# tests/guidance/test_selectors.py compares it with the ORM's query.
_MUNICIPALITY_AGREEMENTS_SQL = (
    "SELECT g.id, g.regional_program_id, g.municipality_id, g.agreed_hours, g.starts_on, g.declined_on,"
    " rp.name, m.name,"
    " COALESCE((SELECT SUM(s.duration_minutes) FROM guidance_guidancesession s WHERE s.agreement_id = g.id), 0),"
    " (SELECT COUNT(*) FROM guidance_guidancesession s WHERE s.agreement_id = g.id),"
    " (SELECT s.held_on FROM guidance_guidancesession s WHERE s.agreement_id = g.id AND s.held_on <= %s"
    "  ORDER BY s.held_on DESC, s.id DESC LIMIT 1),"
    " (SELECT s.next_session_at FROM guidance_guidancesession s WHERE s.agreement_id = g.id"
    "  ORDER BY s.held_on DESC, s.id DESC LIMIT 1)"
    " FROM guidance_guidanceagreement g"
    " INNER JOIN municipalities_municipality m ON m.id = g.municipality_id"
    " INNER JOIN programs_regionalprogram rp ON rp.id = g.regional_program_id"
    " INNER JOIN programs_program p ON p.id = rp.program_id"
    " WHERE g.municipality_id IN {municipalities}"
    " ORDER BY p.interest_deadline DESC, m.name, g.id LIMIT %s"
)


def municipality_dashboard_agreements(*, user, limit: int = 5) -> list[GuidanceAgreement]:
    """A municipal contact's own agreements for the dashboard panel: names, hours and the next meeting (as
    `with_hours` and `decorate` give them). Not the advisors (a query of their own) nor the long texts: the panel
    does not show them."""
    ids = role_scope(user).municipality_ids
    if not ids:
        return []
    placeholders, params = id_list(ids)
    with connection.cursor() as cursor:
        # A session dated after today (saved before that was refused) is not the last meeting held (`with_hours`).
        today = timezone.localdate(timezone=OSLO)
        cursor.execute(
            _MUNICIPALITY_AGREEMENTS_SQL.format(municipalities=placeholders),
            [connection.ops.adapt_datefield_value(today), *params, limit],
        )
        rows = cursor.fetchall()
    alias = connection.alias
    agreed_hours = GuidanceAgreement._meta.get_field("agreed_hours")
    agreements = []
    for (
        pk,
        rp_id,
        municipality_id,
        agreed,
        starts_on,
        declined_on,
        rp_name,
        municipality_name,
        used_minutes,
        session_count,
        last_held_on,
        planned_next_at,
    ) in rows:
        agreement = GuidanceAgreement.from_db(
            alias,
            ["id", "regional_program_id", "municipality_id", "agreed_hours", "starts_on", "declined_on"],
            [pk, rp_id, municipality_id, agreed_hours.to_python(agreed), day(starts_on), day(declined_on)],
        )
        agreement.regional_program = RegionalProgram.from_db(alias, ["id", "name"], [rp_id, rp_name])
        agreement.municipality = Municipality.from_db(
            alias, ["id", "name"], [municipality_id, municipality_name]
        )
        agreement.used_minutes = int(used_minutes)
        agreement.session_count = int(session_count)
        agreement.last_held_on = day(last_held_on)
        agreement.planned_next_at = aware(planned_next_at)
        agreements.append(decorate(agreement))
    return agreements


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
