"""Calendar entries (.ics) for planned guidance sessions, built with the shared `core.ics`.

The feed holds what the municipality may see too (municipality, programme, next steps): never the
internal note, since calendar apps sync to many devices.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _

from core.ics import ics_bytes, ics_calendar, ics_event, ics_uid
from reminders.occasions import site_link

from .models import GuidanceSession

PLANNED_MINUTES = 60


def planned_session_event(session: GuidanceSession):
    """The meeting planned at the end of `session`; its UID follows the planning entry."""
    agreement = session.agreement
    start = session.next_session_at
    description = [
        _("Veiledning (prosess-støtte) – %(program)s") % {"program": agreement.regional_program.name}
    ]
    if session.next_steps:
        description.append(_("Avtalte neste steg:") + "\n" + session.next_steps)
    return ics_event(
        uid=ics_uid("veiledning-neste", session.pk),
        # The entry's last change, in seconds, only grows: calendar clients take the newest version.
        sequence=int(session.updated_at.timestamp()) % 2_000_000_000,
        start=start,
        end=start + dt.timedelta(minutes=PLANNED_MINUTES),
        summary=_("Veiledningsmøte: %(municipality)s") % {"municipality": agreement.municipality.name},
        description="\n\n".join(description),
        url=site_link(reverse("guidance:agreement_detail", args=[agreement.pk])),
        last_modified=session.updated_at,
    )


def planned_session_ics(session: GuidanceSession) -> bytes:
    cal = ics_calendar(method="PUBLISH")
    cal.add_component(planned_session_event(session))
    return ics_bytes(cal)
