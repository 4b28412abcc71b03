"""This app's action codes in the audit log (see `audit.registry`).

The internal note of a session is never in the details: an entry says that it was written or changed.
"""

from django.utils.translation import gettext_lazy as _

from audit.registry import Action, register

SESSION = "guidance.GuidanceSession"

register(
    "guidance",
    area=_("Veiledning"),
    actions={
        "guidance.agreement.created": _("Veiledningsavtale opprettet"),
        "guidance.agreement.updated": _("Veiledningsavtale endret"),
        "guidance.agreement.declined": _("Kommunen takket nei til veiledning"),
        "guidance.agreement.decline_undone": _("Avslag på veiledning fjernet"),
        "guidance.session.created": Action(_("Veiledningsmøte ført"), model=SESSION),
        "guidance.session.updated": Action(_("Veiledningsmøte endret"), model=SESSION),
        "guidance.session.deleted": Action(_("Veiledningsmøte slettet"), model=SESSION),
        "guidance.plan.revised": _("Utviklingsplan revidert"),
        "guidance.plan.commented": _("Kommentar til utviklingsplanen"),
        "guidance.calendar_feed.created": _("Kalenderadresse for veiledningsmøter laget"),
        "guidance.calendar_feed.renewed": _("Kalenderadresse for veiledningsmøter fornyet"),
        "guidance.calendar_feed.revoked": _("Kalenderadresse for veiledningsmøter slettet"),
    },
    keys={
        "advisors": _("Veiledere"),
        "themes": _("Tema"),
        "internal_note_written": _("Internt notat skrevet"),
        "internal_note_changed": _("Internt notat endret"),
        "participants_changed": _("Deltakere endret"),
        "over_frame": _("Over rammen"),
        "next_session_kept": _("Neste møte beholdt"),
        "next_session_cancelled": _("Avtalt neste møte avlyst"),
        "number": _("Versjon"),
        "change_note": _("Hva er endret"),
        "summary": _("Oppsummering"),
        "held_on": _("Dato"),
        "duration_minutes": _("Varighet (minutter)"),
        "agreed_hours": _("Avtalte timer"),
        "starts_on": _("Gjelder fra"),
        "ends_on": _("Gjelder til"),
        "declined_on": _("Kommunen takket nei"),
        "declined_note": _("Merknad til avslaget"),
    },
)
