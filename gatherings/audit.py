"""This app's action codes in the audit log (see `audit.registry`)."""

from django.utils.translation import gettext_lazy as _

from audit.registry import Action, register

GATHERING = "gatherings.Gathering"

register(
    "gatherings",
    area=_("Samlinger og mellomarbeid"),
    actions={
        "gatherings.semester.created": _("Semester opprettet"),
        "gatherings.semester.updated": _("Semester endret"),
        "gatherings.gathering.scheduled": _("Samling lagt inn"),
        "gatherings.gathering.updated": _("Samling endret"),
        "gatherings.gathering.rescheduled": _("Samling flyttet (tid eller sted)"),
        "gatherings.gathering.cancelled": _("Samling avlyst"),
        "gatherings.file.added": _("Fil lagt til forberedelsene"),
        "gatherings.file.removed": _("Fil fjernet fra forberedelsene"),
        "gatherings.registration.saved": _("Påmelding til samling lagret"),
        "gatherings.registration.added": Action(_("Påmeldt til presamling"), model="gatherings.Registration"),
        "gatherings.registration.withdrawn": _("Meldt av samling"),
        "gatherings.registration.promoted": _("Fikk plass fra ventelisten"),
        "gatherings.attendance.marked": _("Oppmøte registrert"),
        "gatherings.needs.erased": _("Allergier og behov slettet etter samlingen"),
        "gatherings.hand_in.draft_saved": _("Utkast til mellomarbeid lagret"),
        "gatherings.hand_in.submitted": _("Mellomarbeid levert"),
        "gatherings.hand_in.updated": _("Levert mellomarbeid endret"),
        "gatherings.hand_in.file_added": _("Vedlegg til mellomarbeid lagt til"),
        "gatherings.hand_in.file_removed": _("Vedlegg til mellomarbeid fjernet"),
        "gatherings.calendar_feed.created": _("Kalenderadresse laget"),
        "gatherings.calendar_feed.revoked": _("Kalenderadresse trukket tilbake"),
        "gatherings.calendar_feed.renewed": _("Ny kalenderadresse laget"),
    },
    keys={
        "municipality": _("Kommune"),
        "attending": _("Påmeldt"),
        "waitlisted": _("På venteliste"),
        "not_attending": _("Kommer ikke"),
        "attended": _("Møtte"),
        "reason": _("Begrunnelse"),
        "count": _("Antall"),
        "weeks": _("Uker etter samlingen"),
        "file": _("Fil"),
        "shared": _("Delt med regionen"),
        "late": _("Levert etter fristen"),
    },
)
