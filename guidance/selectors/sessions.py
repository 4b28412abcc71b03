"""The log of an agreement and the one session an advisor may change."""

from __future__ import annotations

from django.db.models import (
    BooleanField,
    ExpressionWrapper,
    Q,
    QuerySet,
)
from django.http import Http404
from django.utils import timezone

from programs.timing import OSLO

from ..models import (
    GuidanceAgreement,
    GuidanceSession,
)
from ..permissions import advisor_agreement_ids, can_view_agreement, can_view_internal


def sessions_for(*, user, agreement: GuidanceAgreement) -> QuerySet[GuidanceSession]:
    """The agreement's log, newest first. Without the right to the internal note, the note is not even loaded."""
    if not can_view_agreement(user, agreement):
        return GuidanceSession.objects.none()
    qs = (
        GuidanceSession.objects.filter(agreement=agreement)
        .select_related("advisor", "plan_revision")
        .prefetch_related("theme_rows", "participants")
        .order_by("-held_on", "-id")
        # Saved before the rule that a session's date is not after today: shown flagged, for the advisor to
        # correct (nobody can tell a wrong year from a meeting logged ahead, so nothing is changed for them).
        .annotate(
            date_in_future=ExpressionWrapper(
                Q(held_on__gt=timezone.localdate(timezone=OSLO)), output_field=BooleanField()
            )
        )
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
