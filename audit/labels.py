"""Readable Norwegian names for action codes. Codes not listed here are shown as they are."""

from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "accounts.invitation.created": _("Invitasjon sendt"),
    "accounts.invitation.resent": _("Invitasjon sendt på nytt"),
    "accounts.invitation.cancelled": _("Invitasjon trukket tilbake"),
    "accounts.invitation.accepted": _("Invitasjon tatt i bruk"),
    "accounts.role.added": _("Rolle lagt til"),
    "accounts.role.removed": _("Rolle fjernet"),
    "accounts.user.deactivated": _("Person deaktivert"),
    "accounts.user.reactivated": _("Person aktivert igjen"),
}

# Prefixes offered in the log filter; any other prefix can still be typed.
ACTION_PREFIXES = [
    ("accounts.", _("Personer og roller")),
    ("municipalities.", _("Fylkesavdelinger og kommuner")),
    ("programs.", _("Program og interessemeldinger")),
    ("applications.", _("Søknader og opptak")),
    ("gatherings.", _("Samlinger og mellomarbeid")),
    ("guidance.", _("Veiledning")),
    ("reminders.", _("Påminnelser")),
]


def action_label(code: str) -> str:
    return str(ACTION_LABELS.get(code, code))
