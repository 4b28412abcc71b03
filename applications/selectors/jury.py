"""Reads for the jury: a member's own assignments, the reviews leadership sees, and the jury of a programme."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Q, QuerySet

from programs.models import RegionalProgram

from ..models import Application, ApplicationStatus, JuryMember, Review


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
        # One join (reviews), so no DISTINCT: each review row is counted once.
        .annotate(
            assigned=Count("reviews"),
            submitted=Count("reviews", filter=Q(reviews__submitted_at__isnull=False)),
            conflicts=Count("reviews", filter=Q(reviews__has_conflict=True)),
        )
        .order_by("email", "pk")  # Meta.ordering is not applied to an aggregating query: say it
    )


def reviews_of(*, regional_program: RegionalProgram) -> QuerySet[Review]:
    return Review.objects.filter(application__regional_program=regional_program).select_related(
        "jury_member__user", "application__municipality"
    )


def conflicts_of(*, regional_program: RegionalProgram) -> QuerySet[Review]:
    """The programme's reviews with a declared conflict of interest, with what the ranking page names: the jury
    member, the municipality and the note (not the application's long texts)."""
    return (
        reviews_of(regional_program=regional_program)
        .filter(has_conflict=True)
        .only(
            "conflict_note",
            "jury_member__user_id",
            "jury_member__full_name",
            "jury_member__email",
            "jury_member__user__full_name",
            "jury_member__user__email",
            "application__municipality__name",
        )
    )


@dataclass(frozen=True, slots=True)
class JuryRow:
    """One jury member as the selection overview lists them, with their reviews counted."""

    pk: int
    user_id: int | None
    email: str
    display_name: str
    assigned: int
    submitted: int
    conflicts: int


# What `jury_members_of` counts (assigned, delivered, conflict) with only the columns the overview shows. Built
# by the ORM (annotations, select_related, `only`) the query cost four times the database's own time.
_JURY_ROWS_SQL = (
    "SELECT j.id, j.user_id, j.email, j.full_name, u.full_name, u.email,"
    " COUNT(r.id), COUNT(r.submitted_at), COUNT(CASE WHEN r.has_conflict THEN 1 END)"
    " FROM applications_jurymember j"
    " LEFT JOIN accounts_user u ON u.id = j.user_id"
    " LEFT JOIN applications_review r ON r.jury_member_id = j.id"
    " WHERE j.regional_program_id = %s"
    " GROUP BY j.id, j.user_id, j.email, j.full_name, u.full_name, u.email"
    " ORDER BY j.email, j.id"
)


def jury_rows_of(*, regional_program_id: int) -> list[JuryRow]:
    """The programme's jury as `jury_members_of` orders and counts it (tests compare the two)."""
    with connection.cursor() as cursor:
        cursor.execute(_JURY_ROWS_SQL, [regional_program_id])
        rows = cursor.fetchall()
    return [
        JuryRow(
            pk=pk,
            user_id=user_id,
            email=email,
            # JuryMember.display_name: the account's name (or e-mail) once linked, else the invitation's.
            display_name=(user_name or user_email) if user_id else (full_name or email),
            assigned=assigned,
            submitted=submitted,
            conflicts=conflicts,
        )
        for pk, user_id, email, full_name, user_name, user_email, assigned, submitted, conflicts in rows
    ]
