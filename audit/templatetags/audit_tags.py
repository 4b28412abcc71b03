"""Template filters of the audit log; the rendering itself is in `audit.rendering`."""

from __future__ import annotations

import re

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from audit import rendering
from core.html import days
from core.html import text as _v
from core.links import url_for_id

register = template.Library()


@register.filter
def audit_action(code: str) -> str:
    """`accounts.role.added` → «Rolle lagt til» (a code no app declares is shown unchanged)."""
    return rendering.action_label(code or "")


@register.simple_tag
def audit_prepare(entries):
    """`{% audit_prepare entries as entries %}`: readable details for a whole page in a fixed number of queries."""
    return rendering.prepare(entries or [])


@register.filter
def audit_details(details) -> list:
    """The details JSON as (label, readable value) pairs; keys starting with "_" are machine-only and left out."""
    return rendering.pairs(details, None)


@register.filter
def audit_entry_details(entry) -> list:
    """Like `audit_details`, but keys and codes are read with the model the entry's action names."""
    return rendering.entry_details(entry)


# The log's table rows, written in Python: node by node, the template engine spent more on 50 entries than the
# page's queries did. The same markup as the template wrote, escaped the same way (tests/audit/test_entry_rows.py).

_PLAIN_ID = re.compile(r"[1-9][0-9]*")  # an id that `int` gives back unchanged


@register.simple_tag
def audit_entry_rows(entries, show_object: bool) -> SafeString:
    """The rows of audit/partials/entry_table.html: time, who, action, (object,) readable details."""
    day = days("j. F Y")
    labels: dict[str, str] = {}
    object_urls: dict[int, object] = {}
    type_names: dict[int, str] = {}
    system = _v(_("systemet"))
    out = []
    for entry in rendering.prepare(entries or []):
        at = timezone.localtime(entry.at)
        label = labels.get(entry.action)
        if label is None:
            label = labels[entry.action] = _v(rendering.action_label(entry.action))
        actor = _v(entry.actor.get_full_name()) if entry.actor else system
        shown_object = ""
        if show_object:
            shown_object = "–"
            if entry.content_type_id and entry.object_id:
                shown_object = (
                    f'<a href="{_object_url(object_urls, entry.content_type_id, entry.object_id)}">'
                    f"{_v(entry.object_repr or entry.object_id)}</a><br>"
                    f'<span class="small text-body-secondary">{_type_name(type_names, entry)}</span>'
                )
            shown_object = f"<td>{shown_object}</td>"
        out.append(
            f'\n    <tr>\n      <td class="text-nowrap"><time datetime="{at.isoformat()}">'
            f"{day(at)} {at.hour:02d}:{at.minute:02d}</time></td>"
            f"\n      <td>{actor}</td>"
            f'\n      <td><span title="{_v(entry.action)}">{label}</span></td>'
            f'\n      {shown_object}\n      <td class="small">{_details(entry.readable_details)}</td>\n    </tr>\n  '
        )
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped


def _details(pairs) -> str:
    out = []
    for key, value in pairs:
        if getattr(value, "is_lines", False):
            lines = "".join(f"<li>{_v(line)}</li>" for line in value)
            shown = f'<ul class="list-unstyled mb-0 ms-3">{lines}</ul>'
        else:
            shown = f" {_v(value)}"
        out.append(f'<div><span class="fw-semibold">{_v(key)}:</span>{shown}</div>')
    return "".join(out)


def _object_url(builders: dict, content_type_id: int, object_id: str) -> str:
    """`{% url 'audit:object_log' content_type_id object_id %}`, reversed once per content type."""
    if not _PLAIN_ID.fullmatch(object_id):
        return reverse("audit:object_log", args=[content_type_id, object_id])
    build = builders.get(content_type_id)
    if build is None:
        build = builders[content_type_id] = url_for_id("audit:object_log", content_type_id)
    return build(int(object_id))


def _type_name(names: dict, entry) -> str:
    """`{{ entry.content_type.name }}`, looked up once per content type (the model's verbose name)."""
    name = names.get(entry.content_type_id)
    if name is None:
        name = names[entry.content_type_id] = _v(entry.content_type.name)
    return name
