import re

from django import template
from django.utils.translation import gettext as _

from reminders.occasions import occasion_label

register = template.Library()


register.filter("occasion_label", occasion_label)


def _smtp_code(error: str) -> int | None:
    match = re.search(r"\(([245]\d\d),", error) or re.search(r"\b([245]\d\d)\b", error)
    return int(match.group(1)) if match else None


@register.filter
def delivery_error_explained(error: str) -> str:
    """What went wrong, for a person: the raw error is kept beside it for whoever must dig further."""
    if not error:
        return ""
    code = _smtp_code(error)
    if "Recipients" in error or code in (550, 551, 553) or "5.1.1" in error:
        return _(
            "E-posttjeneren til mottakeren kjenner ikke adressen. Sjekk at adressen er riktig der den er "
            "registrert (personen, kommunen eller fylkesavdelingen), og send på nytt."
        )
    if code == 552:
        return _("Mottakerens e-postkasse er full, eller e-posten er for stor. Prøv igjen senere.")
    if code is not None and 400 <= code < 500:
        return _("E-posttjeneren ba oss prøve igjen senere. Det skjer automatisk.")
    if any(word in error for word in ("Connection", "refused", "timed out", "Disconnected", "OSError")):
        return _("Fikk ikke kontakt med e-posttjeneren. Vi prøver igjen automatisk med økende mellomrom.")
    if "tidspunktet var passert" in error:
        return _("Påminnelsen ble funnet etter at tidspunktet var passert, og ble ikke sendt.")
    return _("E-posten kunne ikke sendes. Se den tekniske feilmeldingen.")


@register.inclusion_tag("reminders/partials/dashboard_panel.html", takes_context=True)
def reminders_dashboard_panel(context):
    """The leadership panel on the dashboard: one query, only for leadership."""
    from reminders.permissions import can_manage_reminders
    from reminders.selectors import dashboard_counts

    user = context.get("user")
    if not can_manage_reminders(user):
        return {"show": False}
    return {"show": True, "counts": dashboard_counts(user)}
