"""The one way dates are written in Python code (messages, e-mails, exports, audit), in the active language:
«15. september 2027 kl. 23:59» and «15. september 2027» in bokmål. The formats live in config/formats/."""

from __future__ import annotations

import datetime as dt

from django.utils import formats, timezone


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
