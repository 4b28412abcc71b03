"""The one way dates are written in Python code (messages, e-mails, exports, audit), in the active language:
«15. september 2027 kl. 23:59» and «15. september 2027» in bokmål. The formats live in config/formats/."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from django.utils import formats, timezone, translation


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


def datetime_display_cached(value: dt.datetime | None) -> str:
    """`datetime_display`, remembered per moment, language and time zone: a long list repeats the same
    deadlines on every row and every visit, and formatting costs more than the rest of a row's cell."""
    if value is None:
        return ""
    return _datetime_display(value, translation.get_language(), timezone.get_current_timezone_name())


@lru_cache(maxsize=8192)
def _datetime_display(value: dt.datetime, _language: str | None, _zone: str) -> str:
    return datetime_display(value)
