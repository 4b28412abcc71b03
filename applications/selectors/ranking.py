"""Reads for selection: the regional programmes leadership selects in, and the ranking computed in the database."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.db.models import Count, DecimalField, Exists, F, OuterRef, QuerySet, Subquery, Sum
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Round
from django.http import Http404

from programs.models import RegionalProgram

from ..models import Application, ApplicationStatus, Review, ReviewScore
from ..permissions import can_manage_selection

TWO_PLACES = Decimal("0.01")
# The literal 1.0 (a parameter would be text on SQLite, then an integer again): makes Σ/Σ a decimal division.
DECIMAL_ONE = RawSQL("1.0", (), output_field=DecimalField(max_digits=2, decimal_places=1))


def regional_programs_selectable(*, user) -> QuerySet[RegionalProgram]:
    """The regional programmes leadership selects in, whole (the selection pages show and edit them)."""
    if not can_manage_selection(user):
        return RegionalProgram.objects.none()
    return RegionalProgram.objects.select_related("program")


# The selection overview's programme: the window it shows and whether a review is delivered (the criteria are
# locked then, as services.criteria_locked says). Written once: built by the ORM (a deferred model query with an
# EXISTS annotation) it cost three times the database's own time.
_SELECTION_PROGRAM_SQL = (
    "SELECT rp.id, rp.name, rp.applications_open_at, rp.application_deadline, rp.places,"
    " EXISTS(SELECT 1 FROM applications_review r INNER JOIN applications_application a ON a.id = r.application_id"
    " WHERE a.regional_program_id = rp.id AND r.submitted_at IS NOT NULL)"
    " FROM programs_regionalprogram rp WHERE rp.id = %s"
)


def selection_program_get(*, user, pk: int) -> RegionalProgram:
    """The programme of the selection overview (404 if there is none, or the person does not select): only the
    columns it shows, with `criteria_locked`."""
    if not can_manage_selection(user):
        raise Http404
    with connection.cursor() as cursor:
        cursor.execute(_SELECTION_PROGRAM_SQL, [pk])
        row = cursor.fetchone()
    if row is None:
        raise Http404
    fields = ("id", "name", "applications_open_at", "application_deadline", "places")
    rp = RegionalProgram.from_db(connection.alias, fields, row[:5])
    rp.criteria_locked = row[5]  # type: ignore[attr-defined]
    return rp


@dataclass(frozen=True, slots=True)
class SelectionProgram:
    """A regional programme in the list of programmes to select in (it is also one of the list's filter options,
    see `ProgramChoice`, when `has_applications`)."""

    pk: int
    name: str
    edition_id: int
    edition_name: str
    application_deadline: dt.datetime | None
    application_count: int  # sent in (not drafts)
    has_applications: bool  # any, drafts too


def regional_programs_for_selection(*, user) -> list[SelectionProgram]:
    """The list of programmes to select in, newest edition first, with the number of sent-in applications.
    Only what the list shows, as plain values: the long texts of 50 programmes and their editions are left in
    the database, and no model objects are built."""
    if not can_manage_selection(user):
        return []
    applications = Application.objects.filter(regional_program=OuterRef("pk")).order_by()
    rows = (
        RegionalProgram.objects.annotate(
            application_count=Coalesce(
                Subquery(
                    applications.exclude(status=ApplicationStatus.DRAFT)
                    .values("regional_program")
                    .annotate(n=Count("*"))  # COUNT(*): the index on (programme, status) answers alone
                    .values("n")
                ),
                0,
            ),
            has_applications=Exists(applications),
        )
        .order_by("-program__interest_deadline", "name", "pk")
        .values_list(
            "pk",
            "name",
            "program_id",
            "program__name",
            "application_deadline",
            "application_count",
            "has_applications",
        )
    )
    return [SelectionProgram(*row) for row in rows]


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
            # × 1.0 as in RANKING_SQL: a cast to NUMERIC left SQLite dividing integers.
            value=Round(
                Sum(F("score") * F("criterion__weight") * DECIMAL_ONE) / Sum("criterion__weight"),
                2,
                output_field=DecimalField(max_digits=5, decimal_places=2),
            )
        )
        .values("value")
    )
    return Subquery(scores, output_field=DecimalField(max_digits=5, decimal_places=2))


# One pass over the programme's reviews: each delivered review's weighted score (Σ score × weight / Σ weight over
# the programme's criteria, to 2 places), then per application the mean, spread and counts, and the mean per
# criterion (one row per application and criterion, the application's figures repeated). A CTE computes the
# weighted score once per review; the ORM would repeat its subquery in each of the four aggregates over it, and
# planning that took longer than running it. Plain SQL that SQLite (the embedded default) runs too.
RANKING_SQL = """
WITH reviews AS (
    SELECT r.id, r.application_id, r.has_conflict, r.submitted_at IS NOT NULL AND NOT r.has_conflict AS delivered
    FROM applications_review r
    JOIN applications_application a ON a.id = r.application_id
    WHERE a.regional_program_id = %s
), scores AS (
    SELECT r.application_id, r.id AS review_id, s.criterion_id, s.score, c.weight
    FROM reviews r
    JOIN applications_reviewscore s ON s.review_id = r.id
    JOIN applications_selectioncriterion c ON c.id = s.criterion_id
    WHERE r.delivered AND c.regional_program_id = %s
), weighted AS (
    SELECT review_id, ROUND(SUM(score * weight) * 1.0 / SUM(weight), 2) AS value
    FROM scores GROUP BY review_id
), per_application AS (
    SELECT r.application_id, ROUND(AVG(w.value), 2) AS score, MAX(w.value) - MIN(w.value) AS spread,
           COUNT(w.value) AS delivered, SUM(CASE WHEN r.has_conflict THEN 1 ELSE 0 END) AS conflicts,
           COUNT(*) AS assigned
    FROM reviews r LEFT JOIN weighted w ON w.review_id = r.id
    GROUP BY r.application_id
), means AS (
    SELECT application_id, criterion_id, ROUND(AVG(score * 1.0), 2) AS mean
    FROM scores GROUP BY application_id, criterion_id
)
SELECT p.application_id, p.score, p.spread, p.delivered, p.conflicts, p.assigned, m.criterion_id, m.mean
FROM per_application p LEFT JOIN means m ON m.application_id = p.application_id
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
    figures: dict[int, tuple] = {}
    criterion_means: dict[int, dict[int, Decimal]] = {}
    with connection.cursor() as cursor:
        cursor.execute(RANKING_SQL, [regional_program.pk, regional_program.pk])
        for application_id, *per_application, criterion_id, mean in cursor.fetchall():
            figures[application_id] = tuple(per_application)
            if criterion_id is not None:
                criterion_means.setdefault(application_id, {})[criterion_id] = _two_places(mean) or Decimal(0)
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
        score, spread, delivered, conflicts, assigned = figures.get(application.pk, (None, None, 0, 0, 0))
        rows.append(
            RankedApplication(
                application=application,
                score=_two_places(score),
                spread=_two_places(spread),
                review_count=delivered,
                conflict_count=conflicts,
                assigned_count=assigned,
                criterion_means=criterion_means.get(application.pk, {}),
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
