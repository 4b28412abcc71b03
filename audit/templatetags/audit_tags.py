"""Template filters of the audit log; the rendering itself is in `audit.rendering`."""

from __future__ import annotations

from django import template

from audit import rendering

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
