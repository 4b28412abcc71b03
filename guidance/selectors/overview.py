"""Leadership's overview of a regional programme. A session with several themes counts in the per-theme sums
with its time split equally between its themes, so the theme column adds up to the total."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Count,
    FloatField,
    QuerySet,
    Sum,
)
from django.db.models.functions import Cast
from django.utils import timezone

from accounts.models import User

from ..models import (
    GuidanceAgreement,
    GuidanceSession,
    GuidanceSessionTheme,
    Theme,
    minutes_to_hours,
)
from .hours import _base_agreements, decorate, frame_state, percent, with_hours


@dataclass
class HoursRow:
    label: str
    agreed_minutes: int | None
    used_minutes: int
    sessions: int = 0
    extra: dict = field(default_factory=dict)

    @property
    def agreed_hours(self) -> Decimal | None:
        return None if self.agreed_minutes is None else minutes_to_hours(self.agreed_minutes)

    @property
    def used_hours(self) -> Decimal:
        return minutes_to_hours(self.used_minutes)

    @property
    def state(self) -> str:
        return "ok" if self.agreed_minutes is None else frame_state(self.used_minutes, self.agreed_minutes)

    @property
    def percent_used(self) -> int | None:
        return None if self.agreed_minutes is None else percent(self.used_minutes, self.agreed_minutes)


@dataclass
class Overview:
    municipalities: list[GuidanceAgreement]
    declined: list[GuidanceAgreement]
    advisors: list[HoursRow]
    themes: list[HoursRow]
    total_agreed_minutes: int
    total_used_minutes: int
    theme_total_minutes: float

    @property
    def total_agreed_hours(self) -> Decimal:
        return minutes_to_hours(self.total_agreed_minutes)

    @property
    def total_used_hours(self) -> Decimal:
        return minutes_to_hours(self.total_used_minutes)

    @property
    def chart_max_minutes(self) -> int:
        values = [max(a.agreed_minutes, a.used_minutes) for a in self.municipalities]
        return max(values, default=0) or 60


def theme_minutes(*, sessions: QuerySet[GuidanceSession]) -> dict[str, tuple[float, int]]:
    """Minutes per theme, each session's minutes split equally between its themes (sums to the total)."""
    share = Cast("session__duration_minutes", FloatField()) / Cast("session__theme_count", FloatField())
    rows = (
        GuidanceSessionTheme.objects.filter(session__in=sessions)
        .order_by()
        .values("theme")
        # A session names a theme once (unique_session_theme), so counting rows counts sessions; without
        # DISTINCT the database groups by hashing instead of sorting every theme row.
        .annotate(minutes=Sum(share), sessions=Count("pk"))
    )
    return {r["theme"]: (r["minutes"] or 0.0, r["sessions"]) for r in rows}


def overview(*, regional_program) -> Overview:
    """Hours per municipality, advisor and theme in one regional programme, against what was agreed."""
    now = timezone.now()
    agreements = [
        decorate(a, now=now)
        for a in with_hours(_base_agreements().filter(regional_program=regional_program)).order_by(
            "municipality__name"
        )
    ]
    active = [a for a in agreements if a.declined_on is None]
    declined = [a for a in agreements if a.declined_on is not None]
    sessions = GuidanceSession.objects.filter(agreement__regional_program=regional_program)

    # Per advisor: what they logged, and the frames of the agreements that name them (shared frames in full).
    logged = {
        r["advisor"]: r
        for r in sessions.order_by().values("advisor").annotate(m=Sum("duration_minutes"), c=Count("pk"))
    }
    frames: dict[int, list[GuidanceAgreement]] = {}
    people: dict[int, User] = {}
    for a in active:
        for advisor in a.advisors.all():
            frames.setdefault(advisor.pk, []).append(a)
            people[advisor.pk] = advisor
    missing = [pk for pk in logged if pk is not None and pk not in people]
    if missing:
        people.update(User.objects.in_bulk(missing))
    advisor_rows = []
    for pk, person in sorted(people.items(), key=lambda kv: kv[1].get_full_name()):
        own = frames.get(pk, [])
        row = logged.get(pk, {})
        advisor_rows.append(
            HoursRow(
                label=person.get_full_name(),
                agreed_minutes=sum(a.agreed_minutes for a in own),
                used_minutes=row.get("m") or 0,
                sessions=row.get("c") or 0,
                extra={"municipality_count": len(own)},
            )
        )
    if None in logged:
        advisor_rows.append(
            HoursRow(
                label="–",
                agreed_minutes=None,
                used_minutes=logged[None]["m"] or 0,
                sessions=logged[None]["c"],
            )
        )

    by_theme = theme_minutes(sessions=sessions)
    theme_rows = []
    for code, label in Theme.choices:
        minutes, count = by_theme.get(code, (0.0, 0))
        theme_rows.append(
            HoursRow(
                label=str(label),
                agreed_minutes=None,
                used_minutes=round(minutes),
                sessions=count,
                extra={
                    "exact_minutes": minutes,
                    "focus_count": sum(1 for a in active if code in a.focus_themes),
                },
            )
        )
    return Overview(
        municipalities=active,
        declined=declined,
        advisors=advisor_rows,
        themes=theme_rows,
        total_agreed_minutes=sum(a.agreed_minutes for a in active),
        total_used_minutes=sum(a.used_minutes for a in agreements),
        theme_total_minutes=sum(m for m, _c in by_theme.values()),
    )
