"""Every write of the outbox, one module per process: planning, claiming the due rows, sending (exactly once), mail
building (no database access), and leadership's actions. Import from here or from the module."""

from .actions import (
    delivery_cancel,
    delivery_resend,
    delivery_restore,
    occasion_pause,
    occasion_setting_update,
)
from .claiming import chunks, claim_lease, deliveries_claim_due
from .mail import OutboxEmail, header_words
from .planning import PLAN_LOCK_ID, PlanStats, deliveries_plan, replan_soon
from .preview import OccasionPreview, occasion_preview, occasion_schedule
from .sending import (
    NO_LONGER_APPLIES,
    SENT_NO_LONGER_APPLIES,
    SendStats,
    deliveries_send,
    deliveries_send_refusals,
    max_attempts,
    retry_delay,
)

__all__ = [
    "NO_LONGER_APPLIES",
    "SENT_NO_LONGER_APPLIES",
    "OutboxEmail",
    "PLAN_LOCK_ID",
    "OccasionPreview",
    "PlanStats",
    "SendStats",
    "chunks",
    "claim_lease",
    "deliveries_claim_due",
    "deliveries_plan",
    "deliveries_send",
    "deliveries_send_refusals",
    "delivery_cancel",
    "delivery_resend",
    "delivery_restore",
    "header_words",
    "max_attempts",
    "occasion_pause",
    "occasion_preview",
    "occasion_schedule",
    "occasion_setting_update",
    "replan_soon",
    "retry_delay",
]
