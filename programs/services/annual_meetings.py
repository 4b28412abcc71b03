"""After the county annual meetings (årsmøter): a branch's board records whether its annual meeting decided to take
part in the edition."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_log, audit_value, changed_fields
from municipalities.models import CountyBranch

from ..models import AnnualMeetingDecision, Program


@transaction.atomic
def annual_meeting_decision_record(
    *,
    actor,
    program: Program,
    branch: CountyBranch,
    meeting_date: dt.date,
    participates: bool,
    comment: str = "",
) -> AnnualMeetingDecision:
    if meeting_date > timezone.localdate() + dt.timedelta(days=1):
        raise ValidationError({"meeting_date": _("Årsmøtet kan ikke være i fremtiden.")})
    values = {"meeting_date": meeting_date, "participates": participates, "comment": comment}
    decision = (
        AnnualMeetingDecision.objects.select_for_update()
        .filter(program=program, branch=branch)
        .order_by()
        .first()
    )
    if decision is None:
        decision = AnnualMeetingDecision.objects.create(
            program=program, branch=branch, recorded_by=actor, **values
        )
        changes = {k: {"from": None, "to": audit_value(v)} for k, v in values.items()}
    else:
        changes = changed_fields(decision, values)
        if not changes:
            return decision
        for name, value in values.items():
            setattr(decision, name, value)
        decision.recorded_by = actor
        decision.save()
    audit_log(
        actor=actor,
        action="programs.annual_meeting_decision.recorded",
        obj=decision,
        details={"branch": branch.name, "changed_fields": changes},
    )
    return decision
