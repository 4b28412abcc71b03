"""The migration-test helper puts the latest schema back even when the test inside it fails."""

import pytest
from django.db import connection

from tests.migrations import migrated_to


def _tables() -> list[str]:
    with connection.cursor() as cursor:
        return connection.introspection.table_names(cursor)


def _failing_migration_test() -> None:
    with migrated_to([("core", "0001_draft_recovery")]):
        assert "core_calendarfeed" not in _tables()
        raise AssertionError("the test failed")


@pytest.mark.django_db(transaction=True)
def test_a_failing_migration_test_leaves_the_latest_schema_behind():
    with pytest.raises(AssertionError, match="the test failed"):
        _failing_migration_test()
    assert "core_calendarfeed" in _tables()
