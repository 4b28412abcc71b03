"""The development plan: the municipality writes new versions, advisors and leadership comment."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from audit.services import audit_log

from ..models import DevelopmentPlan, DevelopmentPlanComment, DevelopmentPlanRevision, GuidanceAgreement
from ..permissions import can_comment_plan, can_revise_plan

PLAN_FIELDS = (
    "where_we_are",
    "where_we_want_to_go",
    "how_we_get_there",
    "development_areas",
    "effect_goals",
    "change_note",
)


def plan_revise(
    *, actor: User, agreement: GuidanceAgreement, data: dict[str, Any]
) -> DevelopmentPlanRevision:
    """Write a new revision of the municipality's plan; earlier revisions stay as they were."""
    if not can_revise_plan(actor, agreement):
        raise ValidationError(_("Bare kommunen selv kan skrive utviklingsplanen."))
    data = {k: (data.get(k) or "").strip() for k in PLAN_FIELDS}
    missing = {
        k: _("Skriv noe her.")
        for k in ("where_we_are", "where_we_want_to_go", "how_we_get_there")
        if not data[k]
    }
    if missing:
        raise ValidationError(missing)
    with transaction.atomic():
        plan, _created = DevelopmentPlan.objects.get_or_create(
            regional_program_id=agreement.regional_program_id, municipality_id=agreement.municipality_id
        )
        plan = DevelopmentPlan.objects.select_for_update().get(pk=plan.pk)
        latest = plan.revisions.order_by("-number").first()
        if latest is not None and all(
            getattr(latest, k) == data[k] for k in PLAN_FIELDS if k != "change_note"
        ):
            # Back + submit again must not make a copy: a version is only kept when the plan changed.
            raise ValidationError(
                _("Planen er lik versjon %(n)s. Endre noe i planen før du lagrer en ny versjon.")
                % {"n": latest.number}
            )
        number = (latest.number if latest else 0) + 1
        revision = DevelopmentPlanRevision.objects.create(plan=plan, number=number, created_by=actor, **data)
        audit_log(
            actor=actor,
            action="guidance.plan.revised",
            obj=plan,
            details={"number": number, "change_note": data["change_note"]},
        )
    return revision


def plan_comment_add(
    *, actor: User, agreement: GuidanceAgreement, revision: DevelopmentPlanRevision, text: str
) -> DevelopmentPlanComment:
    if not can_comment_plan(actor, agreement):
        raise ValidationError(_("Bare veiledere og programledelsen kan kommentere planen."))
    if revision.plan.municipality_id != agreement.municipality_id or (
        revision.plan.regional_program_id != agreement.regional_program_id
    ):
        raise ValidationError(_("Versjonen hører ikke til denne planen."))
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Skriv en kommentar.")})
    with transaction.atomic():
        comment = DevelopmentPlanComment.objects.create(revision=revision, author=actor, text=text)
        audit_log(
            actor=actor,
            action="guidance.plan.commented",
            obj=revision.plan,
            details={"number": revision.number},
        )
    return comment
