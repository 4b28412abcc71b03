import pytest
from django.db import connection

from config.settings.base import database_tuned


@pytest.mark.django_db
def test_postgresql_connections_run_without_jit():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)


def test_jit_off_keeps_other_connection_options_and_leaves_sqlite_alone():
    postgres = database_tuned(
        {"ENGINE": "django.db.backends.postgresql", "OPTIONS": {"options": "-c statement_timeout=5000"}}
    )
    assert postgres["OPTIONS"]["options"] == "-c statement_timeout=5000 -c jit=off"
    assert "OPTIONS" not in database_tuned({"ENGINE": "django.db.backends.sqlite3"})
