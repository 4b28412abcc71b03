"""A real Celery worker process on Redis runs a task end to end against the test database."""

import uuid

import pytest

from audit.models import AuditEntry
from tests import celery_support
from tests.celery_support import wait_until

# The fixtures live in tests/celery_support.py; binding them here makes pytest find them.
celery_worker = celery_support.celery_worker
worker_factory = celery_support.worker_factory

pytestmark = pytest.mark.celery_worker


def _marker_written(token: str) -> bool:
    return AuditEntry.objects.filter(action="tests.celery.marker", details__token=token).exists()


def test_real_worker_runs_a_task_against_the_test_database(celery_worker):
    from config import celery_app

    assert celery_app.conf.task_always_eager is False
    token = uuid.uuid4().hex
    celery_app.send_task("tests.record_marker", args=[token])

    wait_until(
        lambda: _marker_written(token),
        timeout=30,
        what=f"workeren skrev ikke markøren\n{celery_worker.log_tail()}",
    )
    assert "tests.record_marker" in celery_worker.log_text()


def test_a_task_queued_while_the_worker_is_down_runs_when_it_comes_back(worker_factory):
    from config import celery_app

    worker = worker_factory(pool="solo", concurrency=1)
    worker.kill_hard()
    token = uuid.uuid4().hex
    celery_app.send_task("tests.record_marker", args=[token])
    assert not _marker_written(token)

    worker.start()
    wait_until(
        lambda: _marker_written(token),
        timeout=30,
        what=f"markøren kom ikke etter omstart\n{worker.log_tail()}",
    )
