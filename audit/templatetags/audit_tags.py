"""Readable Norwegian rendering of audit entries: action labels and the details JSON.

Details are written by many services in slightly different shapes. The rendering here is generic:
- keys that are fields of the entry's model (content_type) get the field's verbose_name;
- a few common English keys get a Norwegian label (KEY_LABELS);
- values that are choice codes of the model get the choice label;
- ISO date/datetime strings are shown in Oslo time the Norwegian way;
- lists, and lists stored as text («[10, 2]»), become «10, 2»;
- a key named in settings.AUDIT_VALUE_LABELS has its value named by that app's function (e.g. an
  occasion code → its label), so audit needs no import from the apps whose codes it shows;
- True/False become ja/nei, None becomes «–».
"""

from __future__ import annotations

import ast
import functools
import json
import re

from django import template
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.utils import formats, timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.module_loading import import_string
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from audit.labels import action_label

register = template.Library()

KEY_LABELS = {
    "changed_fields": _("Endrede felt"),
    "changed fields": _("Endrede felt"),
    "branch": _("Fylkesavdeling"),
    "branches": _("Fylkesavdelinger"),
    "program": _("Programperiode"),
    "name": _("Navn"),
    "email": _("E-post"),
    "requester_name": _("Ønsket av"),
    "via": _("Via"),
    "status": _("Status"),
    "deadline": _("Frist"),
    "interest_deadline": _("Frist for interessemelding"),
    "county": _("Fylke"),
    "municipality": _("Kommune"),
    "role": _("Rolle"),
    "reason": _("Begrunnelse"),
    "comment": _("Kommentar"),
    "fra_status": _("Status før"),
    "fra": _("fra"),
    "til": _("til"),
}
# Keys whose value is itself a field name of the model («felt: anchoring»).
FIELD_NAME_KEYS = {"felt", "field", "fields"}

_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# A list that an older audit row stored as its Python text, e.g. "[14, 3, 1]" or "['a', 'b']".
_LIST_TEXT = re.compile(r"^\[.*\]$", re.DOTALL)
_LIST_TEXT_MAX = 2000


@register.filter
def audit_action(code: str) -> str:
    """`accounts.role.added` → «Rolle lagt til» (unknown codes unchanged)."""
    return action_label(code or "")


def _model_of(entry):
    ct_id = getattr(entry, "content_type_id", None)
    if ct_id is None:
        return None
    try:
        # get_for_id is cached, so entries loaded without select_related cost no extra query.
        return ContentType.objects.get_for_id(ct_id).model_class()
    except Exception:  # a content type whose app is gone
        return None


def _field(model, name: str):
    if model is None or not isinstance(name, str):
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _key_label(model, key: str) -> str:
    field = _field(model, key)
    if field is not None and getattr(field, "verbose_name", None):
        return str(field.verbose_name)
    if key in KEY_LABELS:
        return str(KEY_LABELS[key])
    return str(key).replace("_", " ")


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


@functools.cache
def _labeller_at(path: str):
    return import_string(path)


def _value_label(key: str | None, value: str) -> str | None:
    """The owning app's name for a code under `key` (settings.AUDIT_VALUE_LABELS), or None."""
    path = getattr(settings, "AUDIT_VALUE_LABELS", {}).get(key) if key else None
    if not path:
        return None
    label = _labeller_at(path)(value)
    return str(label) if label and str(label) != value else None


def _list_from_text(value: str) -> list | None:
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


def _text(value: str, model, field_name: str | None) -> str:
    items = _list_from_text(value)
    if items is not None:
        return _plain(items, model, field_name)
    if _ISO_DATETIME.match(value):
        parsed = parse_datetime(value.replace(" ", "T", 1))
        if parsed is not None:
            if timezone.is_naive(parsed):
                parsed = timezone.make_aware(parsed)
            return formats.date_format(timezone.localtime(parsed), "j. F Y \\k\\l. H:i")
    if _ISO_DATE.match(value):
        parsed = parse_date(value)
        if parsed is not None:
            return formats.date_format(parsed, "j. F Y")
    if value in ("True", "False"):
        return "ja" if value == "True" else "nei"
    label = _choice_label(model, value, field_name)
    return label if label is not None else value


def _plain(value, model=None, field_name: str | None = None) -> str:
    if isinstance(value, dict):
        if set(value) <= {"fra", "til"} and value:
            before = _plain(value.get("fra"), model, field_name) or "–"
            after = _plain(value.get("til"), model, field_name) or "–"
            return f"{before} → {after}"
        if "navn" in value:
            return str(value["navn"])
        return ", ".join(f"{capfirst(_key_label(model, k))}: {_plain(v, model, k)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(_plain(v, model, field_name) for v in value)
    if value is None:
        return ""
    if value is True:
        return "ja"
    if value is False:
        return "nei"
    if isinstance(value, str):
        label = _value_label(field_name, value)
        if label is not None:
            return label
        if field_name in FIELD_NAME_KEYS:
            field = _field(model, value)
            if field is not None and getattr(field, "verbose_name", None):
                return str(field.verbose_name)
        return _text(value, model, field_name)
    return str(value)


def _pairs(details, model) -> list[tuple[str, str]]:
    if not isinstance(details, dict):
        return []
    return [
        (capfirst(_key_label(model, str(key))), _plain(value, model, str(key)))
        for key, value in details.items()
        if not str(key).startswith("_")
    ]


@register.filter
def audit_details(details) -> list[tuple[str, str]]:
    """The details JSON as (label, readable value) pairs; keys starting with "_" are machine-only and left out."""
    return _pairs(details, None)


@register.filter
def audit_entry_details(entry) -> list[tuple[str, str]]:
    """Like `audit_details`, but field names and choice codes are read from the entry's model."""
    return _pairs(getattr(entry, "details", None), _model_of(entry))
