"""Writing HTML in Python for the long tables (see the gatherings, guidance and report pages): the template
engine spends more on a row, node by node, than its query costs. What is written here must be the same markup
as the template would give, escaped the same way."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from html import escape

from django.conf import settings
from django.utils import dateformat, formats, timezone
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString

from core.dates import datetime_displayer


def text(value) -> str:
    """As `{{ value }}` writes it: localized, and escaped unless already safe."""
    if type(value) is int and not settings.USE_THOUSAND_SEPARATOR:
        return str(value)  # what localize gives, without looking up the language's number format
    return conditional_escape(formats.localize(value))


def escaped(value) -> str:
    """As `{{ value }}` with autoescape: already-safe text as it is, anything else escaped."""
    if isinstance(value, SafeString):
        return value
    return escape(str(value))


def number(value) -> str:
    """A figure as `{{ value }}` writes it: whole numbers as they are, decimals in the language's format."""
    if isinstance(value, int) and not isinstance(value, bool) and not settings.USE_THOUSAND_SEPARATOR:
        return str(value)
    if isinstance(value, int | Decimal | float):
        return escaped(formats.localize(value))
    return escaped(value)


def figures():
    """`number` for many values with few distinct ones: each formatted once (a Decimal by its digits, since 1.0
    and 1.00 are written differently)."""
    plain_ints = not settings.USE_THOUSAND_SEPARATOR
    memo: dict[tuple[type, str], str] = {}

    def figure(value) -> str:
        if plain_ints and value.__class__ is int:
            return str(value)
        key = (value.__class__, str(value))
        text = memo.get(key)
        if text is None:
            text = memo[key] = number(value)
        return text

    return figure


def days(day_format: str = "DATE_FORMAT"):
    """`|date` (or `|date:` another format of the day alone, as the log's) for many values with few distinct
    days: each day formatted once (a datetime by its local day)."""
    memo: dict[dt.date, str] = {}
    zone = timezone.get_current_timezone()
    day_format = formats.get_format(day_format)  # a format's own letters come back as they are

    def day(value) -> str:
        key = value.astimezone(zone).date() if isinstance(value, dt.datetime) else value
        text = memo.get(key)
        if text is None:
            text = memo[key] = escaped(dateformat.format(key, day_format))
        return text

    return day


def moments():
    """`|moment` (core.dates) for many values: the language and time zone looked up once, each distinct moment
    formatted and escaped once; "" for None."""
    memo: dict[dt.datetime, str] = {}
    display = datetime_displayer()

    def moment(value) -> str:
        if not value:
            return ""
        text = memo.get(value)
        if text is None:
            text = memo[value] = escaped(display(value))
        return text

    return moment
