"""Reads of applications, selection and municipal groups: scoped to the acting user and prefetched."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import Role, RoleAssignment
from accounts.permissions import role_scope
from programs.models import RegionalProgram
from programs.selectors import municipal_groups_of, municipal_groups_visible_to  # noqa: F401 - moved

from .models import (
    Application,
    ApplicationDeadlineExtension,
    ApplicationStatus,
    JuryMember,
    Review,
    SelectionCriterion,
)

TWO_PLACES = Decimal("0.01")


def application_deadline_for(*, regional_program: RegionalProgram, municipality) -> dt.datetime | None:
    """The municipality's own deadline if leadership granted one, otherwise the region's deadline."""
    extension = (
        ApplicationDeadlineExtension.objects.filter(
            regional_program=regional_program, municipality=municipality
        )
        .values_list("deadline", flat=True)
        .first()
    )
    return extension or regional_program.application_deadline


def _with_deadline(qs: QuerySet[Application]) -> QuerySet[Application]:
    extension = ApplicationDeadlineExtension.objects.filter(
        regional_program=OuterRef("regional_program"), municipality=OuterRef("municipality")
    ).values("deadline")[:1]
    return qs.annotate(
        effective_deadline=Coalesce(Subquery(extension), F("regional_program__application_deadline"))
    )


def _base_applications() -> QuerySet[Application]:
    return _with_deadline(
        Application.objects.select_related(
            "regional_program__program", "municipality__county__branch", "submitted_by", "decision"
        )
    )


def applications_visible_to(user) -> QuerySet[Application]:
    """Leadership: all. Municipal contact: their municipality's. Board member: every application in a
    regional programme their branch is part of (their region)."""
    scope = role_scope(user)
    qs = _base_applications()
    if Role.LEADERSHIP in scope.roles:
        return qs
    if not scope.municipality_ids and not scope.branch_ids:
        return qs.none()
    region = RegionalProgram.objects.filter(branches__in=scope.branch_ids).values("pk")
    return qs.filter(Q(municipality_id__in=scope.municipality_ids) | Q(regional_program__in=region))


def application_list(*, user, regional_program: RegionalProgram | None = None) -> QuerySet[Application]:
    qs = applications_visible_to(user).annotate(
        member_count=Count("group_members", distinct=True),
    )
    if regional_program is not None:
        qs = qs.filter(regional_program=regional_program)
    return qs.order_by("regional_program__name", "municipality__name")


def dashboard_applications(*, user) -> QuerySet[Application]:
    """Applications of the municipalities this person speaks for (own municipality, or their branch's)."""
    scope = role_scope(user)
    return (
        _base_applications()
        .filter(
            Q(municipality_id__in=scope.municipality_ids)
            | Q(municipality__county__branch_id__in=scope.branch_ids)
        )
        .order_by("-updated_at")
    )


def application_detail(*, user, pk: int) -> QuerySet[Application]:
    return applications_visible_to(user).filter(pk=pk).prefetch_related("group_members", "attachments")


def regional_programs_open_to(user) -> list[tuple[RegionalProgram, list, list]]:
    """Regional programmes with an application window; for each, the municipalities this person may still
    start an application for (their own, or their branch's member municipalities) and the applications
    those municipalities already have."""
    from municipalities.models import Municipality

    scope = role_scope(user)
    if not scope.municipality_ids and not scope.branch_ids:
        return []
    municipalities = list(
        Municipality.objects.filter(
            Q(pk__in=scope.municipality_ids) | Q(county__branch_id__in=scope.branch_ids), is_member=True
        ).select_related("county")
    )
    branch_ids = {m.county.branch_id for m in municipalities}
    programs = (
        RegionalProgram.objects.filter(branches__in=branch_ids, application_deadline__isnull=False)
        .select_related("program")
        .prefetch_related("branches")
        .distinct()
        .order_by("application_deadline", "name")
    )
    existing_applications = list(
        Application.objects.filter(municipality__in=municipalities).select_related("municipality")
    )
    existing = {(a.regional_program_id, a.municipality_id) for a in existing_applications}
    extensions = dict(
        (((e.regional_program_id, e.municipality_id), e.deadline))
        for e in ApplicationDeadlineExtension.objects.filter(municipality__in=municipalities)
    )
    now = timezone.now()
    result = []
    for rp in programs:
        rp_branch_ids = {b.pk for b in rp.branches.all()}
        opened = rp.applications_open_at is None or rp.applications_open_at <= now
        eligible = [
            m
            for m in municipalities
            if m.county.branch_id in rp_branch_ids
            and (rp.pk, m.pk) not in existing
            and opened
            and extensions.get((rp.pk, m.pk), rp.application_deadline) > now
        ]
        mine = [a for a in existing_applications if a.regional_program_id == rp.pk]
        result.append((rp, eligible, mine))
    return result


def regional_programs_for_selection(*, user) -> QuerySet[RegionalProgram]:
    if Role.LEADERSHIP not in role_scope(user).roles:
        return RegionalProgram.objects.none()
    return (
        RegionalProgram.objects.select_related("program")
        .annotate(
            application_count=Count("applications", filter=~Q(applications__status=ApplicationStatus.DRAFT)),
        )
        .order_by("-program__interest_deadline", "name")
    )


def contacts_of(municipality) -> list:
    return [
        ra.user
        for ra in RoleAssignment.objects.filter(
            role=Role.MUNICIPAL_CONTACT, municipality=municipality, user__is_active=True
        ).select_related("user")
    ]


# --- Selection -------------------------------------------------------------------------------------------


def review_weighted_score(review: Review, weights: dict[int, int]) -> Decimal | None:
    """Σ(score × weight) / Σ(weight) over the criteria this review scored (1–5 scale)."""
    total = Decimal(0)
    weight_sum = 0
    for score in review.scores.all():
        weight = weights.get(score.criterion_id)
        if weight is None:
            continue
        total += Decimal(score.score) * weight
        weight_sum += weight
    if not weight_sum:
        return None
    return (total / weight_sum).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


@dataclass
class RankedApplication:
    application: Application
    score: Decimal | None
    spread: Decimal | None
    review_count: int
    conflict_count: int
    assigned_count: int
    rank: int | None = None
    review_scores: list[Decimal] = field(default_factory=list)
    criterion_means: dict[int, Decimal] = field(default_factory=dict)


def ranked_applications(*, regional_program: RegionalProgram) -> list[RankedApplication]:
    """Submitted and decided applications, best weighted score first.

    The application's score is the mean of its members' weighted scores; the spread is the highest minus the
    lowest of those. Equal scores share a rank (1, 2, 2, 4) and are listed by municipality name.
    """
    criteria = list(SelectionCriterion.objects.filter(regional_program=regional_program))
    weights = {c.pk: c.weight for c in criteria}
    submitted_reviews = Review.objects.filter(
        submitted_at__isnull=False, has_conflict=False
    ).prefetch_related("scores")
    applications = (
        _base_applications()
        .filter(regional_program=regional_program)
        .exclude(status__in=[ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN])
        .annotate(
            conflict_count=Count("reviews", filter=Q(reviews__has_conflict=True), distinct=True),
            assigned_count=Count("reviews", distinct=True),
        )
        .prefetch_related(Prefetch("reviews", queryset=submitted_reviews, to_attr="submitted_reviews"))
    )
    rows = []
    for application in applications:
        scores = [
            s
            for s in (review_weighted_score(r, weights) for r in application.submitted_reviews)
            if s is not None
        ]
        mean = (sum(scores) / len(scores)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP) if scores else None
        per_criterion: dict[int, list[int]] = {}
        for review in application.submitted_reviews:
            for score in review.scores.all():
                per_criterion.setdefault(score.criterion_id, []).append(score.score)
        rows.append(
            RankedApplication(
                application=application,
                score=mean,
                spread=(max(scores) - min(scores)) if scores else None,
                review_count=len(scores),
                conflict_count=application.conflict_count,
                assigned_count=application.assigned_count,
                review_scores=scores,
                criterion_means={
                    cid: (Decimal(sum(v)) / len(v)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
                    for cid, v in per_criterion.items()
                },
            )
        )
    rows.sort(key=lambda r: (r.score is None, -(r.score or 0), r.application.municipality.name))
    previous_score, previous_rank = None, 0
    for position, row in enumerate(rows, start=1):
        if row.score is None:
            continue
        if row.score != previous_score:
            previous_rank, previous_score = position, row.score
        row.rank = previous_rank
    return rows


def applications_missing_review(*, regional_program: RegionalProgram) -> tuple[int, int]:
    """(N, M): N of the M sent-in or decided applications have no delivered review yet."""
    sent = Application.objects.filter(regional_program=regional_program).exclude(
        status__in=(ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN)
    )
    total = sent.count()
    reviewed = sent.filter(reviews__submitted_at__isnull=False).distinct().count()
    return total - reviewed, total


def accepted_count(*, regional_program: RegionalProgram) -> int:
    return Application.objects.filter(
        regional_program=regional_program, status=ApplicationStatus.ACCEPTED
    ).count()


def jury_reviews_for(*, user) -> QuerySet[Review]:
    """A jury member's assignments; applications they declared a conflict on are left out."""
    # A place given to this e-mail before the person had an account counts too (linked on first visit).
    mine = Q(jury_member__user=user) | Q(
        jury_member__user__isnull=True, jury_member__email__iexact=user.email
    )
    return (
        Review.objects.filter(mine)
        .exclude(has_conflict=True)
        .exclude(application__status__in=[ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN])
        .select_related("application__municipality__county", "application__regional_program")
        .order_by("application__regional_program__name", "application__municipality__name")
    )


def review_for_jury_member(*, user, pk: int) -> QuerySet[Review]:
    return (
        jury_reviews_for(user=user)
        .filter(pk=pk)
        .prefetch_related("scores", "application__group_members", "application__attachments")
    )


def other_reviews_visible(*, review: Review) -> list[Review]:
    """The other members' submitted reviews, only once this member has submitted their own."""
    if review.submitted_at is None:
        return []
    return list(
        Review.objects.filter(application=review.application, submitted_at__isnull=False, has_conflict=False)
        .exclude(pk=review.pk)
        .select_related("jury_member__user")
        .prefetch_related("scores__criterion")
    )


def reviews_of_application(*, application: Application) -> list[Review]:
    """Every assignment on one application, for leadership: scores, comments and declared conflicts."""
    return list(
        Review.objects.filter(application=application)
        .select_related("jury_member__user")
        .prefetch_related("scores__criterion")
        .order_by("jury_member__email")
    )


def jury_members_of(*, regional_program: RegionalProgram) -> QuerySet[JuryMember]:
    return (
        JuryMember.objects.filter(regional_program=regional_program)
        .select_related("user")
        .annotate(
            assigned=Count("reviews", distinct=True),
            submitted=Count("reviews", filter=Q(reviews__submitted_at__isnull=False), distinct=True),
            conflicts=Count("reviews", filter=Q(reviews__has_conflict=True), distinct=True),
        )
    )


def reviews_of(*, regional_program: RegionalProgram) -> QuerySet[Review]:
    return Review.objects.filter(application__regional_program=regional_program).select_related(
        "jury_member__user", "application__municipality"
    )


# --- Municipal groups --------------------------------------------------------------------------------------
