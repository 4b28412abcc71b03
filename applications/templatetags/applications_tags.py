from django import template
from django.template.defaultfilters import truncatewords
from django.utils import formats, timezone
from django.utils.formats import get_format
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from applications import selectors
from applications.models import ApplicationStatus
from core.html import escaped, moments, number
from core.html import text as _v
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


# The application list's long parts, written in Python: node by node, the template engine spent more on them
# than the page's queries (tests/applications/test_list_markup.py holds them to the template they replaced).


@register.simple_tag
def application_rows(applications) -> SafeString:
    """The list's table rows: `applications` are the page's rows of selectors.application_list as values
    (selectors.LIST_VALUES)."""
    detail = url_for_id("applications:detail")
    moment = moments()
    edited = f' <span class="small">({_v(_("endret etter innsending"))})</span>'
    out = []
    for a in applications:
        priority = a["recommendation_priority"]
        out.append(
            f'\n    <tr>\n      <th scope="row"><a href="{detail(a["pk"])}">{escaped(a["municipality__name"])}</a></th>'
            f"\n      <td>{escaped(a['regional_program__name'])}</td>"
            f"\n      <td>{status_badge(a['status'])}{edited if a['edited_after_submit'] else ''}</td>"
            f"\n      <td>{moment(a['effective_deadline']) or '–'}</td>"
            f"\n      <td>{number(a['member_count'])}</td>"
            f"\n      <td>{number(priority) if priority else '–'}</td>"
            f"\n      <td>{moment(a['updated_at'])}</td>\n    </tr>\n  "
        )
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped


@register.simple_tag
def program_options(programs, chosen) -> SafeString:
    """The filter's regional programmes, «name (edition)», the chosen one selected (`programs`, `chosen`:
    selectors.ProgramChoice)."""
    chosen_pk = chosen.pk if chosen else None
    return mark_safe(  # noqa: S308 - every value is escaped
        "".join(
            f'<option value="{int(p.pk)}"{" selected" if p.pk == chosen_pk else ""}>'
            f"{escaped(p.name)} ({escaped(p.edition_name)})</option>"
            for p in programs
        )
    )


@register.simple_tag
def selection_program_items(programs) -> SafeString:
    """The `<li>` of each regional programme to select in (selectors.SelectionProgram): its link, edition, number
    of sent-in applications and deadline."""
    selection = url_for_id("applications:selection")
    moment = moments()
    deadline_word = _v(_("frist"))
    counts: dict[int, str] = {}  # the plural form of each number, looked up once
    out = []
    for rp in programs:
        n = rp.application_count
        count = counts.get(n)
        if count is None:
            count = counts[n] = ngettext("%(n)s innsendt søknad", "%(n)s innsendte søknader", n) % {
                "n": number(n)
            }
        deadline = f", {deadline_word} {moment(rp.application_deadline)}" if rp.application_deadline else ""
        out.append(
            f'\n    <li><a href="{selection(rp.pk)}">{escaped(rp.name)}</a> – {escaped(rp.edition_name)}: '
            f"{count}{deadline}</li>\n  "
        )
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped


@register.simple_tag
def started_links(applications) -> SafeString:
    """«<a>Kommune</a> (status), …»: the applications already started in an open window."""
    detail = url_for_id("applications:detail")
    return mark_safe(  # noqa: S308 - every value is escaped
        ", ".join(
            f'<a href="{detail(a.pk)}">{escaped(a.municipality.name)}</a> ({escaped(status_label(a.status))})'
            for a in applications
        )
    )


@register.simple_tag
def ranking_rows(rows, criteria) -> SafeString:
    """The ranking table's rows (selectors.RankedApplication, the programme's `criteria` as columns): counts as
    plain digits, the scores in the page's language (3,67)."""
    separator = conditional_escape(get_format("DECIMAL_SEPARATOR"))

    def figure(value) -> str:  # a Decimal's str is digits, a sign and a point: nothing to escape
        return "–" if value is None else str(value).replace(".", separator)

    detail, decide = url_for_id("applications:detail"), url_for_id("applications:decide")
    priority_label, decide_label = _v(_("Prioritet")), _v(_("Vedtak"))
    criterion_ids = [c.pk for c in criteria]
    out = []
    for row in rows:
        a = row.application
        name = escaped(a.municipality.name)
        means = row.criterion_means
        cells = "".join([f"<td>{figure(means.get(pk))}</td>" for pk in criterion_ids])
        conflicts = ""
        if row.conflict_count:
            n = row.conflict_count
            conflicts = (
                f' <span class="small">({ngettext("%(n)s inhabil", "%(n)s inhabile", n) % {"n": n}})</span>'
            )
        priority = f"{priority_label} {a.recommendation_priority}" if a.recommendation_priority else ""
        recommendation = (
            f'<span class="d-block small">{escaped(truncatewords(a.recommendation, 20))}</span>'
            if a.recommendation
            else ""
        )
        out.append(
            '\n    <tr data-testid="rank-row">'
            f"\n      <td>{row.rank or '–'}</td>"
            f'\n      <th scope="row"><a href="{detail(a.pk)}">{name}</a></th>'
            f"\n      <td>{figure(row.score)}</td>"
            f"\n      <td>{figure(row.spread)}</td>"
            f"\n      {cells}"
            f"\n      <td>{row.review_count} / {row.assigned_count}{conflicts}</td>"
            f"\n      <td>{priority}{recommendation}</td>"
            f"\n      <td>{status_badge(a.status)}</td>"
            f'\n      <td><a class="btn btn-sm btn-outline-primary" href="{decide(a.pk)}">{decide_label}'
            f'<span class="visually-hidden"> {name}</span></a></td>'
            "\n    </tr>\n  "
        )
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped
