"""Helpers that put what services say onto forms."""

from __future__ import annotations

from django.core.exceptions import ValidationError


def form_apply_error(form, exc: ValidationError, field_map: dict[str, str] | None = None) -> None:
    """Put a service's refusal on the form: at the field it names where the form has that field
    (renamed through `field_map`), otherwise as a non-field error. Nothing the user typed is touched."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            field = (field_map or {}).get(field, field)
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
