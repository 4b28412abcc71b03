"""Reads about people, already scoped to the acting user: only programme leadership sees other people."""

from __future__ import annotations

from django.db.models import BooleanField, Count, ExpressionWrapper, Prefetch, Q, QuerySet

from .models import Invitation, Role, RoleAssignment, User
from .permissions import can_manage_people


def _assignments_prefetch() -> Prefetch:
    return Prefetch(
        "role_assignments",
        queryset=RoleAssignment.objects.select_related("branch", "municipality").order_by("role", "id"),
    )


def _two_factor_on() -> Q:
    """Whether the person has a confirmed authenticator or recovery codes (as `two_factor.two_factor_enabled`),
    as one subquery per row instead of two queries per person."""
    from django.db.models import Exists, OuterRef
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return Q(Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True))) | Q(
        Exists(StaticDevice.objects.filter(user=OuterRef("pk"), confirmed=True))
    )


def people_list(
    *, actor, search: str = "", role: str = "", active: str = "", two_factor: str = ""
) -> QuerySet[User]:
    """`two_factor`: "on" or "off" filters on two-factor sign-in; each row carries `two_factor_on`."""
    if not can_manage_people(actor):
        return User.objects.none()
    qs = (
        User.objects.prefetch_related(_assignments_prefetch())
        .annotate(two_factor_on=ExpressionWrapper(_two_factor_on(), output_field=BooleanField()))
        .order_by("full_name", "email", "id")
    )
    search = (search or "").strip()
    if search:
        qs = qs.filter(Q(full_name__icontains=search) | Q(email__icontains=search))
    if role == "none":
        qs = qs.filter(role_assignments__isnull=True)
    elif role in Role.values:
        qs = qs.filter(pk__in=RoleAssignment.objects.filter(role=role).values("user_id"))
    if active == "yes":
        qs = qs.filter(is_active=True)
    elif active == "no":
        qs = qs.filter(is_active=False)
    if two_factor == "on":
        qs = qs.filter(two_factor_on=True)
    elif two_factor == "off":
        qs = qs.filter(two_factor_on=False)
    return qs


def person_detail_qs(*, actor) -> QuerySet[User]:
    """People the actor may open on the person page (get_object_or_404 on this)."""
    return people_list(actor=actor)


def invitations_pending(*, actor, email: str | None = None) -> QuerySet[Invitation]:
    if not can_manage_people(actor):
        return Invitation.objects.none()
    qs = Invitation.objects.pending().select_related("branch", "municipality", "invited_by")
    if email is not None:
        qs = qs.filter(email__iexact=email)
    return qs.order_by("-created_at", "-id")


def invitations_open(*, actor) -> QuerySet[Invitation]:
    """Invitations not yet taken up or cancelled, expired ones included (they can be sent again)."""
    if not can_manage_people(actor):
        return Invitation.objects.none()
    return (
        Invitation.objects.filter(accepted_at__isnull=True, cancelled_at__isnull=True)
        .select_related("branch", "municipality", "invited_by")
        .order_by("-created_at", "-id")
    )


def people_role_counts(*, actor) -> dict[str, int]:
    """Number of active people per role, every role present (0 when none), in Role order."""
    if not can_manage_people(actor):
        return {}
    rows = (
        RoleAssignment.objects.filter(user__is_active=True)
        .values("role")
        .annotate(people=Count("user", distinct=True))
    )
    found = {row["role"]: row["people"] for row in rows}
    return {role: found.get(role, 0) for role in Role.values}
