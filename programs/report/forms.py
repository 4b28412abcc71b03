"""The report's filter: a semester (or a from–to range) and, for the edition, one branch. A GET form."""

from __future__ import annotations

from django import forms
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from ..forms import DATE_WIDGET
from .selectors import Period


class ReportFilterForm(forms.Form):
    semester = forms.ChoiceField(label=_("Semester"), required=False)
    fra = forms.DateField(label=_("Fra og med"), required=False, widget=DATE_WIDGET)
    til = forms.DateField(label=_("Til og med"), required=False, widget=DATE_WIDGET)
    avdeling = forms.TypedChoiceField(label=_("Fylkesavdeling"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, semesters, branches=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.semester_spans = {name: (start, end) for name, start, end in semesters}
        self.fields["semester"].choices = [("", _("Hele perioden"))] + [
            (
                name,
                f"{name} ({formats.date_format(start, 'SHORT_DATE_FORMAT')}–"
                f"{formats.date_format(end, 'SHORT_DATE_FORMAT')})",
            )
            for name, start, end in semesters
        ]
        self.branches = {b.pk: b for b in (branches or [])}
        if branches is None:
            del self.fields["avdeling"]
        else:
            self.fields["avdeling"].choices = [("", _("Alle fylkesavdelinger"))] + [
                (b.pk, b.name) for b in branches
            ]

    def clean(self):
        data = super().clean()
        start, end = data.get("fra"), data.get("til")
        if start and end and end < start:
            self.add_error("til", _("Til-datoen kan ikke være før fra-datoen."))
        return data

    def period(self) -> Period:
        """The chosen period; an invalid form means the whole period (the errors are shown)."""
        if not self.is_valid():
            return Period()
        name = self.cleaned_data.get("semester")
        if name:
            start, end = self.semester_spans[name]
            return Period(start=start, end=end, label=name)
        start, end = self.cleaned_data.get("fra"), self.cleaned_data.get("til")
        label = ""
        if start or end:
            label = "–".join(formats.date_format(d, "SHORT_DATE_FORMAT") if d else "" for d in (start, end))
        return Period(start=start, end=end, label=label)

    def branch(self):
        if "avdeling" not in self.fields or not self.is_valid():
            return None
        return self.branches.get(self.cleaned_data.get("avdeling"))
