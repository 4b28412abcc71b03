"""The one way dates are written in Python code (messages, e-mails, exports, audit), in the active language:
«15. september 2027 kl. 23:59» and «15. september 2027» in bokmål. The formats live in config/formats/."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import lru_cache

from django.utils import formats, timezone, translation
from django.utils.translation import pgettext


def datetime_display(value: dt.datetime | None) -> str:
    """A moment in Oslo time, e.g. «15. september 2027 kl. 23:59»; "" for None."""
    if value is None:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.date_format(value, "DATETIME_FORMAT")


def date_display(value: dt.date | dt.datetime | None) -> str:
    """A calendar day, e.g. «15. september 2027»; "" for None."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.date_format(value, "DATE_FORMAT")


def date_range_display(first: dt.date, last: dt.date) -> str:
    """Calendar days from `first` to `last` as short as they read well: «16. desember 2026»,
    «16.–17. desember 2026», «30. november – 1. desember 2026», «31. desember 2026 – 1. januar 2027»."""
    if first == last:
        return date_display(first)
    if (first.year, first.month) == (last.year, last.month):
        start = formats.date_format(first, pgettext("first day of a range within one month", "j."))
        return f"{start}–{date_display(last)}"
    if first.year == last.year:
        start = formats.date_format(first, pgettext("first day of a range within one year", "j. F"))
        return f"{start} – {date_display(last)}"
    return f"{date_display(first)} – {date_display(last)}"


def span_display(start: dt.datetime, end: dt.datetime) -> str:
    """A stretch of time with its clock times, in Oslo time: «16. desember 2026 kl. 10:00–15:00», or over
    several days «16. desember 2026 kl. 10:00 – 17. desember 2026 kl. 15:00»."""
    start, end = timezone.localtime(start), timezone.localtime(end)
    if start.date() == end.date():
        return f"{datetime_display(start)}–{formats.date_format(end, 'H:i')}"
    return f"{datetime_display(start)} – {datetime_display(end)}"


def datetime_display_cached(value: dt.datetime | None) -> str:
    """`datetime_display`, remembered per moment, language and time zone: a long list repeats the same
    deadlines on every row and every visit, and formatting costs more than the rest of a row's cell."""
    if value is None:
        return ""
    return _datetime_display(value, translation.get_language(), timezone.get_current_timezone_name())


def datetime_displayer() -> Callable[[dt.datetime], str]:
    """`datetime_display_cached` for the many moments of one table: the language and time zone looked up once."""
    language, zone = translation.get_language(), timezone.get_current_timezone_name()
    return lambda value: _datetime_display(value, language, zone)


@lru_cache(maxsize=8192)
def _datetime_display(value: dt.datetime, _language: str | None, _zone: str) -> str:
    return datetime_display(value)
