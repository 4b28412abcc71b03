"""Readable Norwegian rendering of audit entries: action labels and the details JSON.

The rendering is generic; each app adds its vocabulary in `<app>/audit.py` (see `audit.registry`):
- keys that are fields of the model (the action's declared model, else the entry's object's model) get the
  field's verbose_name; other keys get a label from the registry or KEY_LABELS, else the key itself;
- the field decides how a value reads: choices → the choice label, Date(Time)Field → a Norwegian date in
  Oslo time, BooleanField → ja/nei, any other field → the text as it is;
- under a key that is no field: a choice code of the model → its label, an ISO date/time → a date,
  a list → «10, 2»; a value the registry names (e.g. an occasion code) → its name;
- nothing here raises on a stored value: a text that looks like a date but is none stays text.

Older rows may hold lists as Python text («[10, 2]»), "True"/"False" and Norwegian keys (fra/til, navn);
migration 0002 converts the first two, and the reading below still accepts all three.
"""

from __future__ import annotations

import ast
import functools
import json
import logging
import re
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from . import registry

logger = logging.getLogger(__name__)

KEY_LABELS = {
    "changed_fields": _("Endrede felt"),
    "changed fields": _("Endrede felt"),
    "endringer": _("Endringer"),
    "changes": _("Endringer"),
    "branch": _("Fylkesavdeling"),
    "branches": _("Fylkesavdelinger"),
    "program": _("Programperiode"),
    "name": _("Navn"),
    "email": _("E-post"),
    "phone": _("Telefon"),
    "via": _("Via"),
    "status": _("Status"),
    "deadline": _("Frist"),
    "county": _("Fylke"),
    "municipality": _("Kommune"),
    "role": _("Rolle"),
    "reason": _("Begrunnelse"),
    "comment": _("Kommentar"),
    "fields": _("Felt"),
    "field": _("Felt"),
    "file": _("Fil"),
    "count": _("Antall"),
    "fra": _("fra"),
    "til": _("til"),
    "from": _("fra"),
    "to": _("til"),
}
# Keys whose value is itself a field name of the model («felt: anchoring»).
FIELD_NAME_KEYS = {"felt", "field", "fields"}
CHANGE_KEYS = ({"from", "to"}, {"fra", "til"})
# An empty value (null, "", []) reads as this, never as a blank after the colon.
NOT_SET = _("ikke satt")


class Lines(list):
    """The readable value of a key that holds several fields («Endrede felt»): one «Label: value» per field,
    shown as a list, one line each. As text (e.g. in a title) it is the lines joined with commas."""

    is_lines = True

    def __str__(self) -> str:
        return ", ".join(self)


_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# A list that an older audit row stored as its Python text, e.g. "[14, 3, 1]" or "['a', 'b']".
_LIST_TEXT = re.compile(r"^\[.*\]$", re.DOTALL)
_LIST_TEXT_MAX = 2000


def action_label(code: str) -> str:
    return registry.action_label(code or "")


# --- values ---------------------------------------------------------------------------------------------


def list_from_text(value: str) -> list | None:
    """A list an older row stored as Python or JSON text, or None when the text is no list."""
    if len(value) > _LIST_TEXT_MAX or not _LIST_TEXT.match(value):
        return None
    try:
        parsed = json.loads(value)
    except ValueError:
        try:
            parsed = ast.literal_eval(value)
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            return None
    return parsed if isinstance(parsed, list) else None


def _date_text(value: str) -> str | None:
    if not _ISO_DATE.match(value):
        return None
    try:
        parsed = parse_date(value)
    except ValueError:  # «2025-02-30»: the shape of a date, but no date
        return None
    return formats.date_format(parsed, "j. F Y") if parsed else None


def _datetime_text(value: str) -> str | None:
    if not _ISO_DATETIME.match(value):
        return None
    try:
        parsed = parse_datetime(value.replace(" ", "T", 1))
        if parsed is None:
            return None
        if timezone.is_naive(parsed):
            parsed = timezone.make_aware(parsed)
        return formats.date_format(timezone.localtime(parsed), "j. F Y \\k\\l. H:i")
    except (ValueError, OverflowError):
        return None


def _field(model, name) -> models.Field | None:
    if model is None or not isinstance(name, str):
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _choice_label(model, value: str, field_name: str | None = None) -> str | None:
    """The label of a choice code: from the named field, else from the one field of the model that has it."""
    if model is None:
        return None
    named = _field(model, field_name) if field_name else None
    fields = [named] if named is not None else model._meta.get_fields()
    labels = set()
    for field in fields:
        for code, label in getattr(field, "flatchoices", None) or []:
            if str(code) == value:
                labels.add(str(label))
    return labels.pop() if len(labels) == 1 else None


def _text_of_field(field, value: str, model) -> str:
    """A text stored under a field's name reads as that field says."""
    if getattr(field, "choices", None):
        label = _choice_label(model, value, field.name)
        return label if label is not None else value
    if isinstance(field, models.DateTimeField):
        return _datetime_text(value) or value
    if isinstance(field, models.DateField):
        return _date_text(value) or value
    if isinstance(field, models.BooleanField) and value in ("True", "False"):
        return "ja" if value == "True" else "nei"
    if isinstance(field, models.ManyToManyField | models.JSONField) or getattr(field, "base_field", None):
        items = list_from_text(value)
        if items is not None:
            return plain(items, model, field.name)
    return value  # a text field: the text as it is


