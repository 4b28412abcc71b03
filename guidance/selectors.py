"""Every read of guidance a view, export or task needs: scoped to the acting person, with its joins and sums.

Hours are summed in the database (minutes), shown as hours with one decimal. A session with several themes
counts in the per-theme sums with its time split equally between its themes, so the theme column adds up
to the total.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import (
    Count,
    F,
    FloatField,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Coalesce
from django.http import Http404
from django.utils import timezone

from accounts.models import Role, User
from accounts.permissions import is_leadership, role_scope

from .models import (
    DevelopmentPlan,
    DevelopmentPlanComment,
    DevelopmentPlanRevision,
    GuidanceAgreement,
    GuidanceSession,
    GuidanceSessionTheme,
    Theme,
    minutes_to_hours,
)
from .permissions import advisor_agreement_ids, can_view_agreement, can_view_internal


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
    return qs.annotate(
        used_minutes=Coalesce(Subquery(used, output_field=IntegerField()), Value(0)),
        session_count=Coalesce(Subquery(count, output_field=IntegerField()), Value(0)),
        last_held_on=Subquery(latest.values("held_on")[:1]),
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


def agreements_for(*, user) -> QuerySet[GuidanceAgreement]:
    """The agreements this person may see: leadership all, an advisor theirs, a municipality its own."""
    qs = _base_agreements()
    if is_leadership(user):
        return qs
    scope = role_scope(user)
    return qs.filter(Q(pk__in=advisor_agreement_ids(user)) | Q(municipality_id__in=scope.municipality_ids))


def agreement_get(*, user, pk: int) -> GuidanceAgreement:
    agreement = with_hours(agreements_for(user=user)).filter(pk=pk).first()
    if agreement is None or not can_view_agreement(user, agreement):
        raise Http404
    return decorate(agreement)


def agreement_list(*, user) -> QuerySet[GuidanceAgreement]:
    # The list shows the municipality's and the region's names: without the other joined rows and the long
    # texts, a page loads a fraction of the columns (the edition is still joined, for the order).
    return (
        with_hours(agreements_for(user=user))
        .select_related(None)
        .select_related("municipality", "regional_program")
        .defer("agreement_text", "declined_note", "regional_program__applicant_guidance")
        .prefetch_related(None)
        .prefetch_related(
            Prefetch("advisors", queryset=User.objects.only(*ADVISOR_NAME).order_by(*ADVISOR_NAME))
        )
        .order_by(
            "-regional_program__program__interest_deadline", "regional_program__name", "municipality__name"
        )
    )


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


def sessions_for(*, user, agreement: GuidanceAgreement) -> QuerySet[GuidanceSession]:
    """The agreement's log, newest first. Without the right to the internal note, the note is not even loaded."""
    if not can_view_agreement(user, agreement):
        return GuidanceSession.objects.none()
    qs = (
        GuidanceSession.objects.filter(agreement=agreement)
        .select_related("advisor", "plan_revision")
        .prefetch_related("theme_rows", "participants")
        .order_by("-held_on", "-id")
    )
    if not can_view_internal(user, agreement):
        qs = qs.defer("internal_note")
    return qs


def session_get_for_change(*, user, pk: int) -> GuidanceSession:
    """An own session of an agreement the advisor still holds; anything else 404."""
    session = (
        GuidanceSession.objects.select_related(
            "agreement", "agreement__municipality", "agreement__regional_program"
        )
        .prefetch_related("theme_rows")
        .filter(pk=pk, advisor=user, agreement_id__in=advisor_agreement_ids(user))
        .first()
    )
    if session is None:
        raise Http404
    return session


# --- the advisor's dashboard ---------------------------------------------------------------------------


@dataclass
class AdvisorDashboard:
    agreements: list[GuidanceAgreement]
    not_met: list[GuidanceAgreement]
    over_frame: list[GuidanceAgreement]
    upcoming: list[GuidanceAgreement]
    weeks: int


def advisor_dashboard(*, user, now: dt.datetime | None = None) -> AdvisorDashboard:
    """Everything on the advisor's panel in one query (after the role and agreement scope)."""
    now = now or timezone.now()
    ids = advisor_agreement_ids(user)
    rows = (
        [
            decorate(a, now=now)
            for a in with_hours(
                GuidanceAgreement.objects.filter(pk__in=ids).select_related(
                    "municipality", "regional_program"
                )
            ).order_by("municipality__name", "regional_program__name")
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
    )


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


# --- the development plan ------------------------------------------------------------------------------


def plan_for(*, agreement: GuidanceAgreement) -> DevelopmentPlan | None:
    return DevelopmentPlan.objects.filter(
        regional_program_id=agreement.regional_program_id, municipality_id=agreement.municipality_id
    ).first()


def plan_revisions(*, plan: DevelopmentPlan | None) -> QuerySet[DevelopmentPlanRevision]:
    if plan is None:
        return DevelopmentPlanRevision.objects.none()
    return (
        plan.revisions.select_related("created_by")
        .prefetch_related(
            Prefetch(
                "comments",
                queryset=DevelopmentPlanComment.objects.select_related("author").order_by("created_at"),
            )
        )
        .order_by("-number")
    )


def plan_first_and_current(*, plan: DevelopmentPlan | None):
    if plan is None:
        return None, None
    revisions = plan.revisions.select_related("created_by")
    return revisions.order_by("number").first(), revisions.order_by("-number").first()


# --- leadership's overview of a regional programme -----------------------------------------------------


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


def regional_programs_with_agreements():
    from programs.models import RegionalProgram

    return (
        RegionalProgram.objects.select_related("program")
        .only("name", "program__name")
        .annotate(agreement_count=Count("guidance_agreements"))
        .order_by("-program__interest_deadline", "name")
    )


def advisors_all() -> QuerySet[User]:
    return (
        User.objects.filter(is_active=True, role_assignments__role=Role.ADVISOR)
        .distinct()
        .order_by("full_name", "email")
    )


def region_participants(*, regional_program):
    """The municipalities of a regional programme that leadership assigns advisors to: those with a
    municipal group, and any that already have an agreement."""
    from municipalities.models import Municipality

    return (
        Municipality.objects.filter(
            Q(guidance_agreements__regional_program=regional_program)
            | Q(municipal_groups__regional_program=regional_program)
        )
        .distinct()
        .order_by("name")
    )


def programme_last_day(*, regional_program) -> dt.date | None:
    """The last day of the regional programme's last semester (from the gatherings' semesters), if any."""
    from gatherings.models import Semester

    return Semester.objects.filter(regional_program=regional_program).aggregate(last=Max("ends_on"))["last"]
