"""Calendar entries for gatherings, built with core.ics: one UID per gathering for ever, SEQUENCE from the
gathering (raised on every change), STATUS:CANCELLED when it is cancelled. A cancelled gathering's own file
(the cancellation mail's attachment, the «Fjern fra kalenderen» download) is an iTIP METHOD:CANCEL, so the
calendar the invitation went into removes it; the feeds stay METHOD:PUBLISH with the event marked CANCELLED."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse
from django.utils.translation import gettext as _

from core.ics import ics_bytes, ics_calendar, ics_cancellation, ics_event, ics_host
from reminders.occasions import site_link
from reminders.outbox import Attachment

from .models import Gathering


def gathering_uid(gathering: Gathering) -> str:
    return f"samling-{gathering.uid}@{ics_host()}"


def gathering_event(gathering: Gathering):
    description = []
    if gathering.theme:
        description.append(_("Tema: %(theme)s") % {"theme": gathering.theme})
    if gathering.is_cancelled and gathering.cancel_reason:
        description.append(_("Avlyst: %(reason)s") % {"reason": gathering.cancel_reason})
    if gathering.video_link:
        description.append(_("Videolenke: %(url)s") % {"url": gathering.video_link})
    if gathering.preparation:
        description.append(_("Forberedelser:") + "\n" + gathering.preparation)
    summary = gathering.display_title
    if gathering.is_cancelled:
        summary = _("AVLYST: %(title)s") % {"title": summary}
    return ics_event(
        uid=gathering_uid(gathering),
        sequence=gathering.sequence,
        start=gathering.starts_at,
        end=gathering.ends_at,
        summary=summary,
        description="\n\n".join(description),
        location=", ".join(p for p in (gathering.venue, gathering.address) if p) or gathering.video_link,
        url=site_link(reverse("gatherings:detail", args=[gathering.pk])),
        status="CANCELLED" if gathering.is_cancelled else "CONFIRMED",
        last_modified=gathering.updated_at,
    )


def gatherings_ics(
    gatherings: Iterable[Gathering], *, name: str | None = None, method: str = "PUBLISH"
) -> bytes:
    cal = ics_calendar(method=method, name=name)
    for gathering in gatherings:
        cal.add_component(gathering_event(gathering))
    return ics_bytes(cal)


def gathering_ics(gathering: Gathering) -> bytes:
    if gathering.is_cancelled:
        # the organiser is the address the gathering's mails come from (the invitation's sender)
        return ics_cancellation(gathering_event(gathering))
    return gatherings_ics([gathering])


def gathering_attachment(gathering: Gathering) -> Attachment:
    return Attachment.calendar(
        "samling.ics", gathering_ics(gathering), method="CANCEL" if gathering.is_cancelled else None
    )
