"""Calendar entries (.ics) for dialogue meetings."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from .models import DialogueMeeting


def dialogue_meeting_ics(meeting: DialogueMeeting) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Norsk kulturskoleråd//Kulturskoleprogram//NO")
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    event = Event()
    host = settings.SITE_URL.split("//")[-1].strip("/") or "kulturskoleprogram"
    event.add("uid", f"dialogmote-{meeting.pk}@{host}")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.ends_at)
    event.add(
        "summary",
        _("Dialogmøte: %(program)s – %(who)s")
        % {"program": meeting.program.name, "who": meeting.counterpart},
    )
    location = meeting.location or meeting.video_link
    if location:
        event.add("location", location)
    description = [meeting.topic]
    if meeting.video_link:
        description.append(_("Videolenke: %(url)s") % {"url": meeting.video_link})
    if meeting.participants:
        description.append(_("Deltakere: %(names)s") % {"names": meeting.participants})
    event.add("description", "\n\n".join(d for d in description if d))
    if meeting.video_link:
        event.add("url", meeting.video_link)
    cal.add_component(event)
    return cal.to_ical()
