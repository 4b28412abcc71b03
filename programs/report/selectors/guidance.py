"""Guidance: agreed and used hours per municipality, hours per theme and per month.

Sessions are read with `.values()` and never with their internal note: the report is shown to boards and
exported.

The period filter narrows the hours used (and the sessions, themes and months) to the period, but an
agreement's frame is for the whole agreement: its share used, and whether it is over the frame, are always of
all its sessions (`total_*`), so no filter hides an agreement that is over its frame."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import formats, timezone

from guidance.models import GuidanceAgreement, GuidanceSession, Theme, minutes_to_hours
from guidance.selectors import frame_state, theme_minutes
from programs.timing import OSLO

from .common import percent


def report_guidance(regions, ids, in_branch, period) -> dict:
    # Each agreement's sessions summed through the (agreement, held_on) index, instead of joining and grouping
    # every session of the edition.
    own = (
        GuidanceSession.objects.filter(period.q("held_on"), agreement=OuterRef("pk"))
        .order_by()
        .values("agreement")
    )
    every = GuidanceSession.objects.filter(agreement=OuterRef("pk")).order_by().values("agreement")
    totals = (
        # All the agreement's sessions, whatever the period (the same subquery without the period's days).
        {
            "total_minutes": Coalesce(
                Subquery(every.annotate(m=Sum("duration_minutes")).values("m"), output_field=IntegerField()),
                Value(0),
            )
        }
        if period.is_set
        else {}
    )
    agreements = list(
        GuidanceAgreement.objects.filter(in_branch("municipality"), regional_program_id__in=ids)
        .annotate(
            **totals,
            used_minutes=Coalesce(
                Subquery(own.annotate(m=Sum("duration_minutes")).values("m"), output_field=IntegerField()),
                Value(0),
            ),
            session_count=Coalesce(
                Subquery(own.annotate(c=Count("pk")).values("c"), output_field=IntegerField()), Value(0)
            ),
        )
        .values(
            "pk",
            "regional_program_id",
            "municipality__name",
            "agreed_hours",
            "declined_on",
            "used_minutes",
            "session_count",
            *totals,
        )
        .order_by("municipality__name", "pk")
    )
    # The sessions of the agreements just read (the same scope): by their ids the database reads the sessions
    # through the agreement index instead of joining every session with the agreements and municipalities.
    sessions = GuidanceSession.objects.filter(
        period.q("held_on"), agreement_id__in=[a["pk"] for a in agreements]
    )
    by_theme = theme_minutes(sessions=sessions)
    months = list(
        sessions.annotate(month=TruncMonth("held_on"))
        .values("month")
        .annotate(
            sessions=Count("pk"),
            minutes=Sum("duration_minutes"),
            # Dated after today: saved before that was refused. Counted like the others (the hours were logged
            # against the frame), and said, so that the reader knows a date is to be corrected.
            future=Count("pk", filter=Q(held_on__gt=timezone.localdate(timezone=OSLO))),
        )
        .order_by("month")
    )
    per_region = []
    for region in regions:
        rows = []
        for a in agreements:
            if a["regional_program_id"] != region.pk:
                continue
            agreed_minutes = int((a["agreed_hours"] or Decimal(0)) * 60)
            declined = a["declined_on"] is not None
            total_minutes = a.get("total_minutes", a["used_minutes"])
            rows.append(
                {
                    "municipality": a["municipality__name"],
                    "agreed_minutes": 0 if declined else agreed_minutes,
                    "agreed_hours": Decimal(0) if declined else minutes_to_hours(agreed_minutes),
                    "used_minutes": a["used_minutes"],
                    "used_hours": minutes_to_hours(a["used_minutes"]),
                    "sessions": a["session_count"],
                    "total_minutes": total_minutes,
                    "total_hours": minutes_to_hours(total_minutes),
                    "declined_on": a["declined_on"],
                    "percent": None if declined else percent(total_minutes, agreed_minutes),
                    "state": "declined" if declined else frame_state(total_minutes, agreed_minutes),
                }
            )
        agreed = sum(r["agreed_minutes"] for r in rows)
        used = sum(r["used_minutes"] for r in rows)
        # The frame's share: what the agreements still running have used in all, of what they agreed.
        total = sum(r["total_minutes"] for r in rows)
        per_region.append(
            {
                "region": region,
                "rows": rows,
                "agreed_minutes": agreed,
                "used_minutes": used,
                "total_minutes": total,
                "agreed_hours": minutes_to_hours(agreed),
                "used_hours": minutes_to_hours(used),
                "total_hours": minutes_to_hours(total),
                "sessions": sum(r["sessions"] for r in rows),
                "percent": percent(total, agreed),
                "over": sum(1 for r in rows if r["state"] == "over"),
            }
        )
    themes: list[dict[str, Any]] = []
    for code, label in Theme.choices:
        minutes, count = by_theme.get(code, (0.0, 0))
        themes.append(
            {
                "code": code,
                "label": str(label),
                "minutes": minutes,
                "hours": minutes_to_hours(minutes),
                "sessions": count,
            }
        )
    agreed = sum(r["agreed_minutes"] for r in per_region)
    used = sum(r["used_minutes"] for r in per_region)
    total = sum(r["total_minutes"] for r in per_region)
    return {
        "period_set": period.is_set,
        "regions": per_region,
        "themes": themes,
        "theme_total_hours": minutes_to_hours(sum(t["minutes"] for t in themes)),
        "months": [
            {
                "month": m["month"],
                "label": formats.date_format(m["month"], "YEAR_MONTH_FORMAT"),
                "sessions": m["sessions"],
                "minutes": m["minutes"] or 0,
                "hours": minutes_to_hours(m["minutes"]),
            }
            for m in months
        ],
        "agreed_minutes": agreed,
        "used_minutes": used,
        "total_minutes": total,
        "agreed_hours": minutes_to_hours(agreed),
        "used_hours": minutes_to_hours(used),
        "total_hours": minutes_to_hours(total),
        "sessions": sum(r["sessions"] for r in per_region),
        "future_sessions": sum(m["future"] for m in months),
        "percent": percent(total, agreed),
        "over": sum(r["over"] for r in per_region),
    }
