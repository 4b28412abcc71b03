from django import template

from audit.labels import action_label

register = template.Library()


@register.filter
def audit_action(code: str) -> str:
    """`accounts.role.added` → «Rolle lagt til» (unknown codes unchanged)."""
    return action_label(code or "")


def _plain(value) -> str:
    if isinstance(value, dict):
        if "fra" in value or "til" in value:
            return f"{_plain(value.get('fra')) or '–'} → {_plain(value.get('til')) or '–'}"
        if "navn" in value:
            return str(value["navn"])
        return ", ".join(f"{k}: {_plain(v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(_plain(v) for v in value)
    if value is None:
        return ""
    if value is True:
        return "ja"
    if value is False:
        return "nei"
    return str(value)


@register.filter
def audit_details(details) -> list[tuple[str, str]]:
    """The details JSON as (key, readable value) pairs; keys starting with "_" are machine-only and left out."""
    if not isinstance(details, dict):
        return []
    return [
        (str(key).replace("_", " "), _plain(value))
        for key, value in details.items()
        if not str(key).startswith("_")
    ]
