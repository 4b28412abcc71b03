"""Celery tasks of the outbox. They take ids, load, and call one service; all the rules live in services."""

import logging
from contextlib import contextmanager

from celery import shared_task
from django.conf import settings
from django.db import connection

from . import services

logger = logging.getLogger(__name__)


@contextmanager
def _query_counter():
    """Count the SQL statements a task runs; logged with its result so the cost per delivery stays visible."""
    counter = {"n": 0}

    def wrapper(execute, sql, params, many, context):
        counter["n"] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield counter


@shared_task(name="reminders.deliveries_sweep", ignore_result=True)
def deliveries_sweep() -> dict:
    """Run by beat every few minutes: plan from the database, claim what is due, queue send tasks.

    Running two at once is harmless: planning takes an advisory lock (the second skips it) and claiming
    skips rows the other sweep holds.
    """
    with _query_counter() as queries:
        plan = services.deliveries_plan()
        ids = services.deliveries_claim_due()
    batch = int(getattr(settings, "REMINDERS_SEND_BATCH", 25))
    for chunk in services.chunks(ids, batch):
        deliveries_send.delay(chunk)
    logger.info(
        "reminders sweep: planned +%d moved %d cancelled %d revived %d; queued %d in %d tasks; queries=%d",
        plan.created,
        plan.moved,
        plan.cancelled,
        plan.revived,
        len(ids),
        (len(ids) + batch - 1) // batch,
        queries["n"],
    )
    return {"queued": len(ids), "created": plan.created}


@shared_task(name="reminders.deliveries_replan", ignore_result=True)
def deliveries_replan(codes: list[str], scope: str | None = None) -> dict:
    """Re-plan a few occasions (in one scope) soon after a change, when the planner was busy at the time."""
    stats = services.deliveries_plan(codes=codes, scope=scope)
    if stats.skipped_locked:
        logger.info("reminders re-plan of %s (%s) left to the sweep: the planner is busy", codes, scope)
    return {"created": stats.created, "cancelled": stats.cancelled}


@shared_task(name="reminders.deliveries_send", ignore_result=True)
def deliveries_send(delivery_ids: list[int]) -> dict:
    """Send a small batch over one SMTP connection. Safe to run twice: each row is checked under its lock."""
    with _query_counter() as queries:
        stats = services.deliveries_send(delivery_ids=[int(pk) for pk in delivery_ids])
    logger.info(
        "reminders send: sent=%d failed=%d skipped=%d missed=%d not_mine=%d queries=%d",
        stats.sent,
        stats.failed,
        stats.skipped,
        stats.missed,
        stats.not_mine,
        queries["n"],
    )
    return {"sent": stats.sent, "failed": stats.failed}
