"""Editions (programperioder): leadership creates, edits and publishes an edition; publishing sends the invitation
once, and a moved interest deadline moves the planned reminders with it."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from audit.services import audit_log, changed_fields
from core.models import model_validate

from ..models import Program
from ..reminders import EDITION_INVITATION

PROGRAM_FIELDS = ["name", "slug", "invitation_text", "interest_deadline", "start_semester", "contact_email"]


@transaction.atomic
def program_create(*, actor, data: dict[str, Any]) -> Program:
    program = Program(**{k: data[k] for k in PROGRAM_FIELDS if k in data})
    model_validate(program)
    program.save()
    audit_log(
        actor=actor,
        action="programs.program.created",
        obj=program,
        details={"name": program.name, "interest_deadline": program.interest_deadline},
    )
    return program


@transaction.atomic
def program_update(*, actor, program: Program, data: dict[str, Any]) -> Program:
    program = Program.objects.select_for_update().get(pk=program.pk)
    changes = changed_fields(program, {k: data[k] for k in PROGRAM_FIELDS if k in data})
    if not changes:
        return program
    if "interest_deadline" in changes and data["interest_deadline"] <= timezone.now():
        from ..forms import PAST_DEADLINE_MESSAGE

        raise ValidationError({"interest_deadline": PAST_DEADLINE_MESSAGE})
    for name in changes:
        setattr(program, name, data[name])
    model_validate(program)
    program.save()
    audit_log(
        actor=actor, action="programs.program.updated", obj=program, details={"changed_fields": changes}
    )
    if "interest_deadline" in changes:
        _reminders_replan()
    return program


def _reminders_replan() -> None:
    """The planned reminders follow a moved deadline now, not at the next sweep: reminders whose moment no
    longer exists are cancelled, the others moved."""
    from reminders.services import deliveries_plan

    from ..reminders import INTEREST_DEADLINE

    deliveries_plan(codes=[INTEREST_DEADLINE])


@transaction.atomic
def program_publish(*, actor, program: Program, publish: bool) -> Program:
    program = Program.objects.select_for_update().get(pk=program.pk)
    if program.is_published == publish:
        return program
    program.is_published = publish
    program.save(update_fields=["is_published", "updated_at"])
    details = {}
    if publish:
        # once per edition: publishing again finds the rows under the same key and sends nothing
        details["invitation_recipients"] = EDITION_INVITATION.notify(program=program)
    audit_log(
        actor=actor,
        action="programs.program.published" if publish else "programs.program.unpublished",
        obj=program,
        details=details,
    )
    return program
