"""Messages this app sends at once through `message_send`, declared for their names in the reminders list.

No reminders: an invitation, a new role and a password reset are each one e-mail when they happen.
"""

from django.utils.translation import gettext_lazy as _

from reminders.occasions import ImmediateOccasion, register

register(ImmediateOccasion("accounts.invitation", _("Invitasjon")))
register(ImmediateOccasion("accounts.role_added", _("Melding om ny rolle")))
register(ImmediateOccasion("accounts.password_reset", _("Lenke for nytt passord")))
