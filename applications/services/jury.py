"""The jury: members (invited when they have no account), assignments, conflicts of interest, reviews."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from accounts.permissions import role_scope
from audit.services import audit_log, audit_value
from programs.models import RegionalProgram

from ..models import (
    Application,
    JuryMember,
    Review,
    ReviewScore,
    SelectionCriterion,
)
from ..reminders import JURY_ASSIGNMENT

# --- Jury ------------------------------------------------------------------------------------------------


def _invite(*, actor: User, email: str, full_name: str, role: str, municipality=None) -> User | None:
    """Invite by e-mail (accounts adds the role straight away for someone who already has an account)."""
    from accounts.services import invitation_create

    invitation_create(actor=actor, email=email, full_name=full_name, role=role, municipality=municipality)
    return User.objects.filter(email__iexact=email, is_active=True).first()


def jury_member_add(
    *, actor: User, regional_program: RegionalProgram, email: str, full_name: str = ""
) -> JuryMember:
    """Name a person to the jury. Someone without the jury role (or without an account) gets an invitation."""
    email = email.strip().lower()
    with transaction.atomic():
        if JuryMember.objects.filter(regional_program=regional_program, email__iexact=email).exists():
            raise ValidationError(
                {"email": _("Personen er allerede jurymedlem i dette regionale programmet.")}
            )
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        if user is None or Role.JURY_MEMBER not in role_scope(user).roles:
            user = _invite(actor=actor, email=email, full_name=full_name, role=Role.JURY_MEMBER)
        member = JuryMember.objects.create(
            regional_program=regional_program,
            user=user,
            email=email,
            full_name=full_name or (user.full_name if user else ""),
            added_by=actor,
        )
        # someone invited gets the invitation; someone with an account is told here what the jury does
        notified = JURY_ASSIGNMENT.notify(member=member) if user is not None else 0
        audit_log(
            actor=actor,
            action="applications.jury_member.added",
            obj=member,
            details={"email": email, "invited": user is None, "notified": bool(notified)},
        )
    return member


def jury_memberships_claim(*, user: User) -> int:
    """Link jury places that were given to this e-mail before the person had an account."""
    with transaction.atomic():
        rows = list(
            JuryMember.objects.select_for_update().filter(user__isnull=True, email__iexact=user.email)
        )
        for member in rows:
            member.user = user
            member.save(update_fields=["user"])
            audit_log(actor=user, action="applications.jury_member.linked", obj=member)
    return len(rows)


def jury_member_remove(*, actor: User, member: JuryMember) -> None:
    if member.reviews.filter(submitted_at__isnull=False).exists():
        raise ValidationError(_("Jurymedlemmet har levert vurderinger og kan ikke fjernes."))
    with transaction.atomic():
        audit_log(actor=actor, action="applications.jury_member.removed", obj=member)
        member.delete()


_UNCHANGED = object()


def jury_assignments_set(
    *, actor: User, member: JuryMember, applications: list[Application], review_deadline=_UNCHANGED
) -> None:
    """Make the member's assignments exactly `applications`; submitted reviews are never taken away.

    `review_deadline` (for the whole jury of the region) is told to the member with the new applications.
    """
    wanted = {a.pk for a in applications}
    if any(a.regional_program_id != member.regional_program_id for a in applications):
        raise ValidationError(_("Søknadene må høre til samme regionale program som juryen."))
    with transaction.atomic():
        details: dict[str, Any] = {}
        rp = member.regional_program
        if review_deadline is not _UNCHANGED and review_deadline != rp.review_deadline:
            if review_deadline is not None and review_deadline <= timezone.now():
                raise ValidationError({"review_deadline": _("Fristen for vurderingene må være fram i tid.")})
            details["review_deadline"] = {
                "from": audit_value(rp.review_deadline),
                "to": audit_value(review_deadline),
            }
            rp.review_deadline = review_deadline
            rp.save(update_fields=["review_deadline"])
        current = {r.application_id: r for r in member.reviews.all()}
        added = [pk for pk in wanted if pk not in current]
        removed = [r for pk, r in current.items() if pk not in wanted and r.submitted_at is None]
        Review.objects.bulk_create([Review(application_id=pk, jury_member=member) for pk in added])
        Review.objects.filter(pk__in=[r.pk for r in removed]).delete()
        if added:
            new = [a for a in applications if a.pk in set(added)]
            details["notified"] = bool(JURY_ASSIGNMENT.notify(member=member, applications=new))
        audit_log(
            actor=actor,
            action="applications.jury_assignments.updated",
            obj=member,
            details={
                "assigned": sorted(added),
                "removed": sorted(r.application_id for r in removed),
                **details,
            },
        )


def review_conflict_declare(*, actor: User, review: Review, has_conflict: bool, note: str = "") -> Review:
    if review.jury_member.user_id != actor.pk:
        raise ValidationError(_("Dette er ikke din vurdering."))
    if review.submitted_at is not None:
        raise ValidationError(_("Vurderingen er levert; inhabilitet kan ikke endres."))
    if has_conflict and not note.strip():
        raise ValidationError({"conflict_note": _("Skriv kort hvorfor du er inhabil.")})
    with transaction.atomic():
        review.has_conflict = has_conflict
        review.conflict_note = note.strip() if has_conflict else ""
        review.save(update_fields=["has_conflict", "conflict_note", "updated_at"])
        audit_log(
            actor=actor,
            action="applications.review.conflict_declared",
            obj=review,
            details={"has_conflict": has_conflict, "conflict_note": review.conflict_note},
        )
    return review


def review_save(
    *, actor: User, review: Review, scores: dict[int, int | None], comment: str, submit: bool
) -> Review:
    """Save scores (1–5 per criterion id) and comment; `submit` requires every criterion scored."""
    if review.jury_member.user_id != actor.pk:
        raise ValidationError(_("Dette er ikke din vurdering."))
    if review.has_conflict is not False:
        raise ValidationError(_("Svar på spørsmålet om inhabilitet før du vurderer søknaden."))
    if review.submitted_at is not None:
        raise ValidationError(_("Vurderingen er allerede levert."))
    criteria = {
        c.pk: c
        for c in SelectionCriterion.objects.filter(regional_program_id=review.application.regional_program_id)
    }
    errors = {}
    for criterion_id, value in scores.items():
        if criterion_id not in criteria:
            raise ValidationError(_("Ukjent kriterium."))
        if value is not None and not 1 <= value <= 5:
            errors[f"criterion_{criterion_id}"] = _("Poengene må være fra 1 til 5.")
    if submit:
        for criterion_id in criteria:
            if scores.get(criterion_id) is None:
                errors[f"criterion_{criterion_id}"] = _("Gi poeng før du leverer.")
        if not criteria:
            raise ValidationError(_("Programmet har ingen kriterier ennå."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        for criterion_id, value in scores.items():
            if value is None:
                ReviewScore.objects.filter(review=review, criterion_id=criterion_id).delete()
            else:
                ReviewScore.objects.update_or_create(
                    review=review, criterion_id=criterion_id, defaults={"score": value}
                )
        review.comment = comment
        fields = ["comment", "updated_at"]
        if submit:
            review.submitted_at = timezone.now()
            fields.append("submitted_at")
        review.save(update_fields=fields)
        audit_log(
            actor=actor,
            action="applications.review.submitted" if submit else "applications.review.saved",
            obj=review,
            details={"scores": {str(k): v for k, v in scores.items()}},
        )
    return review
