"""Leadership's own subject and introduction: the fields they may use ({navn}, {frist} …) and filling them in.

Every occasion has the common fields; one may declare more of its own (`Occasion.placeholders`, e.g. a
gathering's {samling}), and the settings form's help, its validation and the filling follow that list.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from ..outbox import Recipient
    from .base import OccasionConfig

# The fields every occasion has in leadership's own subject and introduction; the values come from `prepare`.
# {program} is the edition («Fremtidens kulturskole – regionale program 2026–2027») everywhere.
PLACEHOLDERS: dict[str, Any] = {
    "navn": _("mottakerens navn"),
    "frist": _("fristen, dato og klokkeslett"),
    "program": _("programperioden"),
    "lenke": _("lenken der mottakeren gjør det"),
}
# For occasions that belong to one regional programme: its name, e.g. «Vestland – Sunnfjord og Nordfjord».
REGION_PLACEHOLDER: dict[str, Any] = {"region": _("det regionale programmet")}


def fields_help(fields: Mapping[str, Any]) -> str:
    """«{navn} (mottakerens navn), {frist} (…)»: the fields of one occasion with what they hold, for its form."""
    return ", ".join(f"{{{name}}} ({description})" for name, description in fields.items())


def overrides_context(
    config: OccasionConfig, values: dict[str, Any], recipient: Recipient, *, fields: Mapping[str, Any]
) -> dict[str, Any]:
    """Leadership's own subject and introduction with the occasion's `fields` filled in for one recipient;
    a value the occasion does not declare is not filled in (the form did not offer it)."""
    values = {"navn": recipient.name or recipient.email, **values}
    values = {name: value for name, value in values.items() if name in fields}
    return {
        "subject_override": fill_placeholders(config.subject_override, values),
        "intro_override": fill_placeholders(config.body_override, values),
    }


# A field is a known name in braces, exactly: {navn}. Leadership's texts are never run through str.format,
# so "{navn:x}", "{0}" or a lone brace can neither fail at send time nor reach into Python's formatting.
_FIELD = re.compile(r"\{([^{}]*)\}")


def fill_placeholders(text: str, values: dict[str, Any]) -> str:
    """Put the values into leadership's own text; anything else in braces stays as it is. Never fails."""
    if not text:
        return ""
    return _FIELD.sub(lambda m: str(values[m.group(1)]) if m.group(1) in values else m.group(0), text)


def unknown_placeholders(text: str, fields: Mapping[str, Any] = PLACEHOLDERS) -> list[str]:
    """The names in braces that are not among `fields`, e.g. ["ukjent", "navn:x"]."""
    return [m.group(1) for m in _FIELD.finditer(text or "") if m.group(1) not in fields]


def has_stray_brace(text: str) -> bool:
    """A "{" or "}" that does not belong to a pair around a name."""
    rest = _FIELD.sub("", text or "")
    return "{" in rest or "}" in rest


def placeholder_errors(text: str, fields: Mapping[str, Any]) -> list[str]:
    """What is wrong with the braces in leadership's text for an occasion with these `fields`, as Norwegian
    messages for the form field."""
    errors = []
    unknown = unknown_placeholders(text, fields)
    if unknown:
        errors.append(
            gettext("Ukjent felt: %(names)s. Feltene du kan bruke her: %(fields)s.")
            % {
                "names": ", ".join("{" + n[:40] + "}" for n in unknown[:5]),
                "fields": ", ".join("{" + name + "}" for name in fields),
            }
        )
    if has_stray_brace(text):
        errors.append(
            gettext(
                "Krøllparentesene { og } brukes bare rundt et felt, som {navn}. "
                "Fjern den som står alene, eller skriv hele feltet."
            )
        )
    return errors
