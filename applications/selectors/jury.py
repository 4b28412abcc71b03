"""Reads for the jury: a member's own assignments, the reviews leadership sees, and the jury of a programme."""

from __future__ import annotations

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
