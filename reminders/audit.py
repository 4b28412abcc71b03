"""This app's action codes in the audit log (see `audit.registry`)."""

from django.utils.translation import gettext_lazy as _

from audit.registry import register

from .occasions import occasion_label

register(
    "reminders",
    area=_("Påminnelser"),
    actions={
        "reminders.delivery.cancelled": _("Påminnelse stoppet"),
        "reminders.delivery.resent": _("Påminnelse sendt på nytt"),
        "reminders.delivery.restored": _("Påminnelse gjenopprettet"),
        "reminders.occasion_setting.paused": _("Påminnelser satt på pause"),
        "reminders.occasion_setting.resumed": _("Påminnelser slått på igjen"),
        "reminders.occasion_setting.updated": _("Påminnelsesinnstillinger endret"),
    },
    keys={
        "fra_status": _("Status før"),
        "previous_state": _("Status før"),
        "occasion": _("Anledning"),
        "recipient": _("Mottaker"),
    },
    # An occasion code in the details is named by the occasion that owns it.
    values={"anledning": occasion_label, "occasion": occasion_label},
)
