"""Messages this app sends at once through `message_send`, declared for their names in the reminders list.

No reminders: an invitation, a new role, a password reset, a two-factor reset and the security notice when a
person turns two-factor off or replaces the app are each one e-mail when they happen.
"""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from reminders.occasions import ImmediateOccasion, register


def _invitation_id(delivery) -> int | None:
    parts = delivery.key.split(":")
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None


def _invitation_resend_refusals(deliveries) -> dict[int, str]:
    """The mail holds a one-time link: sending it again only helps while the invitation still waits. One query
    for a batch (leadership's list asks for a page at once)."""
    from .models import Invitation

    ids = {pk for d in deliveries if (pk := _invitation_id(d)) is not None}
    pending = (
        set(Invitation.objects.pending().filter(pk__in=ids).values_list("pk", flat=True)) if ids else set()
    )
    refusal = gettext(
        "Invitasjonen er allerede tatt i bruk, trukket tilbake eller utløpt, så lenken i e-posten virker ikke. "
        "Send en ny invitasjon fra Personer."
    )
    return {d.pk: refusal for d in deliveries if _invitation_id(d) not in pending}


def _password_reset_resend_refusal(delivery) -> str | None:
    return gettext(
        "Lenker for nytt passord virker bare en kort stund. Be personen bruke «Glemt passordet?» på nytt."
    )


register(
    ImmediateOccasion("accounts.invitation", _("Invitasjon"), resend_refusals=_invitation_resend_refusals)
)
register(ImmediateOccasion("accounts.role_added", _("Melding om ny rolle")))
register(
    ImmediateOccasion(
        "accounts.password_reset", _("Lenke for nytt passord"), resend_refusal=_password_reset_resend_refusal
    )
)
register(ImmediateOccasion("accounts.two_factor_reset", _("Melding om nullstilt to-trinns innlogging")))
register(ImmediateOccasion("accounts.two_factor_changed", _("Sikkerhetsvarsel om to-trinns innlogging")))
