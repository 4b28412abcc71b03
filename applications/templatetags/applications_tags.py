from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from applications import selectors
from applications.models import ApplicationStatus
from core.links import url_for_id

register = template.Library()

# The labels and badges per language, written once: `get_FOO_display` rebuilds the choices (and translates every
# label) on each call, which was a fifth of the rendering of a list of a few hundred rows.
_STATUS_LABELS: dict[str | None, dict[str, str]] = {}
_STATUS_BADGES: dict[tuple[str | None, str], SafeString] = {}


@register.filter
def status_label(status: str) -> str:
    """An application's status in words, e.g. «sendt inn» (what `get_status_display` says)."""
    language = get_language()
    labels = _STATUS_LABELS.get(language)
    if labels is None:
        labels = _STATUS_LABELS[language] = {value: str(label) for value, label in ApplicationStatus.choices}
    return labels.get(status, status)


@register.filter
def status_badge(status: str) -> SafeString:
    """An application's status as a badge, e.g. «sendt inn»; `data-status` carries the code for tests and CSS."""
    key = (get_language(), status)
    badge = _STATUS_BADGES.get(key)
    if badge is None:
        badge = _STATUS_BADGES[key] = format_html(
            '<span class="badge text-bg-light border border-secondary" data-status="{}">{}</span>',
            status,
            status_label(status),
        )
    return badge


@register.simple_tag(takes_context=True)
def dashboard_applications(context, limit: int = 5):
    """The signed-in person's own municipalities' applications, newest first, for the dashboard panel."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return []
    now = timezone.now()
    applications = list(selectors.dashboard_applications(user=request.user)[:limit])
    detail_url, edit_url = url_for_id("applications:detail"), url_for_id("applications:edit")
    for a in applications:
        # The next step, as the person would say it.
        deadline = a.effective_deadline
        still_open = deadline is None or deadline >= now
        if a.is_decided:
            a.next_label = _("Se vedtaket")
            a.next_url = detail_url(a.pk) + "#decision-heading"
        elif a.status == ApplicationStatus.DRAFT and still_open:
            a.next_label = _("Fortsett utkastet")
            a.next_url = edit_url(a.pk)
        else:
            a.next_label = _("Se søknaden")
            a.next_url = detail_url(a.pk)
    return applications


@register.simple_tag(takes_context=True)
def dashboard_reviews_open(context) -> int:
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return 0
    return selectors.jury_reviews_for(user=request.user).filter(submitted_at__isnull=True).count()


@register.simple_tag(takes_context=True)
def dashboard_open_windows(context):
    """Open application windows where the person may still start an application: (region, municipalities)."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return []
    return selectors.dashboard_open_windows(user=request.user)