def _text(value: str, model, key: str | None) -> str:
    namer = registry.value_namer(key)
    if namer is not None:
        label = namer(value)
        if label and str(label) != value:
            return str(label)
    if key in FIELD_NAME_KEYS:
        field = _field(model, value)
        if field is not None and getattr(field, "verbose_name", None):
            return str(field.verbose_name)
    field = _field(model, key)
    if field is not None and not field.is_relation or isinstance(field, models.ManyToManyField):
        return _text_of_field(field, value, model)
    items = list_from_text(value)
    if items is not None:
        return plain(items, model, key)
    readable = _datetime_text(value) or _date_text(value)
    if readable:
        return readable
    if value in ("True", "False"):
        return "ja" if value == "True" else "nei"
    label = _choice_label(model, value, key)
    return label if label is not None else value


def plain(value: Any, model=None, key: str | None = None) -> str:
    """One stored value as a person reads it."""
    if isinstance(value, dict):
        for pair in CHANGE_KEYS:
            if value and set(value) <= pair:
                before_key, after_key = ("from", "to") if "from" in pair else ("fra", "til")
                before = plain(value.get(before_key), model, key) or str(NOT_SET)
                after = plain(value.get(after_key), model, key) or str(NOT_SET)
                return f"{before} → {after}"
        for name_key in ("name", "navn"):
            if name_key in value:
                return str(value[name_key])
        return str(_field_lines(value, model))
    if isinstance(value, list):
        return ", ".join(plain(v, model, key) for v in value)
    if value is None:
        return ""
    if value is True:
        return "ja"
    if value is False:
        return "nei"
    if isinstance(value, str):
        return _text(value, model, key)
    return str(value)


def _is_fields(value: Any) -> bool:
    """A dict of several fields (not one change «from → to», not a named object)."""
    return (
        isinstance(value, dict)
        and bool(value)
        and not any(set(value) <= pair for pair in CHANGE_KEYS)
        and not any(name_key in value for name_key in ("name", "navn"))
    )


def _field_lines(value: dict, model) -> Lines:
    return Lines(
        f"{capfirst(key_label(model, k))}: {plain(v, model, str(k)) or NOT_SET}"
        for k, v in value.items()
        if not str(k).startswith("_")
    )


def shown(value: Any, model=None, key: str | None = None) -> str | Lines:
    """One top-level value of the details as shown: several fields as `Lines`, an empty value as «ikke satt»."""
    if _is_fields(value):
        return _field_lines(value, model)
    return plain(value, model, key) or str(NOT_SET)


def key_label(model, key) -> str:
    key = str(key)
    field = _field(model, key)
    if field is not None and getattr(field, "verbose_name", None):
        return str(field.verbose_name)
    label = registry.key_label(key)
    if label is None:
        label = KEY_LABELS.get(key)
    return str(label) if label is not None else key.replace("_", " ")


def pairs(details, model=None) -> list[tuple[str, str | Lines]]:
    """The details as (label, readable value) pairs; keys starting with "_" are machine-only and left out.

    A value holding several fields is `Lines` (a template shows `value.is_lines` as a list); an empty value
    reads «ikke satt»."""
    if not isinstance(details, dict):
        return []
    return [
        (capfirst(key_label(model, key)), shown(value, model, str(key)))
        for key, value in details.items()
        if not str(key).startswith("_")
    ]


# --- entries --------------------------------------------------------------------------------------------


@functools.cache
def _declared_model(label: str):
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):  # the model moved or its app is gone: read the keys as they are
        return None


def _model_of(entry):
    action = registry.action_get(entry.action)
    if action is not None and action.model:
        model = _declared_model(action.model)
        if model is not None:
            return model
    ct_id = getattr(entry, "content_type_id", None)
    if ct_id is None:
        return None
    try:
        # get_for_id is cached, so entries loaded without select_related cost no extra query.
        return ContentType.objects.get_for_id(ct_id).model_class()
    except ContentType.DoesNotExist:
        return None


def prepare(entries: Iterable) -> list:
    """Work out the readable details of many entries at once (an app's `readable` hook runs once per action).

    Returns the entries as a list, each with `readable_details`: [(label, value), ...].
    """
    entries = list(entries)
    shown: dict[int, Any] = {id(e): e.details for e in entries}
    by_action: dict[str, list] = defaultdict(list)
    for entry in entries:
        action = registry.action_get(entry.action)
        if action is not None and action.readable is not None and isinstance(entry.details, dict):
            by_action[entry.action].append(entry)
    for code, group in by_action.items():
        try:
            rewritten = registry.action_get(code).readable([e.details for e in group])
            pairs_ = list(zip(group, rewritten, strict=True))
        except Exception:  # an app's hook must never take the log down: show the stored details instead
            logger.exception("audit: readable() for %s failed", code)
            continue
        for entry, details in pairs_:
            shown[id(entry)] = details
    for entry in entries:
        entry.readable_details = pairs(shown[id(entry)], _model_of(entry))
    return entries


def entry_details(entry) -> list[tuple[str, str | Lines]]:
    if not hasattr(entry, "readable_details"):
        prepare([entry])
    return entry.readable_details
