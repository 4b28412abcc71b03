"""Formatting of invitation texts and countdowns, and this app's dashboard panels."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.html import escaped
from core.html import text as _v
from core.links import url_for_id

from .. import selectors
from ..permissions import can_manage_programs, can_register_interest, can_see_programs

register = template.Library()


def _flush(html: list[str], paragraph: list[str], bullets: list[str]) -> None:
    if paragraph:
        html.append("<p>" + "<br>".join(paragraph) + "</p>")
        paragraph.clear()
    if bullets:
        html.append("<ul>" + "".join(f"<li>{b}</li>" for b in bullets) + "</ul>")
        bullets.clear()


@register.filter
def invitation_format(text: str) -> str:
    """A small, safe formatting: blank line = paragraph, "- " = bullet, "## " = sub-heading (h2)."""
    html: list[str] = []
    paragraph: list[str] = []
    bullets: list[str] = []
    for raw in (text or "").replace("\r\n", "\n").split("\n"):
        line = raw.strip()
        if not line:
            _flush(html, paragraph, bullets)
        elif line.startswith("## "):
            _flush(html, paragraph, bullets)
            html.append(f'<h2 class="h4 mt-4">{escape(line[3:].strip())}</h2>')
        elif line.startswith(("- ", "• ")):
            if paragraph:
                _flush(html, paragraph, bullets)
            bullets.append(escape(line[2:].strip()))
        else:
            if bullets:
                _flush(html, paragraph, bullets)
            paragraph.append(escape(line))
    _flush(html, paragraph, bullets)
    return mark_safe("\n".join(html))  # noqa: S308 - every piece of user text above is escaped


@register.filter
def time_left_text(delta: dt.timedelta | None) -> str:
    """«12 dager og 3 timer igjen», «45 minutter igjen», «fristen er ute»."""
    if delta is None or delta <= dt.timedelta(0):
        return _("fristen er ute")
    days = delta.days
    hours, rest = divmod(delta.seconds, 3600)
    minutes = rest // 60
    if days:
        return _("%(days)s og %(hours)s igjen") % {
            "days": ngettext("%(n)d dag", "%(n)d dager", days) % {"n": days},
            "hours": ngettext("%(n)d time", "%(n)d timer", hours) % {"n": hours},
        }
    if hours:
        return _("%(hours)s og %(minutes)s igjen") % {
            "hours": ngettext("%(n)d time", "%(n)d timer", hours) % {"n": hours},
            "minutes": ngettext("%(n)d minutt", "%(n)d minutter", minutes) % {"n": minutes},
        }
    return ngettext("%(n)d minutt igjen", "%(n)d minutter igjen", max(minutes, 1)) % {"n": max(minutes, 1)}


@register.filter
def percent_of(value: int, total: int) -> int:
    return round(100 * value / total) if total else 0


@register.inclusion_tag("programs/partials/dashboard_panels.html", takes_context=True)
def programs_dashboard_panels(context):
    """Board and leadership panels; the dashboard view belongs to accounts, so the reads happen here."""
    request = context.get("request")
    user = getattr(request, "user", None)
    data = {"request": request, "can_manage_programs": bool(can_manage_programs(user))}
    if can_register_interest(user):
        data["board_panels"] = selectors.board_dashboard(user=user)
    if can_manage_programs(user):
        data["leadership_programs"] = selectors.leadership_dashboard_programs()
        data["branch_count"] = selectors.active_branch_count()
    if can_see_programs(user):
        data["meetings"] = selectors.upcoming_dialogue_meetings(user=user)
    return data


# The temperaturmåling's table, written in Python (issue 14): node by node, the template engine spent more on the
# branches' rows, with their member municipalities, than the queries did. Same markup, escaped the same way.


@register.simple_tag
def temperature_rows(overview, program) -> SafeString:
    """The rows of the temperaturmåling's branch table (`overview` from selectors.temperature_overview)."""
    from core.dates import date_display, datetime_display_cached

    register_url = url_for_id("programs:interest_registration", program.pk)
    extend_url = url_for_id("programs:deadline_extend", program.pk)
    wanted, cancelled, extended = _v(_("Ønsket")), _v(_("Avlyst")), _v(_("forlenget"))
    takes_part, stays_out, new_deadline = _v(_("Deltar")), _v(_("Deltar ikke")), _v(_("Gi ny frist"))
    agreed = _("Avtalt %(when)s")

    def moment(value) -> str:
        return escaped(datetime_display_cached(value))

    out = []
    for row in overview.rows:
        branch, registration, status = row.branch, row.registration, row.status
        short = _v(branch.short_name)
        counties = ", ".join(_v(c.name) for c in branch.counties.all())
        if registration:
            municipalities = ", ".join(_v(m.name) for m in registration.municipalities.all()) or "–"
            who = registration.updated_by.get_full_name() if registration.updated_by else ""
            updated = f'{moment(registration.updated_at)}<br><span class="small">{_v(who or "–")}</span>'
        else:
            municipalities = updated = "–"
        meetings = []
        for m in row.dialogue_meetings:
            if m.status == "scheduled":
                meetings.append(agreed % {"when": moment(m.starts_at)})
            else:
                meetings.append(wanted if m.status == "requested" else cancelled)
        if meetings:
            dialogue = "<br>".join(meetings)
        else:
            dialogue = wanted if registration and registration.dialogue_meeting_wanted else "–"
        if row.extended:
            deadline = f'<strong>{moment(row.deadline)}</strong> <span class="small">({extended})</span>'
        else:
            deadline = moment(row.deadline)
        if row.decision:
            decision = (
                f"{takes_part if row.decision.participates else stays_out}<br>"
                f'<span class="small">{escaped(date_display(row.decision.meeting_date))}</span>'
            )
        else:
            decision = "–"
        out.append(
            f'\n      <tr data-branch="{short}" data-status="{_v(status)}">'
            f'\n        <th scope="row"><a href="{register_url(branch.pk)}">{short}</a>'
            f'\n          <div class="small text-body-secondary fw-normal">{counties}</div></th>'
            f'\n        <td><span class="badge status-{_v(status)}">{_v(row.status_label)}</span></td>'
            f"\n        <td>{municipalities}</td>"
            f"\n        <td>{dialogue}</td>"
            f"\n        <td>{updated}</td>"
            f"\n        <td>{deadline}"
            f'\n          <div><a class="small" href="{extend_url(branch.pk)}">{new_deadline}'
            f'<span class="visually-hidden"> – {short}</span></a></div></td>'
            f"\n        <td>{decision}</td>"
            "\n      </tr>\n    "
        )
    if not out:
        return mark_safe(  # noqa: S308 - the text is escaped
            f'\n      <tr><td colspan="7">{_v(_("Ingen fylkesavdelinger passer filteret."))}</td></tr>\n    '
        )
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped
