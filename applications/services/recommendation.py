"""The county branch's recommendation of an application."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import role_scope
from audit.services import audit_log, changed_fields

from ..models import (
    Application,
    ApplicationStatus,
)


def application_recommend(
    *, actor: User, application: Application, recommendation: str, priority: int | None
) -> Application:
    if application.municipality.county.branch_id not in role_scope(actor).branch_ids:
        raise ValidationError(_("Bare fylkesstyret i kommunens fylkesavdeling kan gi anbefaling."))
    if application.status in (ApplicationStatus.DRAFT, ApplicationStatus.WITHDRAWN):
        raise ValidationError(_("Anbefaling kan bare gis til innsendte søknader."))
    if priority is not None and not 1 <= priority <= 999:
        raise ValidationError({"recommendation_priority": _("Prioriteten må være et tall fra 1 til 999.")})
    with transaction.atomic():
        changes = changed_fields(
            application, {"recommendation": recommendation, "recommendation_priority": priority}
        )
        application.recommendation = recommendation
        application.recommendation_priority = priority
        application.recommended_by = actor
        application.recommended_at = timezone.now()
        application.save(
            update_fields=[
                "recommendation",
                "recommendation_priority",
                "recommended_by",
                "recommended_at",
                "updated_at",
            ]
        )
        audit_log(
            actor=actor, action="applications.application.recommended", obj=application, details=changes
        )
    return application
