"""Deadlines in Europe/Oslo. A deadline "kl. 23:59" includes the whole minute, so it closes at 00:00:00."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

OSLO = ZoneInfo("Europe/Oslo")
DEFAULT_DEADLINE_TIME = dt.time(23, 59)


def deadline_from_date(day: dt.date, at: dt.time = DEFAULT_DEADLINE_TIME) -> dt.datetime:
    """The aware deadline for a calendar day in Oslo (23:59 by default), right on either side of a DST change."""
    return dt.datetime.combine(day, at, tzinfo=OSLO)


def deadline_closes_at(deadline: dt.datetime) -> dt.datetime:
    """The first instant after the deadline: the start of the minute after the one named."""
    return deadline.replace(second=0, microsecond=0) + dt.timedelta(minutes=1)


def deadline_is_open(deadline: dt.datetime, now: dt.datetime | None = None) -> bool:
    return (now or timezone.now()) < deadline_closes_at(deadline)


def time_left(deadline: dt.datetime, now: dt.datetime | None = None) -> dt.timedelta:
    return max(deadline_closes_at(deadline) - (now or timezone.now()), dt.timedelta(0))
