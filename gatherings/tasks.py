"""Celery tasks of the gatherings app: ids in, one service call."""

import logging

from celery import shared_task

from . import services

logger = logging.getLogger(__name__)


@shared_task(name="gatherings.needs_erase", ignore_result=True)
def needs_erase() -> int:
    """Daily (beat): dietary and accessibility needs are erased the configured weeks after a gathering."""
    cleared = services.needs_erase_due()
    logger.info("gatherings: erased needs on %d registrations", cleared)
    return cleared
