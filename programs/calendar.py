"""Calendar entries (.ics) for dialogue meetings, built with the shared `core.ics`."""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.ics import ics_event, ics_single, ics_uid

from .models import DialogueMeeting


def dialogue_meeting_ics(meeting: DialogueMeeting) -> bytes:
    description = [meeting.topic]
    if meeting.video_link:
        description.append(_("Videolenke: %(url)s") % {"url": meeting.video_link})
    if meeting.participants:
        description.append(_("Deltakere: %(names)s") % {"names": meeting.participants})
    event = ics_event(
        uid=ics_uid("dialogmote", meeting.pk),
        start=meeting.starts_at,
        end=meeting.ends_at,
        summary=_("Dialogmøte: %(program)s – %(who)s")
        % {"program": meeting.program.name, "who": meeting.counterpart},
        description="\n\n".join(d for d in description if d),
        location=meeting.location or meeting.video_link,
        url=meeting.video_link,
    )
    return ics_single(event)
