from django import template
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.permissions import is_leadership, role_scope
from core.dates import datetime_display_cached
from core.html import text as _v
from core.links import url_for_id

from .. import selectors
from ..models import GatheringKind, RegistrationStatus

register = template.Library()


@register.filter
def lookup(mapping, key):
    """`mapping|lookup:key` for dicts built by the view (never a query)."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def when(gathering) -> str:
    """`{{ g|when }}`: the gathering's start and end in Oslo time, «14. september 2018 kl. 10:00–16:00» (the end's
    day written out when it ends on another day); the moments are formatted once each (core.dates)."""
    start, end = timezone.localtime(gathering.starts_at), timezone.localtime(gathering.ends_at)
    tail = f"{end:%H:%M}" if start.date() == end.date() else datetime_display_cached(gathering.ends_at)
    return f"{datetime_display_cached(gathering.starts_at)}–{tail}"


# The long tables of the region's page, written in Python: node by node, the template engine spent more on a
# row than its query did. Same markup, escaped the same way.


@register.simple_tag
def gathering_rows(rows) -> SafeString:
    """The region's gatherings table: `rows` are (gathering, warnings) pairs."""
    detail = url_for_id("gatherings:detail")
    kinds = {code: _v(label) for code, label in GatheringKind.choices}
    cancelled = f' · <span class="badge text-bg-secondary">{_v(_("Avlyst"))}</span>'
    time_label, semester_label, registered_label = _v(_("Tid")), _v(_("Semester")), _v(_("Påmeldt"))
    out = []
    for g, warnings in rows:
        shown = (
            render_to_string("gatherings/partials/warnings.html", {"warnings": warnings}) if warnings else ""
        )
        places = f"{_v(g.attending_count)}{f' / {_v(g.capacity)}' if g.capacity else ''}"
        if g.waitlisted_count:
            n = g.waitlisted_count
            waiting = ngettext("%(n)s på venteliste", "%(n)s på venteliste", n) % {"n": _v(n)}
            places += f'<br><span class="small">{waiting}</span>'
        semester = g.semester.name if g.semester is not None else ""
        out.append(
            f'\n  <tr><th scope="row"><a href="{detail(g.pk)}">{_v(g.display_title)}</a><br>'
            f'<span class="small fw-normal">{kinds.get(g.kind, _v(g.kind))}{cancelled if g.is_cancelled else ""}</span>'
            f"\n    {shown}</th>"
            f'\n    <td data-label="{time_label}"><span class="text-nowrap-sm">{_v(when(g))}</span><br>'
            f'<span class="small">{_v(g.location_text)}</span></td>'
            f'\n    <td data-label="{semester_label}">{_v(semester or "–")}</td>'
            f'\n    <td data-label="{registered_label}">{places}</td></tr>\n  '
        )
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped


@register.simple_tag
def overview_rows(groups) -> SafeString:
    """Per municipality: registered, attended, hand-ins (late ones named); `groups` from group_overview."""
    out = []
    for group in groups:
        late = ""
        if group["late_count"]:
            n = group["late_count"]
            late = " (%s)" % (ngettext("%(n)s for sent", "%(n)s for sent", n) % {"n": _v(n)})
        out.append(
            f'<tr><th scope="row">{_v(group["name"])}</th><td>{_v(group["registered_count"])}</td>'
            f"<td>{_v(group['attended_count'])}</td><td>{_v(group['handed_in_count'])}{late}</td></tr>"
        )
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped


@register.simple_tag
def participant_rows(registrations, sectors: dict, with_needs: bool) -> SafeString:
    """The participant list's rows; `registrations` from selectors.registration_rows."""
    statuses = {code: _v(label) for code, label in RegistrationStatus.choices}
    out = []
    for r in registrations:
        needs = (
            f"<td>{_v(r['dietary_needs'])}</td><td>{_v(r['accessibility_needs'])}</td>" if with_needs else ""
        )
        out.append(
            f'<tr><th scope="row">{_v(r["name"])}</th><td>{_v(r["municipality_name"])}</td>'
            f'<td>{_v(sectors.get(r["sector"]) or "–")}</td><td class="wrap-words">{statuses.get(r["status"], _v(r["status"]))}</td>'
            f"{needs}</tr>\n  "
        )
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped


@register.simple_tag(takes_context=True)
def attendance_rows(context, gathering, registrations, side: int, is_open: bool) -> SafeString:
    """The attendance list: one button per person (a form each, so it works without JavaScript); before
    attendance opens, the names only."""
    mark = url_for_id("gatherings:attendance_mark", gathering.pk)
    csrf = f'<input type="hidden" name="csrfmiddlewaretoken" value="{conditional_escape(context.get("csrf_token"))}">'
    came, not_yet = _v(_("Møtt")), _v(_("Ikke registrert"))
    out = []
    for r in registrations:
        attended = r["attended"]
        if not is_open:
            # before the first day (or cancelled): the list, nothing to press
            out.append(
                f'\n  <li id="r{r["pk"]}" class="mb-2"><div class="border rounded px-3 py-2">'
                f"<strong>{_v(r['name'])}</strong>{' – ' + came if attended else ''}<br>"
                f'<span class="small">{_v(r["municipality_name"])}</span></div></li>\n'
            )
            continue
        out.append(
            f'\n  <li id="r{r["pk"]}" class="mb-2">'
            f'\n    <form method="post" action="{mark(r["pk"])}">{csrf}'
            f'\n      <input type="hidden" name="attended" value="{0 if attended else 1}">'
            f'\n      <input type="hidden" name="side" value="{_v(side)}">'
            f'\n      <button type="submit" class="btn w-100 text-start d-flex justify-content-between '
            f'align-items-center py-3 {"btn-success" if attended else "btn-outline-dark"}" '
            f'aria-pressed="{"true" if attended else "false"}">'
            f'\n        <span><strong>{_v(r["name"])}</strong><br><span class="small">{_v(r["municipality_name"])}</span></span>'
            f"\n        <span>{came if attended else not_yet}</span>"
            "\n      </button>\n    </form>\n  </li>\n"
        )
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped


@register.inclusion_tag("gatherings/partials/dashboard_panel.html", takes_context=True)
def gatherings_dashboard(context):
    """The dashboard panel: upcoming gatherings with their preparation; for leadership with counts."""
    user = context["request"].user
    leadership = is_leadership(user)
    upcoming = selectors.upcoming_gatherings_for(
        user, limit=5, counts=leadership
    )  # counts: leadership's only
    return {
        "upcoming": upcoming,
        "is_leadership": leadership,
        "request": context["request"],
        # Past gatherings' hand-ins are easy to lose sight of once only coming gatherings are listed.
        "coordinates": bool(role_scope(user).municipality_ids),
        "waiting": selectors.hand_ins_waiting_for(user),
    }


@register.filter
def clear_field(form, member):
    """The «clear the registered needs» checkbox of a member on the registration form, or None."""
    return form.clear_field(member)
