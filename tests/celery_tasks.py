"""Tasks that exist only for the real-worker tests; the worker settings import this module."""

from celery import shared_task


@shared_task(name="tests.record_marker")
def record_marker(token: str) -> None:
    """Write a row the test can find, proving the worker ran the task against the test database."""
    from audit.models import AuditEntry

    AuditEntry.objects.create(action="tests.celery.marker", details={"token": token})
