"""Reads for selection: the regional programmes leadership selects in, and the ranking computed in the database."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.db.models import Count, DecimalField, F, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Cast, Coalesce, Round

from programs.models import RegionalProgram

from ..models import Application, ApplicationStatus, Review, ReviewScore
from ..permissions import can_manage_selection

TWO_PLACES = Decimal("0.01")


def regional_programs_selectable(*, user) -> QuerySet[RegionalProgram]:
    """The regional programmes leadership selects in, whole (the selection pages show and edit them)."""
    if not can_manage_selection(user):
        return RegionalProgram.objects.none()
    return RegionalProgram.objects.select_related("program")


def regional_programs_for_selection(*, user) -> QuerySet[RegionalProgram]:
    """The list of programmes to select in, newest edition first, with the number of sent-in applications.
    Only what the list shows: the long texts of 50 programmes and their editions are left in the database."""
    return (
        regional_programs_selectable(user=user)
        .only("name", "application_deadline", "program__name")
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


# One pass over the programme's reviews: each delivered review's weighted score (Σ score × weight / Σ weight over
# the programme's criteria, to 2 places), then per application the mean, spread and counts, and the mean per
# criterion. A CTE computes the weighted score once per review; the ORM would repeat its subquery in each of the
# four aggregates over it (and the planner took longer than the execution).
RANKING_SQL = """
WITH reviews AS (
    SELECT r.id, r.application_id, r.has_conflict,
           (r.submitted_at IS NOT NULL AND NOT r.has_conflict) AS delivered
    FROM applications_review r
    JOIN applications_application a ON a.id = r.application_id
    WHERE a.regional_program_id = %(rp)s
), scores AS (
    SELECT r.application_id, r.id AS review_id, s.criterion_id, s.score, c.weight
    FROM reviews r
    JOIN applications_reviewscore s ON s.review_id = r.id
    JOIN applications_selectioncriterion c ON c.id = s.criterion_id
    WHERE r.delivered AND c.regional_program_id = %(rp)s
), weighted AS (
    SELECT review_id, ROUND(SUM(score * weight)::numeric(12, 6) / SUM(weight), 2) AS value
    FROM scores GROUP BY review_id
), means AS (
    SELECT application_id, array_agg(criterion_id) AS criteria, array_agg(mean) AS means
    FROM (
        SELECT application_id, criterion_id, ROUND(AVG(score::numeric(5, 2)), 2) AS mean
        FROM scores GROUP BY application_id, criterion_id
    ) per_criterion
    GROUP BY application_id
)
SELECT r.application_id, ROUND(AVG(w.value), 2), MAX(w.value) - MIN(w.value), COUNT(w.value),
       COUNT(*) FILTER (WHERE r.has_conflict), COUNT(*), m.criteria, m.means
FROM reviews r
LEFT JOIN weighted w ON w.review_id = r.id
LEFT JOIN means m ON m.application_id = r.application_id
GROUP BY r.application_id, m.criteria, m.means
"""

# What the ranking page shows of an application (the export, `texts=True`, takes the whole row).
RANKING_COLUMNS = (
    "regional_program_id",
    "status",
    "recommendation",
    "recommendation_priority",
    "municipality__name",
)


def ranked_applications(*, regional_program: RegionalProgram, texts: bool = True) -> list[RankedApplication]:
    """Submitted and decided applications, best weighted score first.

    The application's score is the mean of its members' weighted scores; the spread is the highest minus the
    lowest of those. Equal scores share a rank (1, 2, 2, 4) and are listed by municipality name. The database
    computes every score, mean and count (RANKING_SQL); Python only sorts by score and numbers the ranks.
    `texts=False` loads only what the ranking page shows (no long text sections, no decision letter).
    """
    with connection.cursor() as cursor:
        cursor.execute(RANKING_SQL, {"rp": regional_program.pk})
        aggregates = {row[0]: row[1:] for row in cursor.fetchall()}
    applications = Application.objects.filter(regional_program=regional_program).exclude(
        status__in=[ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN]
    )
    if texts:
        applications = applications.select_related("municipality__county", "decision")
    else:
        applications = applications.select_related("municipality").only(*RANKING_COLUMNS)
    rows = []
    # Listed by municipality name by the database (its collation), then stably by score: best first, unscored last.
    for application in applications.order_by("municipality__name", "pk"):
        score, spread, delivered, conflicts, assigned, criteria, means = aggregates.get(
            application.pk, (None, None, 0, 0, 0, None, None)
        )
        rows.append(
            RankedApplication(
                application=application,
                score=_two_places(score),
                spread=_two_places(spread),
                review_count=delivered,
                conflict_count=conflicts,
                assigned_count=assigned,
                criterion_means={
                    c: Decimal(m).quantize(TWO_PLACES)
                    for c, m in zip(criteria or (), means or (), strict=True)
                },
            )
        )
    rows.sort(key=lambda row: (row.score is None, -(row.score or 0)))
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
