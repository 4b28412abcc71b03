"""Model choice fields that check submitted ids before the database sees them.

Django turns `"9223372036854775808"` into an int and hands it to PostgreSQL, which fails the whole
request on a bigint overflow inside `pk__in`. These fields accept only ASCII digits within the column's
range (other id types pass through unchanged) and answer with the usual Norwegian field error.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.utils.translation import gettext_lazy as _

from .widgets import QuickSelect, QuickSelectMultiple

_DIGITS = re.compile(r"[0-9]{1,19}")
_BIG_MAX = 2**63 - 1


def _integer_key(field) -> models.Field | None:
    key = field.to_field_name or "pk"
    model_field = field.queryset.model._meta.pk if key == "pk" else field.queryset.model._meta.get_field(key)
    target = model_field.target_field if model_field.is_relation else model_field
    return target if isinstance(target, models.IntegerField | models.AutoField) else None


def _id_in_range(target: models.Field, value) -> bool:
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and _DIGITS.fullmatch(value.strip()):
        number = int(value.strip())
    else:
        return False
    # Ids start at 1; the top is the column's (a PositiveSmallIntegerField key ends far below bigint's).
    _low, high = connection.ops.integer_field_range(target.get_internal_type())
    return 1 <= number <= (high if high is not None else _BIG_MAX)


class ListedChoiceIterator(forms.models.ModelChoiceIterator):
    """Options read with one plain query when the field is rendered. Django's iterator reads through a
    server-side cursor (declare, fetch, close: three round trips), meant for choices too many to hold,
    which a select list never has."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class IdModelChoiceField(forms.ModelChoiceField):
    widget = QuickSelect  # the same markup as forms.Select, without a template per option

    def to_python(self, value):
        if value in self.empty_values or isinstance(value, self.queryset.model):
            return super().to_python(value)
        target = _integer_key(self)
        if target is not None and not _id_in_range(target, value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class IdModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    widget = QuickSelectMultiple
    default_error_messages = {
        "invalid_list": _("Velg fra listen."),
        "invalid_choice": _("Velg gyldige alternativer fra listen."),
        "invalid_pk_value": _("Velg gyldige alternativer fra listen."),
    }

    def _check_values(self, value):
        target = _integer_key(self)
        if target is not None and not isinstance(value, str):
            try:
                values = list(value)
            except TypeError:
                raise ValidationError(self.error_messages["invalid_list"], code="invalid_list") from None
            if any(not _id_in_range(target, v) for v in values):
                raise ValidationError(self.error_messages["invalid_pk_value"], code="invalid_pk_value")
        return super()._check_values(value)
