"""Testing a migration on data: migrate back to the state before it, fill the old tables, migrate through it.

    with migrated_to(BEFORE) as schema:
        Old = schema.apps.get_model("app", "Model")
        ...  # rows as they were
        new = schema.migrate(AFTER)
        ...  # assertions on the moved rows

However the test ends, the database goes back to the latest schema, so a failing migration test
cannot leave old tables behind for the tests after it.
"""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.state import StateApps

# (app label, migration name); a name of None takes the app back to before its first migration.
Targets = Sequence[tuple[str, str | None]]


def _migrate(targets: Targets) -> StateApps:
    # A fresh executor each time: its loader learns which migrations are applied only when it is built.
    executor = MigrationExecutor(connection)
    executor.migrate(list(targets))
    named = [(app, name) for app, name in targets if name is not None]
    return executor.loader.project_state(named).apps


def migrate_to_latest() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


class MigratedSchema:
    """The database at a migration state, with the historical models of that state in `apps`."""

    def __init__(self, apps: StateApps) -> None:
        self.apps = apps

    def migrate(self, targets: Targets) -> StateApps:
        """Migrate on to `targets` (e.g. through the migration under test) and answer the apps there."""
        self.apps = _migrate(targets)
        return self.apps


@contextmanager
def migrated_to(targets: Targets) -> Iterator[MigratedSchema]:
    """The database migrated to `targets` for the block; back at the latest schema afterwards, always."""
    try:
        yield MigratedSchema(_migrate(targets))
    finally:
        migrate_to_latest()
