"""The hours of an agreement: used against agreed, summed in the database (minutes), shown as hours with one
decimal, and the display values the lists and panels share."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import (
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import User
from programs.timing import OSLO

from ..models import (
    GuidanceAgreement,
    GuidanceSession,
    minutes_to_hours,
)


def not_met_weeks() -> int:
    return int(getattr(settings, "GUIDANCE_NOT_MET_WEEKS", 6))


def near_frame_percent() -> int:
    return int(getattr(settings, "GUIDANCE_NEAR_FRAME_PERCENT", 80))


def frame_state(used_minutes: int, agreed_minutes: int) -> str:
    """ "over" past the agreed hours, "near" from GUIDANCE_NEAR_FRAME_PERCENT of them, else "ok"."""
    if agreed_minutes <= 0:
        return "over" if used_minutes > 0 else "ok"
    if used_minutes > agreed_minutes:
        return "over"
    if used_minutes * 100 >= agreed_minutes * near_frame_percent():
        return "near"
    return "ok"


def percent(used_minutes: int, agreed_minutes: int) -> int:
    if agreed_minutes <= 0:
        return 100 if used_minutes else 0
    return round(used_minutes * 100 / agreed_minutes)


def _sessions_of_agreement():
    return GuidanceSession.objects.filter(agreement=OuterRef("pk"))


def with_hours(qs: QuerySet[GuidanceAgreement]) -> QuerySet[GuidanceAgreement]:
    """Used minutes, session count, last session date and the next planned session (from the latest entry)."""
    used = (
        _sessions_of_agreement()
        .order_by()
        .values("agreement")
        .annotate(m=Sum("duration_minutes"))
        .values("m")
    )
    count = _sessions_of_agreement().order_by().values("agreement").annotate(c=Count("pk")).values("c")
    latest = _sessions_of_agreement().order_by("-held_on", "-id")
    # A session dated after today (saved before that was refused) is not the last meeting held.
    held = latest.filter(held_on__lte=timezone.localdate(timezone=OSLO))
    return qs.annotate(
        used_minutes=Coalesce(Subquery(used, output_field=IntegerField()), Value(0)),
        session_count=Coalesce(Subquery(count, output_field=IntegerField()), Value(0)),
        last_held_on=Subquery(held.values("held_on")[:1]),
        planned_next_at=Subquery(latest.values("next_session_at")[:1]),
    )


def decorate(agreement: GuidanceAgreement, *, now: dt.datetime | None = None) -> GuidanceAgreement:
    """Display values from the annotations of `with_hours` (no query)."""
    now = now or timezone.now()
    agreed = agreement.agreed_minutes
    used = agreement.used_minutes
    agreement.used_hours = minutes_to_hours(used)
    agreement.left_hours = minutes_to_hours(max(agreed - used, 0))
    agreement.over_hours = minutes_to_hours(max(used - agreed, 0))
    agreement.percent_used = percent(used, agreed)
    agreement.bar_percent = min(agreement.percent_used, 100)
    agreement.frame_state = frame_state(used, agreed)
    next_at = agreement.planned_next_at
    agreement.next_at = next_at if next_at and next_at >= now else None
    weeks = not_met_weeks()
    since = agreement.last_held_on or agreement.starts_on
    today = timezone.localdate(now)
    agreement.not_met = (
        agreement.declined_on is None
        and agreement.starts_on <= today
        and agreement.next_at is None
        and (today - since).days >= weeks * 7
    )
    agreement.weeks_since = (today - agreement.last_held_on).days // 7 if agreement.last_held_on else None
    return agreement


ADVISOR_NAME = ("full_name", "email")  # what the lists show of an advisor, and their order


def _base_agreements() -> QuerySet[GuidanceAgreement]:
    return GuidanceAgreement.objects.select_related(
        "municipality", "municipality__county", "regional_program", "regional_program__program"
    ).prefetch_related(Prefetch("advisors", queryset=User.objects.order_by(*ADVISOR_NAME)))
