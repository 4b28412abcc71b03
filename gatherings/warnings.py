"""Warnings leadership sees while scheduling. They never block: leadership may have good reasons.

School breaks: the week numbers below are the usual autumn break (høstferie) and winter break (vinterferie)
of the pupils in each county (2024 county numbers), taken from the counties' and their largest
municipalities' published school calendars (skoleruta). Municipalities may differ by a week; the warning
says "usually" for that reason. Update the table when a county changes its calendar.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.dates import date_display, date_range_display

OSLO = ZoneInfo("Europe/Oslo")
PREPARATION_WARNING_DAYS = 14

# county number: (autumn break ISO week, winter break ISO week)
SCHOOL_BREAK_WEEKS: dict[str, tuple[int, int]] = {
    "03": (40, 8),  # Oslo
    "11": (41, 9),  # Rogaland
    "15": (40, 9),  # Møre og Romsdal
    "18": (40, 10),  # Nordland
    "31": (40, 8),  # Østfold
    "32": (40, 8),  # Akershus
    "33": (40, 8),  # Buskerud
    "34": (40, 9),  # Innlandet
    "39": (40, 8),  # Vestfold
    "40": (40, 8),  # Telemark
    "42": (40, 8),  # Agder
    "46": (41, 9),  # Vestland
    "50": (40, 9),  # Trøndelag
    "55": (40, 10),  # Troms
    "56": (40, 10),  # Finnmark
}


@lru_cache(maxsize=32)
def _norwegian_holidays(year: int) -> holidays.HolidayBase:
    return holidays.Norway(years=year, language="no")


def oslo_days(start: dt.datetime, end: dt.datetime) -> list[dt.date]:
    first = timezone.localtime(start, OSLO).date()
    # an end at midnight belongs to the day before
    last = (timezone.localtime(end, OSLO) - dt.timedelta(seconds=1)).date()
    days = []
    day = first
    while day <= max(first, last):
        days.append(day)
        day += dt.timedelta(days=1)
    return days


def public_holidays_on(days: Iterable[dt.date]) -> list[tuple[dt.date, str]]:
    found = []
    for day in days:
        name = _norwegian_holidays(day.year).get(day)
        if name:
            found.append((day, name))
    return found


def school_break_on(days: Iterable[dt.date], county_number: str | None) -> tuple[dt.date, str] | None:
    weeks = SCHOOL_BREAK_WEEKS.get(county_number or "")
    if weeks is None:
        return None
    autumn, winter = weeks
    for day in days:
        week = day.isocalendar().week
        if week == autumn and day.month in (9, 10, 11):
            return day, _("høstferien")
        if week == winter and day.month in (1, 2, 3):
            return day, _("vinterferien")
    return None


@dataclass(frozen=True)
class ScheduleWarning:
    code: str
    text: str


def _date(day: dt.date) -> str:
    return date_display(day)


def gathering_warnings(
    gathering, *, siblings: Sequence, now: dt.datetime | None = None, past: bool = False
) -> list[ScheduleWarning]:
    """What leadership should look at before this gathering goes ahead.

    `siblings` are the other gatherings of the same regional programme (loaded once for a whole page), so a
    page with many gatherings asks nothing per gathering. The host municipality's county must be loaded.
    `past`: say so if the gathering has started (the edit page: a change there is to the record). Once it has
    started there is nothing left to look at before it, so no other warning is given.
    """
    now = now or timezone.now()
    result: list[ScheduleWarning] = []
    if gathering.is_cancelled:
        return result
    if gathering.starts_at <= now:
        if past:
            result.append(
                ScheduleWarning(
                    "past",
                    _(
                        "Samlingen startet %(date)s, og den tiden har vært. Endringer her retter det som er "
                        "registrert."
                    )
                    % {"date": _date(timezone.localtime(gathering.starts_at, OSLO).date())},
                )
            )
        return result
    days = oslo_days(gathering.starts_at, gathering.ends_at)
    for day, name in public_holidays_on(days):
        result.append(
            ScheduleWarning(
                "holiday",
                _("%(date)s er en offentlig helligdag (%(name)s).") % {"date": _date(day), "name": name},
            )
        )
    host = gathering.host_municipality
    if host is not None:
        found = school_break_on(days, host.county.number)
        if found:
            result.append(
                ScheduleWarning(
                    "school_break",
                    _("%(date)s er vanligvis i %(break)s i %(county)s (skoleruta).")
                    % {"date": _date(found[0]), "break": found[1], "county": host.county.name},
                )
            )
    others = [g for g in siblings if g.pk != gathering.pk and not g.is_cancelled]
    for other in others:
        if other.starts_at < gathering.ends_at and gathering.starts_at < other.ends_at:
            result.append(
                ScheduleWarning(
                    "overlap",
                    _("Overlapper med «%(title)s» i samme region.") % {"title": other.display_title},
                )
            )
    if gathering.kind == "gathering" and gathering.number:
        for other in others:
            if other.kind == "gathering" and other.number == gathering.number:
                result.append(
                    ScheduleWarning(
                        "duplicate_number",
                        _("Samling nr. %(number)s finnes allerede i dette regionale programmet: «%(title)s».")
                        % {"number": gathering.number, "title": other.display_title},
                    )
                )
    if gathering.semester_id and gathering.kind == "gathering":
        in_semester = [
            g
            for g in [gathering, *others]
            if g.semester_id == gathering.semester_id and g.kind == "gathering"
        ]
        if len(in_semester) > 2:
            result.append(ScheduleWarning("semester_balance", _semester_count_text(len(in_semester))))
    semester = gathering.semester
    if semester is None and not gathering.is_pre_gathering:
        # the save puts a gathering in the semester that covers its date (scheduling._fit_semester): none did
        result.append(
            ScheduleWarning(
                "outside_semester",
                _(
                    "Samlingen starter %(date)s og ligger ikke i noe semester. Legg inn et semester som dekker "
                    "datoen, eller velg et."
                )
                % {"date": _date(timezone.localtime(gathering.starts_at, OSLO).date())},
            )
        )
    if semester is not None:
        day = timezone.localtime(gathering.starts_at, OSLO).date()
        if not semester.starts_on <= day <= semester.ends_on:
            result.append(
                ScheduleWarning(
                    "outside_semester",
                    _(
                        "Samlingen starter %(date)s, utenfor semesteret %(semester)s (%(period)s). "
                        "Velg riktig semester, eller legg inn et semester som dekker datoen."
                    )
                    % {
                        "date": _date(day),
                        "semester": semester.name,
                        "period": date_range_display(semester.starts_on, semester.ends_on),
                    },
                )
            )
    if (
        not gathering.preparation.strip()
        and gathering.starts_at > now
        and gathering.starts_at - now <= dt.timedelta(days=PREPARATION_WARNING_DAYS)
    ):
        result.append(
            ScheduleWarning("preparation_empty", _("Forberedelsene er tomme, og det er under to uker igjen."))
        )
    if gathering.registration_deadline and gathering.registration_deadline > gathering.starts_at:
        result.append(
            ScheduleWarning("deadline_after_start", _("Påmeldingsfristen er etter at samlingen starter."))
        )
    return result


def semester_warnings(semesters: Sequence, gatherings: Sequence) -> dict[int, str]:
    """Semesters that do not have two gatherings (pre-gatherings and meetings do not count)."""
    counts: dict[int, int] = {s.pk: 0 for s in semesters}
    for g in gatherings:
        if g.semester_id in counts and g.kind == "gathering" and not g.is_cancelled:
            counts[g.semester_id] += 1
    return {pk: _semester_count_text(n) for pk, n in counts.items() if n != 2}


def _semester_count_text(count: int) -> str:
    return ngettext(
        "Semesteret har %(count)d samling; normalt er det to.",
        "Semesteret har %(count)d samlinger; normalt er det to.",
        count,
    ) % {"count": count}
