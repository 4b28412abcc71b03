"""Messages this app sends at once through `message_send`, declared for their names in the reminders list.

No reminders: an invitation, a new role, a password reset and a two-factor reset are each one e-mail when
they happen.
"""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from reminders.occasions import ImmediateOccasion, register


def _invitation_resend_refusal(delivery) -> str | None:
    """The mail holds a one-time link: sending it again only helps while the invitation still waits."""
    from .models import Invitation

    parts = delivery.key.split(":")
    invitation_id = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
    if invitation_id is not None and Invitation.objects.pending().filter(pk=invitation_id).exists():
        return None
    return gettext(
        "Invitasjonen er allerede tatt i bruk, trukket tilbake eller utløpt, så lenken i e-posten virker ikke. "
        "Send en ny invitasjon fra Personer."
    )


def _password_reset_resend_refusal(delivery) -> str | None:
    return gettext(
        "Lenker for nytt passord virker bare en kort stund. Be personen bruke «Glemt passord» på nytt."
    )


register(ImmediateOccasion("accounts.invitation", _("Invitasjon"), resend_refusal=_invitation_resend_refusal))
register(ImmediateOccasion("accounts.role_added", _("Melding om ny rolle")))
register(
    ImmediateOccasion(
        "accounts.password_reset", _("Lenke for nytt passord"), resend_refusal=_password_reset_resend_refusal
    )
)
register(ImmediateOccasion("accounts.two_factor_reset", _("Melding om nullstilt to-trinns innlogging")))
