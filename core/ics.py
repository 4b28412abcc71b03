"""The one calendar-file (.ics) builder. Times are written as local Europe/Oslo times with their
VTIMEZONE, which calendar clients need to show a meeting at the right hour across daylight saving.

Stable UIDs and a SEQUENCE raised on every change are the caller's job (they live on the object);
in a subscription feed (METHOD:PUBLISH) a cancelled event keeps its UID and is marked STATUS:CANCELLED. A file
sent by e-mail to take an event out of people's calendars is an iTIP cancellation instead (`ics_cancellation`):
Outlook and Apple Calendar remove an event from a mail attachment only for METHOD:CANCEL.
"""

from __future__ import annotations

import datetime as dt
from email.utils import parseaddr
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress

OSLO = ZoneInfo("Europe/Oslo")
PRODID = "-//Norsk kulturskoleråd//Kulturskoleprogram//NO"


def ics_host() -> str:
    """The host part of UIDs: stable per installation."""
    return settings.SITE_URL.split("//")[-1].strip("/") or "kulturskoleprogram"


def ics_uid(kind: str, pk: int) -> str:
    return f"{kind}-{pk}@{ics_host()}"


def ics_calendar(*, method: str = "PUBLISH", name: str | None = None) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    if name:
        cal.add("x-wr-calname", name)
        cal.add("x-wr-timezone", "Europe/Oslo")
    return cal


def ics_event(
    *,
    uid: str,
    start: dt.datetime,
    end: dt.datetime,
    summary: str,
    sequence: int = 0,
    description: str = "",
    location: str = "",
    url: str = "",
    status: str = "CONFIRMED",
    last_modified: dt.datetime | None = None,
) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", timezone.now().astimezone(dt.UTC))
    event.add("sequence", sequence)
    event.add("dtstart", start.astimezone(OSLO))
    event.add("dtend", end.astimezone(OSLO))
    event.add("summary", summary)
    event.add("status", status)
    if description:
        event.add("description", description)
    if location:
        event.add("location", location)
    if url:
        event.add("url", url)
    if last_modified is not None:
        event.add("last-modified", last_modified.astimezone(dt.UTC))
    return event


def ics_organizer(address: str | None = None) -> vCalAddress:
    """The ORGANIZER an iTIP message needs: the address the mail comes from (DEFAULT_FROM_EMAIL), with its name."""
    name, email = parseaddr(address or settings.DEFAULT_FROM_EMAIL)
    organizer = vCalAddress(f"mailto:{email}")
    if name:
        organizer.params["cn"] = name
    return organizer


def ics_cancellation(event: Event, *, organizer: str | None = None) -> bytes:
    """An iTIP cancellation (RFC 5546, 3.2.5) of an event sent before: METHOD:CANCEL, the same UID, a SEQUENCE
    above the one sent before (the caller's), STATUS:CANCELLED and an ORGANIZER. Mail it with the Content-Type
    `text/calendar; method=CANCEL` (`reminders.outbox.Attachment.calendar(..., method="CANCEL")`)."""
    event.pop("status", None)
    event.add("status", "CANCELLED")
    if "organizer" not in event:
        event.add("organizer", ics_organizer(organizer))
    return ics_single(event, method="CANCEL")


def ics_bytes(cal: Calendar) -> bytes:
    """Serialise, adding the VTIMEZONE of every zone the events use (Europe/Oslo)."""
    cal.add_missing_timezones()
    return cal.to_ical()


def ics_single(event: Event, *, method: str = "PUBLISH") -> bytes:
    """One event as a whole calendar file (an attachment or a download)."""
    cal = ics_calendar(method=method)
    cal.add_component(event)
    return ics_bytes(cal)
