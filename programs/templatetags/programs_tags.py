"""Formatting of invitation texts and countdowns, and this app's dashboard panels."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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
