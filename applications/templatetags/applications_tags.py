from django import template
from django.utils import formats, timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from applications import selectors
from applications.models import ApplicationStatus
from core.links import url_for_id
from core.templatetags.core_tags import id_url, row_url

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
    applications = selectors.dashboard_applications(user=request.user, limit=limit)
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


@register.simple_tag
def selection_group_items(groups: list[tuple[int, str, str, int]]) -> SafeString:
    """The `<li>` of each municipal group on the selection overview, as the template loop wrote them:
    `<li><a href="…">Kommune</a>: 3 medlemmer, koordinator Navn</li>` (a plural and a link per row cost more
    in the template than the rest of the page)."""
    coordinator = conditional_escape(_("koordinator"))
    items = []
    for pk, municipality, coordinator_name, member_count in groups:
        members = ngettext("%(n)s medlem", "%(n)s medlemmer", member_count) % {
            "n": conditional_escape(formats.localize(member_count))
        }
        tail = f", {coordinator} {conditional_escape(coordinator_name)}" if coordinator_name else ""
        items.append(
            f'<li><a href="{conditional_escape(id_url(pk, "applications:group"))}">{conditional_escape(municipality)}</a>: {members}{tail}</li>'
        )
    return mark_safe("".join(items))  # noqa: S308 - every value above is escaped


@register.simple_tag(takes_context=True)
def selection_jury_rows(context, rp_id: int, jury: list[selectors.JuryRow]) -> SafeString:
    """The jury table's rows on the selection overview (`selectors.jury_rows_of`), as the template loop wrote
    them: the member, their counts, and the assign link and remove form of each."""
    csrf_value = context.get("csrf_token")
    csrf = (
        format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', csrf_value)
        if csrf_value and csrf_value != "NOTPROVIDED"  # as {% csrf_token %}
        else ""
    )
    invited = f", {conditional_escape(_('invitert, har ikke svart ennå'))}"
    assign, remove = conditional_escape(_("Tildel søknader")), conditional_escape(_("Fjern"))
    rows = []
    for m in jury:
        name = conditional_escape(m.display_name)
        rows.append(
            f'<tr><th scope="row">{name} <span class="small">({conditional_escape(m.email)}'
            f"{'' if m.user_id else invited})</span></th><td>{m.assigned}</td><td>{m.submitted}</td>"
            f'<td>{m.conflicts}</td><td class="d-flex gap-2">\n'
            f'      <a class="btn btn-sm btn-outline-primary" '
            f'href="{conditional_escape(row_url("applications:jury_assign", rp_id, m.pk))}">{assign}'
            f'<span class="visually-hidden"> {name}</span></a>\n'
            f'      <form method="post" action="{conditional_escape(row_url("applications:jury_remove", rp_id, m.pk))}">'
            f'{csrf}<button class="btn btn-sm btn-outline-danger" type="submit">{remove}'
            f'<span class="visually-hidden"> {name}</span></button></form>\n    </td></tr>'
        )
    return mark_safe("".join(rows))  # noqa: S308 - every value above is escaped
