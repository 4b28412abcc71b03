"""The development plan of an agreement's municipality and its revisions."""

from __future__ import annotations

from django.db.models import (
    Prefetch,
    QuerySet,
)

from ..models import (
    DevelopmentPlan,
    DevelopmentPlanComment,
    DevelopmentPlanRevision,
    GuidanceAgreement,
)


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
