"""Small pieces for the few reads written out as SQL (where building the query with the ORM cost more than the
database took to answer it). Portable: the same text runs on PostgreSQL and on the embedded SQLite."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, overload

from django.db import connection


def id_list(ids: Iterable[int]) -> tuple[str, list[int]]:
    """`IN (…)` of integer ids: the placeholders (one per id, sorted: the same set gives the same text) and the
    parameters. No ids is `IN (NULL)`, which matches no row, as the ORM's empty `__in` does."""
    values = sorted({int(pk) for pk in ids})
    if not values:
        return "(NULL)", []
    return "(" + ", ".join(["%s"] * len(values)) + ")", values


def moment(value: dt.datetime) -> Any:
    """A datetime as a query parameter, as the ORM would pass it to this database."""
    return connection.ops.adapt_datetimefield_value(value)


@overload
def aware(value: dt.datetime | str) -> dt.datetime: ...
@overload
def aware(value: None) -> None: ...
def aware(value: dt.datetime | str | None) -> dt.datetime | None:
    """A datetime column read by hand, as the ORM reads it: aware, in UTC (SQLite hands back naive UTC)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def day(value: dt.date | str | None) -> dt.date | None:
    """A date read by hand, as the ORM reads it (SQLite hands back text for a date a subquery selects)."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value)
