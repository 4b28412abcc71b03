import re

from django import template
from django.template.defaultfilters import truncatechars
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.dates import datetime_display_cached
from core.html import text as _v
from core.links import url_for_id
from reminders.models import CancelReason, DeliveryState
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


# The rows of leadership's outbox list, written in Python: node by node, the template engine spent more on the
# 50 rows than the page's queries did. The same markup as the template wrote, escaped the same way (the test
# compares the two).


def _csrf_field(context) -> str:
    """What `{% csrf_token %}` writes."""
    token = context.get("csrf_token")
    if not token or token == "NOTPROVIDED":  # noqa: S105 - Django's marker for no token, no secret
        return ""
    return format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token)


@register.simple_tag(takes_context=True)
def delivery_rows(context, deliveries, tab: str, here: str) -> SafeString:
    """The rows of one tab of the outbox list; `deliveries` carry `is_paused`, `about`, `send_refusal` and
    `why_not_sent` as the view sets them."""
    csrf = _csrf_field(context)
    next_field = f'<input type="hidden" name="next" value="{_v(here)}">'
    cancel_url, restore_url = (
        url_for_id("reminders:delivery_cancel"),
        url_for_id("reminders:delivery_restore"),
    )
    resend_url = url_for_id("reminders:delivery_resend")
    labels = {code: _v(occasion_label(code)) for code in {d.occasion for d in deliveries}}
    states = {code: _v(label) for code, label in DeliveryState.choices}
    reasons = {code: _v(label) for code, label in CancelReason.choices}
    paused = f' <span class="badge text-bg-warning">{_v(_("På pause"))}</span>'
    what, to = _v(_("Hva")), _v(_("Til"))
    when_label, status_label, planned_label = _v(_("Når")), _v(_("Status")), _v(_("Planlagt"))
    wrong_label, sent_label = _v(_("Hva gikk galt")), _v(_("Sendt"))
    cancel_label, restore_label = _v(_("Avbryt")), _v(_("Gjenopprett"))
    technical = _v(_("Teknisk feilmelding"))
    cannot_now = _v(_("Kan ikke sendes nå."))
    moment = datetime_display_cached

    def resend(d, label: str, style: str) -> str:
        """What reminders/partials/delivery_resend.html wrote (with its closing newline)."""
        if d.send_refusal and d.state == DeliveryState.SENT:
            refusal = _("Sendes ikke på nytt: %(reason)s") % {"reason": _v(d.send_refusal)}
            return f'<span class="small text-body-secondary" data-testid="send-refusal">{refusal}</span>\n'
        if d.send_refusal:
            if d.send_refusal == d.why_not_sent:
                refusal = cannot_now
            else:
                refusal = _("Kan ikke sendes nå: %(reason)s") % {"reason": _v(d.send_refusal)}
            return f'<span class="small text-body-secondary" data-testid="send-refusal">{refusal}</span>\n'
        return (
            f'<form method="post" action="{resend_url(d.pk)}">{csrf}{next_field}'
            f'<button type="submit" class="btn btn-sm {style}">{label}<span class="visually-hidden"> '
            f"{_('til %(email)s') % {'email': _v(d.recipient_email)}}</span></button></form>\n"
        )

    def reason(d) -> str:
        if not d.why_not_sent:
            return ""
        return f'<br><span class="small" data-testid="delivery-reason">{_v(d.why_not_sent)}</span>'

    def tab_cells(d) -> str:
        if tab == "kommende":
            failed = ""
            if d.attempts:
                n = d.attempts
                failed = (
                    '<br><span class="small text-danger">'
                    f"{ngettext('%(n)s forsøk feilet', '%(n)s forsøk feilet', n) % {'n': _v(n)}}</span>"
                )
            return (
                f'\n      <td role="cell" data-label="{when_label}">{_v(moment(d.next_attempt_at))}{failed}</td>'
                f'\n      <td role="cell"><form method="post" action="{cancel_url(d.pk)}">{csrf}{next_field}'
                f'<button type="submit" class="btn btn-sm btn-outline-danger">{cancel_label}'
                f'<span class="visually-hidden"> {_("påminnelsen til %(email)s") % {"email": _v(d.recipient_email)}}'
                "</span></button></form></td>\n      "
            )
        if tab == "feilet":
            if d.state == DeliveryState.PLANNED:
                status = _("Prøves igjen %(when)s") % {"when": _v(moment(d.next_attempt_at))}
            else:
                status = states.get(d.state, _v(d.state))
            n = d.attempts
            attempts = ngettext("%(n)s forsøk", "%(n)s forsøk", n) % {"n": _v(n)}
            return (
                f'\n      <td role="cell" data-label="{status_label}">{status}<br><span class="small">{attempts}</span></td>'
                f'\n      <td role="cell" data-label="{wrong_label}">{_v(delivery_error_explained(d.last_error))}'
                f'<details><summary class="small">{technical}</summary>'
                f'<code class="text-break">{_v(truncatechars(d.last_error, 500))}</code></details></td>'
                f'\n      <td role="cell">{resend(d, _("Send på nytt"), "btn-outline-primary")}</td>\n      '
            )
        if tab == "sendt":
            return (
                f'\n      <td role="cell" data-label="{sent_label}">{_v(moment(d.sent_at))}</td>'
                f'\n      <td role="cell">{resend(d, _("Send på nytt"), "btn-outline-secondary")}</td>\n      '
            )
        state = states.get(d.state, _v(d.state))
        planned = f'\n      <td role="cell" data-label="{planned_label}">{_v(moment(d.planned_at))}</td>'
        if tab == "erstattet":
            return f'\n      <td role="cell" data-label="{status_label}">{state}{reason(d)}</td>{planned}\n      '
        if d.state == DeliveryState.CANCELLED:
            state = reasons.get(d.cancel_reason, _v(d.cancel_reason)) or state
        restore = ""
        if (
            d.state == DeliveryState.CANCELLED
            and d.cancel_reason == CancelReason.MANUAL
            and not d.send_refusal
        ):
            restore = (
                f'<form method="post" action="{restore_url(d.pk)}">{csrf}{next_field}'
                f'<button type="submit" class="btn btn-sm btn-outline-primary">{restore_label}'
                f'<span class="visually-hidden"> {_("påminnelsen til %(email)s") % {"email": _v(d.recipient_email)}}'
                "</span></button></form>"
            )
        return (
            f'\n      <td role="cell" data-label="{status_label}">{state}{reason(d)}</td>{planned}'
            f'\n      <td role="cell"><div class="d-flex flex-wrap gap-1">\n        {restore}'
            f"\n        {resend(d, _('Send nå'), 'btn-outline-secondary')}\n      </div></td>\n      "
        )

    out = []
    for d in deliveries:
        about = (
            f'<br><span class="small" data-testid="delivery-about">{_v(d.about)}</span>' if d.about else ""
        )
        program = (
            f'<br><span class="small text-body-secondary">{_v(d.program.name)}</span>' if d.program else ""
        )
        name = f"{_v(d.recipient_name)}<br>" if d.recipient_name else ""
        out.append(
            f'\n    <tr role="row">\n      <td role="cell" data-label="{what}">{labels[d.occasion]}'
            f"{paused if d.is_paused else ''}{about}{program}</td>"
            f'\n      <td role="cell" data-label="{to}">{name}<span class="small">{_v(d.recipient_email)}</span></td>'
            f"\n      {tab_cells(d)}\n    </tr>\n  "
        )
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped
