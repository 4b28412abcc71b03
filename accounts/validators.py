"""Field validators shared by the apps' forms."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_PHONE_CHARS = re.compile(r"^[0-9 +\-()]*$")


def validate_phone(value: str) -> None:
    """A phone number: digits, spaces, +, -, ( and ), with 5 to 20 digits in all."""
    if not value:
        return
    digits = sum(ch.isdigit() for ch in value)
    if not _PHONE_CHARS.match(value) or not 5 <= digits <= 20:
        raise ValidationError(
            _(
                "Oppgi et gyldig telefonnummer: 5–20 sifre. Bare sifre, mellomrom, +, -, ( og ) er tillatt, "
                "f.eks. «+47 912 34 567»."
            ),
            code="invalid_phone",
        )
