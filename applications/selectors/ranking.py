"""Reads for selection: the regional programmes leadership selects in, and the ranking computed in the database."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, DecimalField, F, Max, Min, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Cast, Coalesce, Round

from programs.models import RegionalProgram

from ..models import Application, ApplicationStatus, Review, ReviewScore
from ..permissions import can_manage_selection

TWO_PLACES = Decimal("0.01")


def regional_programs_for_selection(*, user) -> QuerySet[RegionalProgram]:
    if not can_manage_selection(user):
        return RegionalProgram.objects.none()
    return (
        RegionalProgram.objects.select_related("program")
        .annotate(
            application_count=Coalesce(
                Subquery(
                    Application.objects.filter(regional_program=OuterRef("pk"))
                    .exclude(status=ApplicationStatus.DRAFT)
                    .order_by()
                    .values("regional_program")
                    .annotate(n=Count("pk"))
                    .values("n")
                ),
                0,
            )
        )
        .order_by("-program__interest_deadline", "name")
    )


@dataclass
class RankedApplication:
    application: Application
    score: Decimal | None
    spread: Decimal | None
    review_count: int
    conflict_count: int
    assigned_count: int
    rank: int | None = None
    criterion_means: dict[int, Decimal] = field(default_factory=dict)


def _review_weighted_score(regional_program: RegionalProgram | int) -> Subquery:
    """A delivered review's Σ(score × weight) / Σ(weight) over the programme's criteria, to 2 places (1–5)."""
    scores = (
        ReviewScore.objects.filter(review=OuterRef("pk"), criterion__regional_program=regional_program)
        .values("review")
        .annotate(
            value=Round(
                Cast(Sum(F("score") * F("criterion__weight")), DecimalField(max_digits=12, decimal_places=6))
                / Sum("criterion__weight"),
                2,
            )
        )
        .values("value")
    )
    return Subquery(scores, output_field=DecimalField(max_digits=5, decimal_places=2))


def _per_application(reviews: QuerySet[Review], **aggregate) -> Subquery:
    """One aggregate over an application's reviews, as a column of the application row (no GROUP BY on it)."""
    ((name, expression),) = aggregate.items()
    return Subquery(
        reviews.filter(application=OuterRef("pk"))
        .values("application")
        .annotate(**{name: expression})
        .values(name)
    )


def ranked_applications(*, regional_program: RegionalProgram, texts: bool = True) -> list[RankedApplication]:
    """Submitted and decided applications, best weighted score first.

    The application's score is the mean of its members' weighted scores; the spread is the highest minus the
    lowest of those. Equal scores share a rank (1, 2, 2, 4) and are listed by municipality name. The database
    computes every score, mean and count; Python only numbers the ranks. `texts=False` leaves out the long
    text sections (the page shows none; the export does).
    """
    # order_by(): the model's ordering would join application and municipality into every subquery.
    reviews = Review.objects.order_by()
    delivered = reviews.filter(submitted_at__isnull=False, has_conflict=False).annotate(
        weighted=_review_weighted_score(regional_program)
    )
    score_field: DecimalField = DecimalField(max_digits=5, decimal_places=2)
    applications = Application.objects.select_related("municipality__county", "decision")
    if not texts:
        applications = applications.defer("motivation", "development_links", "anchoring")
    applications = (
        applications.filter(regional_program=regional_program)
        .exclude(status__in=[ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN])
        .annotate(
            score=_per_application(delivered, v=Round(Avg("weighted"), 2, output_field=score_field)),
            spread=_per_application(delivered, v=Max("weighted") - Min("weighted")),
            review_count=Coalesce(_per_application(delivered, v=Count("weighted")), 0),
            conflict_count=Coalesce(_per_application(reviews.filter(has_conflict=True), v=Count("pk")), 0),
            assigned_count=Coalesce(_per_application(reviews, v=Count("pk")), 0),
        )
        .order_by(F("score").desc(nulls_last=True), "municipality__name", "pk")
    )
    criterion_means: dict[int, dict[int, Decimal]] = {}
    for application_id, criterion_id, mean in (
        ReviewScore.objects.filter(
            review__application__regional_program=regional_program,
            review__submitted_at__isnull=False,
            review__has_conflict=False,
            criterion__regional_program=regional_program,
        )
        .values("review__application", "criterion")
        .annotate(mean=Round(Avg(Cast("score", DecimalField(max_digits=5, decimal_places=2))), 2))
        .values_list("review__application", "criterion", "mean")
    ):
        criterion_means.setdefault(application_id, {})[criterion_id] = mean.quantize(TWO_PLACES)
    rows = [
        RankedApplication(
            application=application,
            score=_two_places(application.score),
            spread=_two_places(application.spread),
            review_count=application.review_count,
            conflict_count=application.conflict_count,
            assigned_count=application.assigned_count,
            criterion_means=criterion_means.get(application.pk, {}),
        )
        for application in applications
    ]
    previous_score, previous_rank = None, 0
    for position, row in enumerate(rows, start=1):
        if row.score is None:
            continue
        if row.score != previous_score:
            previous_rank, previous_score = position, row.score
        row.rank = previous_rank
    return rows


def _two_places(value) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def review_scores_of(*, application: Application) -> list[Decimal]:
    """The weighted score of each delivered review of one application, in the order they were delivered."""
    return [
        Decimal(v).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
        for v in Review.objects.filter(
            application=application, submitted_at__isnull=False, has_conflict=False
        )
        .annotate(weighted=_review_weighted_score(application.regional_program_id))
        .exclude(weighted=None)
        .order_by("submitted_at", "pk")
        .values_list("weighted", flat=True)
    ]


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
