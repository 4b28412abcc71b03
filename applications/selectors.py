"""Reads of applications, selection and municipal groups: scoped to the acting user and prefetched."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Avg,
    Count,
    DecimalField,
    Exists,
    F,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Cast, Coalesce, Round
from django.utils import timezone

from accounts.models import Role, RoleAssignment
from accounts.permissions import role_scope
from programs.models import RegionalProgram
from programs.selectors import municipal_groups_of, municipal_groups_visible_to  # noqa: F401 - moved

from .models import (
    Application,
    ApplicationDeadlineExtension,
    ApplicationGroupMember,
    ApplicationStatus,
    JuryMember,
    Review,
    ReviewScore,
)
from .permissions import can_manage_selection

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
    extension = (
        ApplicationDeadlineExtension.objects.filter(
            regional_program=OuterRef("regional_program"), municipality=OuterRef("municipality")
        )
        .order_by()
        .values("deadline")[:1]
    )
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
    if can_manage_selection(user):
        return qs
    if not scope.municipality_ids and not scope.branch_ids:
        return qs.none()
    region = RegionalProgram.objects.filter(branches__in=scope.branch_ids).values("pk")
    return qs.filter(Q(municipality_id__in=scope.municipality_ids) | Q(regional_program__in=region))


def regional_programs_with_applications(user) -> QuerySet[RegionalProgram]:
    """The regional programmes in which this person sees at least one application (the list's filter)."""
    visible = applications_visible_to(user).select_related(None).order_by()
    return (
        RegionalProgram.objects.filter(Exists(visible.filter(regional_program=OuterRef("pk")).values("pk")))
        .select_related("program")
        .order_by("-program__interest_deadline", "name")
    )


# What the applications list shows, and nothing more (the text sections are long).
LIST_COLUMNS = (
    "status",
    "edited_after_submit",
    "recommendation_priority",
    "updated_at",
    "regional_program__name",
    "regional_program__application_deadline",
    "municipality__name",
)


def application_list(
    *,
    user,
    regional_program: RegionalProgram | None = None,
    edition=None,
    status: str = "",
    search: str = "",
) -> QuerySet[Application]:
    """The list page's rows: newest edition first, then region and municipality. The member count is a
    subquery per row, not a GROUP BY over every column of the joined tables."""
    members = (
        ApplicationGroupMember.objects.filter(application=OuterRef("pk"))
        .order_by()
        .values("application")
        .annotate(n=Count("pk"))
        .values("n")
    )
    qs = (
        applications_visible_to(user)
        .select_related(None)
        .select_related("regional_program", "municipality")
        .only(*LIST_COLUMNS)
        .annotate(member_count=Coalesce(Subquery(members), 0))
    )
    if regional_program is not None:
        qs = qs.filter(regional_program=regional_program)
    if edition is not None:
        qs = qs.filter(regional_program__program=edition)
    if status:
        qs = qs.filter(status=status)
    if search:
        qs = qs.filter(municipality__name__icontains=search)
    return qs.order_by(
        "-regional_program__program__interest_deadline", "regional_program__name", "municipality__name", "pk"
    )


def applications_for_print(*, user, regional_program: RegionalProgram) -> QuerySet[Application]:
    """Every sent-in or decided application of one regional programme, whole, for the print bundle."""
    return (
        applications_visible_to(user)
        .filter(regional_program=regional_program)
        .exclude(status__in=[ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN])
        .prefetch_related("group_members", "attachments")
        .order_by("municipality__name", "pk")
    )


def dashboard_applications(*, user) -> QuerySet[Application]:
    """Applications of the municipalities this person speaks for (own municipality, or their branch's)."""
    scope = role_scope(user)
    # Only what the panel shows: a branch has hundreds of applications, and sorting them with every joined
    # column (the list's select_related) cost more than the rest of the dashboard.
    return (
        _with_deadline(Application.objects.select_related("regional_program", "municipality"))
        .filter(
            Q(municipality_id__in=scope.municipality_ids)
            | Q(municipality__county__branch_id__in=scope.branch_ids)
        )
        .only(
            "status",
            "updated_at",
            "regional_program__name",
            "regional_program__application_deadline",
            "municipality__name",
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
    now = timezone.now()
    # Only windows that are still open (for someone): years of closed regions would fill the page.
    still_open = Q(application_deadline__gt=now) | Q(
        deadline_extensions__deadline__gt=now, deadline_extensions__municipality__in=municipalities
    )
    programs = (
        RegionalProgram.objects.filter(
            still_open, branches__in=branch_ids, application_deadline__isnull=False
        )
        .select_related("program")
        .prefetch_related("branches")
        .distinct()
        .order_by("application_deadline", "name")
    )
    existing_applications = list(
        Application.objects.filter(municipality__in=municipalities, regional_program__in=programs)
        .select_related("municipality")
        .only("status", "regional_program_id", "municipality__name")
    )
    existing = {(a.regional_program_id, a.municipality_id) for a in existing_applications}
    extensions = dict(
        (((e.regional_program_id, e.municipality_id), e.deadline))
        for e in ApplicationDeadlineExtension.objects.filter(municipality__in=municipalities)
    )
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
            and (extensions.get((rp.pk, m.pk)) or rp.application_deadline or now) > now
        ]
        mine = [a for a in existing_applications if a.regional_program_id == rp.pk]
        result.append((rp, eligible, mine))
    return result


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


def contacts_of(municipality) -> list:
    return [
        ra.user
        for ra in RoleAssignment.objects.filter(
            role=Role.MUNICIPAL_CONTACT, municipality=municipality, user__is_active=True
        ).select_related("user")
    ]


# --- Selection -------------------------------------------------------------------------------------------


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


def jury_reviews_for(*, user) -> QuerySet[Review]:
    """A jury member's assignments; applications they declared a conflict on are left out."""
    # A place given to this e-mail before the person had an account counts too: it is linked when the
    # invitation is accepted (applications.signals), and places left unlinked from before still show.
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


def jury_review_list(*, user) -> QuerySet[Review]:
    """The jury member's list page: only what the table shows (no application texts)."""
    return (
        jury_reviews_for(user=user)
        .select_related(None)
        .select_related("application__municipality", "application__regional_program")
        .only(
            "submitted_at",
            "has_conflict",
            "application__municipality__name",
            "application__regional_program__name",
        )
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
