import datetime as dt
import functools

from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.fields import IdModelChoiceField
from core.widgets import QuickSelect

from . import registry

DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y", "%d.%m.%y"]


def action_choices() -> list:
    """Every app's area (all its actions), then its actions one by one, by their Norwegian names; worked out
    once per language and vocabulary (sorting some 200 labels cost the log page about a millisecond)."""
    return list(_action_choices(translation.get_language(), registry.generation()))


@functools.lru_cache(maxsize=16)
def _action_choices(_language: str | None, _generation: int) -> tuple:
    choices: list = [("", _("Alle områder og handlinger"))]
    codes = registry.action_codes()
    for area in registry.areas():
        label = str(area.label)
        options = [(area.prefix, _("Alt i «%(area)s»") % {"area": label})]
        options += sorted(
            ((code, registry.action_label(code)) for code in codes if code.startswith(area.prefix)),
            key=lambda option: option[1],
        )
        choices.append((label, options))
    return tuple(choices)


class AuditFilterForm(forms.Form):
    # A search field, not a list of every person (thousands of options in a national log).
    person = forms.CharField(
        label=_("Person"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Navn eller e-post")}),
    )
    # One exact person, for links from a person's page; validated with one lookup, never rendered as a list.
    actor = IdModelChoiceField(
        label=_("Person"), queryset=User.objects.all(), required=False, widget=forms.HiddenInput
    )
    # Some 200 options in groups: written by QuickSelect, not one template per option.
    action = forms.ChoiceField(label=_("Område eller handling"), required=False, widget=QuickSelect)
    date_from = forms.DateField(
        label=_("Fra og med dato"),
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label=_("Til og med dato"),
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = action_choices()

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("Til-datoen kan ikke være før fra-datoen."))
        for name in ("date_from", "date_to"):
            value = cleaned.get(name)
            if value and not (dt.date(2000, 1, 1) <= value <= dt.date(2100, 12, 31)):
                self.add_error(name, _("Velg en dato mellom år 2000 og 2100."))
        return cleaned
