"""Celery tasks of the outbox. They take ids, load, and call one service; all the rules live in services."""

import logging

from celery import shared_task
from django.conf import settings

from . import services

logger = logging.getLogger(__name__)


@shared_task(name="reminders.deliveries_sweep", ignore_result=True)
def deliveries_sweep() -> dict:
    """Run by beat every few minutes: plan from the database, claim what is due, queue send tasks.

    Running two at once is harmless: planning takes an advisory lock (the second skips it) and claiming
    skips rows the other sweep holds.
    """
    plan = services.deliveries_plan()
    ids = services.deliveries_claim_due()
    batch = int(getattr(settings, "REMINDERS_SEND_BATCH", 25))
    for chunk in services.chunks(ids, batch):
        deliveries_send.delay(chunk)
    if ids or plan.created or plan.moved or plan.cancelled:
        logger.info(
            "reminders sweep: planned +%d moved %d cancelled %d, queued %d",
            plan.created,
            plan.moved,
            plan.cancelled,
            len(ids),
        )
    return {"queued": len(ids), "created": plan.created}


@shared_task(name="reminders.deliveries_send", ignore_result=True)
def deliveries_send(delivery_ids: list[int]) -> dict:
    """Send a small batch over one SMTP connection. Safe to run twice: each row is checked under its lock."""
    stats = services.deliveries_send(delivery_ids=[int(pk) for pk in delivery_ids])
    logger.info(
        "reminders send: %d sent, %d failed, %d skipped, %d missed, %d not mine",
        stats.sent,
        stats.failed,
        stats.skipped,
        stats.missed,
        stats.not_mine,
    )
    return {"sent": stats.sent, "failed": stats.failed}
