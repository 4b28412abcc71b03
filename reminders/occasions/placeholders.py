"""Leadership's own subject and introduction: the fields they may use ({navn}, {frist} …) and filling them in."""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..outbox import Recipient
from .base import OccasionConfig

# Placeholders leadership may use in its own subject and introduction; the values come from `prepare`.
PLACEHOLDERS: dict[str, Any] = {
    "navn": _("mottakerens navn"),
    "frist": _("fristen, dato og klokkeslett"),
    "program": _("programperioden"),
    "lenke": _("lenken der mottakeren gjør det"),
}


def overrides_context(config: OccasionConfig, values: dict[str, Any], recipient: Recipient) -> dict[str, Any]:
    """Leadership's own subject and introduction with the fields filled in for one recipient."""
    values = {"navn": recipient.name or recipient.email, **values}
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


def unknown_placeholders(text: str) -> list[str]:
    """The names in braces that are not fields, e.g. ["ukjent", "navn:x"]."""
    return [m.group(1) for m in _FIELD.finditer(text or "") if m.group(1) not in PLACEHOLDERS]


def has_stray_brace(text: str) -> bool:
    """A "{" or "}" that does not belong to a pair around a name."""
    rest = _FIELD.sub("", text or "")
    return "{" in rest or "}" in rest


def placeholder_errors(text: str) -> list[str]:
    """What is wrong with the braces in leadership's text, as Norwegian messages for the field."""
    errors = []
    unknown = unknown_placeholders(text)
    if unknown:
        errors.append(
            gettext("Ukjent felt: %(names)s. Bruk {navn}, {frist}, {program} eller {lenke}.")
            % {"names": ", ".join("{" + n[:40] + "}" for n in unknown[:5])}
        )
    if has_stray_brace(text):
        errors.append(
            gettext(
                "Krøllparentesene { og } brukes bare rundt et felt, som {navn}. "
                "Fjern den som står alene, eller skriv hele feltet."
            )
        )
    return errors
