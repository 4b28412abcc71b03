"""Leadership's actions on the outbox: cancel, restore, resend a row; occasion settings and pausing."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_log, changed_fields

from ..models import CancelReason, Delivery, DeliveryState, OccasionSetting
from ..occasions import (
    Occasion,
    occasion_get,
    placeholder_errors,
)
from .planning import deliveries_plan
from .sending import deliveries_send_refusals

# --- leadership's actions ------------------------------------------------------------------------------


def _audit_row(actor, action: str, row: Delivery, **extra) -> None:
    audit_log(
        actor=actor,
        action=action,
        obj=row,
        details={"occasion": row.occasion, "recipient": row.recipient_email, **extra},
    )


def delivery_cancel(*, actor, delivery: Delivery) -> Delivery:
    with transaction.atomic():
        row = Delivery.objects.select_for_update().get(pk=delivery.pk)
        if row.state != DeliveryState.PLANNED:
            raise ValidationError(_("Bare planlagte påminnelser kan avbrytes."))
        row.state = DeliveryState.CANCELLED
        row.cancel_reason = CancelReason.MANUAL
        row.queued_at = None
        row.save(update_fields=["state", "cancel_reason", "queued_at", "updated_at"])
        _audit_row(actor, "reminders.delivery.cancelled", row)
    return row


def delivery_restore(*, actor, delivery: Delivery) -> Delivery:
    """Undo leadership's own cancellation: the row is planned again at its planned time."""
    with transaction.atomic():
        row = Delivery.objects.select_for_update().get(pk=delivery.pk)
        if row.state != DeliveryState.CANCELLED or row.cancel_reason != CancelReason.MANUAL:
            raise ValidationError(_("Bare påminnelser som programledelsen har avbrutt, kan gjenopprettes."))
        now = timezone.now()
        if row.expires_at is not None and row.expires_at < now:
            raise ValidationError(
                _(
                    "Tidspunktet for denne påminnelsen er passert. Bruk «Send nå» hvis den skal sendes likevel."
                )
            )
        row.state = DeliveryState.PLANNED
        row.cancel_reason = ""
        row.queued_at = None
        if row.attempts == 0:
            row.next_attempt_at = row.planned_at
        row.save(update_fields=["state", "cancel_reason", "queued_at", "next_attempt_at", "updated_at"])
        _audit_row(actor, "reminders.delivery.restored", row)
    return row


def delivery_resend(*, actor, delivery: Delivery) -> Delivery:
    """Send the row (again) now: a failed, missed, skipped, cancelled or sent row goes back to planned."""
    from ..tasks import deliveries_send as deliveries_send_task

    occasion = occasion_get(delivery.occasion)
    # never say «sendes nå» about a row the worker would skip: its occasion is asked first, as the worker would
    refusal = deliveries_send_refusals([delivery]).get(delivery.pk)
    if refusal:
        raise ValidationError(refusal)
    with transaction.atomic():
        row = Delivery.objects.select_for_update().get(pk=delivery.pk)
        if (
            row.program_id
            and OccasionSetting.objects.filter(
                program_id=row.program_id, occasion=row.occasion, paused=True
            ).exists()
        ):
            label = occasion.label if occasion is not None else row.occasion
            raise ValidationError(
                _("«%(label)s» er satt på pause. Slå den på igjen først; da sendes også denne.")
                % {"label": label}
            )
        previous = row.state
        now = timezone.now()
        row.resends += 1
        row.state = DeliveryState.PLANNED
        row.cancel_reason = ""
        row.next_attempt_at = now
        row.expires_at = None  # leadership asked for it now; it cannot be "too late"
        row.attempts = 0
        row.queued_at = now
        row.save(
            update_fields=[
                "resends",
                "state",
                "cancel_reason",
                "next_attempt_at",
                "expires_at",
                "attempts",
                "queued_at",
                "updated_at",
            ]
        )
        _audit_row(actor, "reminders.delivery.resent", row, previous_state=previous)
        transaction.on_commit(lambda: deliveries_send_task.delay([row.pk]), robust=True)
    return row


def _setting_for(program, occasion: Occasion) -> OccasionSetting:
    setting, _created = OccasionSetting.objects.select_for_update().get_or_create(
        program=program, occasion=occasion.code, defaults={"offsets_days": list(occasion.default_offsets)}
    )
    return setting


def occasion_setting_update(
    *,
    actor,
    program,
    occasion: Occasion,
    offsets_days: Sequence[int],
    subject_override: str,
    body_override: str,
) -> OccasionSetting:
    offsets = sorted({int(o) for o in offsets_days}, reverse=True)
    errors: dict[str, list[str]] = {}
    if not offsets or any(o < 0 or o > 365 for o in offsets):
        errors["offsets_days"] = [_("Oppgi ett eller flere hele tall mellom 0 og 365.")]
    for name, text in (("subject_override", subject_override), ("body_override", body_override)):
        problems = placeholder_errors(text, occasion.placeholder_fields())
        if problems:
            errors[name] = problems
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        setting = _setting_for(program, occasion)
        data = {"offsets_days": offsets, "subject_override": subject_override, "body_override": body_override}
        changes = changed_fields(setting, data)
        for name, value in data.items():
            setattr(setting, name, value)
        setting.save()
        if changes:
            audit_log(
                actor=actor,
                action="reminders.occasion_setting.updated",
                obj=setting,
                details={"occasion": occasion.code, "changes": changes},
            )
        deliveries_plan(codes=[occasion.code])
    return setting


def occasion_pause(*, actor, program, occasion: Occasion, paused: bool) -> OccasionSetting:
    with transaction.atomic():
        setting = _setting_for(program, occasion)
        if setting.paused != paused:
            setting.paused = paused
            setting.save(update_fields=["paused", "updated_at"])
            audit_log(
                actor=actor,
                action="reminders.occasion_setting.paused"
                if paused
                else "reminders.occasion_setting.resumed",
                obj=setting,
                details={"occasion": occasion.code},
            )
    return setting
