"""Celery tasks of core: housekeeping of its shared tables."""

import logging

from celery import shared_task

from .once import form_submissions_purge

logger = logging.getLogger(__name__)


@shared_task(name="core.form_submissions_purge", ignore_result=True)
def form_submissions_purge_task() -> int:
    """Daily (beat): the one-time tokens of saved create forms are forgotten after `core.once.KEEP_DAYS`."""
    deleted = form_submissions_purge()
    logger.info("core: forgot %d saved form tokens", deleted)
    return deleted
