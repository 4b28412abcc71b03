"""Password rules with messages that read well in Norwegian.

Django 5.2 changed the msgid of the minimum-length message and its bokmål catalogue has not caught up,
so the stock validator speaks English to Norwegian users. This one says the same in our own words.
"""

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self):
        return ngettext(
            "Passordet er for kort. Det må bestå av minst %(min_length)d tegn.",
            "Passordet er for kort. Det må bestå av minst %(min_length)d tegn.",
            self.min_length,
        ) % {"min_length": self.min_length}

    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(
                self.get_error_message(), code="password_too_short", params={"min_length": self.min_length}
            )
