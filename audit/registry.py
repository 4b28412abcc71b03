"""What each app declares so the audit log reads well: its area, its action codes and how its details read.

The audit app owns the table and its pages; it knows no app's codes. An app that writes audit rows (via
`audit.services.audit_log`) declares them in `<app>/audit.py`, which the audit app imports at start-up
(the same way the reminders app finds `<app>/reminders.py`):

    # gatherings/audit.py
    from django.utils.translation import gettext_lazy as _

    from audit.registry import Action, register

    register(
        "gatherings",                               # the code prefix: every code starts with "gatherings."
        area=_("Samlinger og mellomarbeid"),        # shown in the log's filter
        actions={
            "gatherings.gathering.created": _("Samling opprettet"),
            # Details whose keys are fields of another model than the entry's object: name that model,
            # so the keys get its verbose names, codes its choice labels and texts stay texts.
            "gatherings.registration.updated": Action(_("Påmelding endret"), model="gatherings.Registration"),
        },
        keys={"seats": _("Plasser")},              # detail keys that are not model fields
        values={"occasion": occasion_label},        # key → function naming a code stored under it
    )

Rules for the details an app writes (one shape for every app):
- English keys (`name`, `email`, `fields`, `from`/`to` for a change); keys starting with "_" are
  machine-only and never shown.
- Values are JSON types: text, numbers, true/false, null, lists and objects; never a Python text such
  as "[10, 2]" or "True". Use `audit.services.changed_fields` for changes: {field: {"from": …, "to": …}}.
- A date or time is stored in ISO form; a key that is a Date(Time)Field of the model is shown as a date,
  anything else that is text is shown as the text it is (a free text never breaks the log).

`Action(label, model=None, readable=None)`: `readable(list_of_details) -> list_of_details` rewrites
the details of every entry of this action on one page for display, in one batch, e.g. criterion ids →
names with one query. It must not change the stored rows.

`tests/audit/test_labels.py` fails for any code the source writes without a registered label.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

Readable = Callable[[list[dict[str, Any]]], list[dict[str, Any]]]


@dataclass(frozen=True)
class Action:
    label: Any
    model: str | None = None
    readable: Readable | None = None


@dataclass(frozen=True)
class Area:
    prefix: str
    label: Any


_actions: dict[str, Action] = {}
_areas: dict[str, Area] = {}
_keys: dict[str, Any] = {}
_values: dict[str, Callable[[str], Any]] = {}
# raised by every register(), so what is worked out from the vocabulary can be kept until then
_generation = 0


def register(
    app: str,
    *,
    area: Any,
    actions: Mapping[str, Any] | None = None,
    keys: Mapping[str, Any] | None = None,
    values: Mapping[str, Callable[[str], Any]] | None = None,
) -> None:
    """Declare one app's audit vocabulary; see the module docstring. Calling it again adds to it."""
    global _generation
    _generation += 1
    prefix = f"{app}."
    _areas[prefix] = Area(prefix, area)
    for code, spec in (actions or {}).items():
        if not code.startswith(prefix):
            raise ValueError(f"audit code {code!r} must start with {prefix!r}")
        _actions[code] = spec if isinstance(spec, Action) else Action(spec)
    _keys.update(keys or {})
    _values.update(values or {})


def generation() -> int:
    """Changes whenever an app declares (more of) its vocabulary."""
    return _generation


def action_get(code: str) -> Action | None:
    return _actions.get(code)


def action_label(code: str) -> str:
    """The readable name of an action code; an unknown code (an app since removed) is shown as it is."""
    action = _actions.get(code)
    return str(action.label) if action else code


def action_codes() -> list[str]:
    return sorted(_actions)


def areas() -> list[Area]:
    """Every app's area, in the order the apps are installed."""
    return list(_areas.values())


def area_label(prefix: str) -> str | None:
    area = _areas.get(prefix)
    return str(area.label) if area else None


def key_label(key: str) -> Any | None:
    return _keys.get(key)


def value_namer(key: str | None) -> Callable[[str], Any] | None:
    return _values.get(key) if key else None
