"""The agreements a person may see, one agreement, the list, and what leadership's assignment page reads."""

from __future__ import annotations

import datetime as dt

from django.db.models import (
    Count,
    F,
    Max,
    Prefetch,
    Q,
    QuerySet,
)
from django.http import Http404

from accounts.models import Role, User
from accounts.permissions import is_leadership, role_scope

from ..models import (
    GuidanceAgreement,
)
from ..permissions import advisor_agreement_ids, can_view_agreement
from .hours import ADVISOR_NAME, _base_agreements, decorate, with_hours


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
    # The list shows the municipality's and the region's names and the hours: a page loads only the columns
    # those need (the edition is still joined, for the order).
    return (
        with_hours(agreements_for(user=user))
        .select_related(None)
        .select_related("municipality", "regional_program")
        .only("agreed_hours", "starts_on", "declined_on", "municipality__name", "regional_program__name")
        .prefetch_related(None)
        .prefetch_related(
            Prefetch("advisors", queryset=User.objects.only(*ADVISOR_NAME).order_by(*ADVISOR_NAME))
        )
        .order_by(
            "-regional_program__program__interest_deadline", "regional_program__name", "municipality__name"
        )
    )


def regional_programs_with_agreements():
    from programs.models import RegionalProgram

    return (
        RegionalProgram.objects.annotate(agreement_count=Count("guidance_agreements"))
        .values("pk", "name", "agreement_count", program_name=F("program__name"))
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
