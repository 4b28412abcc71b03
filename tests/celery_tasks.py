"""Tasks that exist only for the real-worker tests; the worker settings import this module."""

from celery import shared_task


@shared_task(name="tests.record_marker")
def record_marker(token: str) -> None:
    """Write a row the test can find, proving the worker ran the task against the test database."""
    from audit.models import AuditEntry

    AuditEntry.objects.create(action="tests.celery.marker", details={"token": token})


# The worker knows the test-only occasion too (the test process registers it with the `test_occasion` fixture).
from tests.reminders.occasions import register_test_occasion  # noqa: E402

register_test_occasion()
