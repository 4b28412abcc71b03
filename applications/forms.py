import datetime as dt
import re
from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from core.fields import IdModelChoiceField, IdModelMultipleChoiceField
from core.widgets import QuickSelect

from .models import ApplicationStatus, DecisionOutcome, Sector

MAX_TEXT = 20000
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"]
DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


MIN_YEAR, MAX_YEAR = 2000, 2100


def _check_year(value):
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise forms.ValidationError(
            _("Velg et år mellom %(min)s og %(max)s.") % {"min": MIN_YEAR, "max": MAX_YEAR}, code="year"
        )
    return value


# A date written the right way (31.02.2027, 2027-02-31), whatever time follows: the shape is not the problem
_DATE_SHAPE = re.compile(r"^\s*(?:(\d{1,2})\.(\d{1,2})\.(\d{4})|(\d{4})-(\d{1,2})-(\d{1,2}))(?:[ T]|$)")


def _no_such_date(value) -> forms.ValidationError | None:
    """«31.02.2027» is in the asked-for format but names no day: say that, not "write it as dd.mm.åååå"."""
    match = _DATE_SHAPE.match(str(value or ""))
    if match is None:
        return None
    day, month, year = match.group(1, 2, 3) if match.group(1) else match.group(6, 5, 4)
    try:
        dt.date(int(year), int(month), int(day))
    except ValueError:
        return forms.ValidationError(
            _("Datoen %(date)s finnes ikke.") % {"date": f"{int(day):02d}.{int(month):02d}.{year}"},
            code="no_such_date",
        )
    return None


class SaneDateTimeField(forms.DateTimeField):
    """A date and time in a sane range (2000–2100): year 1 or 9999 is a typing slip, and would overflow."""

    default_error_messages = {"invalid": _("Skriv dato og klokkeslett som dd.mm.åååå tt:mm.")}

    def to_python(self, value):
        try:
            result = super().to_python(value)
        except forms.ValidationError as error:
            raise (_no_such_date(value) or error) from None
        return result if result is None else _check_year(result)


class SaneDateField(forms.DateField):
    def to_python(self, value):
        try:
            result = super().to_python(value)
        except forms.ValidationError as error:
            raise (_no_such_date(value) or error) from None
        return result if result is None else _check_year(result)


class ApplicationWindowForm(forms.Form):
    applications_open_at = SaneDateTimeField(
        label=_("Søknadene åpner"),
        required=False,
        input_formats=DATETIME_FORMATS,
        widget=DateTimeLocalInput(),
    )
    application_deadline = SaneDateTimeField(
        label=_("Søknadsfrist"),
        input_formats=DATETIME_FORMATS,
        widget=DateTimeLocalInput(),
        help_text=_("Norsk tid. Vanligvis kl. 23:59."),
    )
    places = forms.IntegerField(label=_("Antall plasser"), min_value=1, max_value=500, required=False)
    applicant_guidance = forms.CharField(
        label=_("Veiledning til søkere"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def clean(self):
        data = super().clean()
        opens, deadline = data.get("applications_open_at"), data.get("application_deadline")
        if opens and deadline and deadline <= opens:
            self.add_error("application_deadline", _("Søknadsfristen må være etter at søknadene åpner."))
        return data


class SelectionCriterionForm(forms.Form):
    name = forms.CharField(label=_("Kriterium"), max_length=200)
    description = forms.CharField(
        label=_("Beskrivelse"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    weight = forms.IntegerField(label=_("Vekt (1–10)"), min_value=1, max_value=10, initial=1)
    position = forms.IntegerField(label=_("Rekkefølge"), min_value=0, max_value=999, initial=0)


class DeadlineExtensionForm(forms.Form):
    municipality = IdModelChoiceField(label=_("Kommune"), queryset=None, empty_label=_("Velg kommune"))
    deadline = SaneDateTimeField(
        label=_("Egen søknadsfrist"), input_formats=DATETIME_FORMATS, widget=DateTimeLocalInput()
    )
    reason = forms.CharField(label=_("Begrunnelse"), required=False, max_length=500)

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities
        self.fields["municipality"].error_messages["invalid_choice"] = _("Velg en kommune fra listen.")


class NewApplicationForm(forms.Form):
    municipality = IdModelChoiceField(label=_("Kommune"), queryset=None, empty_label=_("Velg kommune"))

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities
        self.fields["municipality"].error_messages["invalid_choice"] = _("Velg en kommune fra listen.")


class ApplicationTextForm(forms.Form):
    """Every field is optional here: a draft may be saved half-written. Completeness is checked on submit."""

    motivation = forms.CharField(
        label=_("Hvorfor vil kommunen delta, og hva vil dere utvikle?"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    development_links = forms.CharField(
        label=_(
            "Kulturskolen som utviklingsaktør: hvordan henger arbeidet sammen med barnehage, SFO, skole og andre tjenester?"
        ),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    anchoring = forms.CharField(
        label=_("Forankring: hvem har vedtatt deltakelsen, politisk og administrativt?"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    anchoring_decided_on = SaneDateField(
        label=_("Dato for vedtaket"),
        required=False,
        input_formats=DATE_FORMATS,
        widget=DateInput(),
        error_messages={"invalid": _("Skriv datoen som dd.mm.åååå.")},
    )
    commitment = forms.BooleanField(
        label=_("Kommunegruppen forplikter seg til å delta på alle samlingene og i mellomarbeidet"),
        required=False,
    )
    version = forms.IntegerField(
        widget=forms.HiddenInput, min_value=0, max_value=2**31 - 1, required=False, label=_("Versjon")
    )


class GroupMemberForm(forms.Form):
    name = forms.CharField(label=_("Navn"), max_length=200)
    email = forms.EmailField(label=_("E-post"), max_length=254)
    phone = forms.CharField(label=_("Telefon"), max_length=40, required=False)
    sector = forms.ChoiceField(
        label=_("Sektor/rolle"),
        choices=[("", _("Velg sektor"))] + list(Sector.choices),
        error_messages={"invalid_choice": _("Velg en sektor fra listen.")},
    )
    role_title = forms.CharField(label=_("Stilling"), max_length=200, required=False)
    is_coordinator = forms.BooleanField(label=_("Koordinator for kommunegruppen"), required=False)

    def __init__(self, *args, current_coordinator=None, **kwargs):
        super().__init__(*args, **kwargs)
        if current_coordinator is not None:
            # naming a new coordinator demotes the present one: say so before it happens
            self.fields["is_coordinator"].help_text = _(
                "Gruppen har én koordinator. Nå er det %(name)s; krysser du av her, blir %(name)s vanlig medlem."
            ) % {"name": current_coordinator.name}

    @classmethod
    def initial_from(cls, member) -> dict:
        """A stored member, proposed in an application or in the group, as the form's starting values."""
        return {k: getattr(member, k) for k in member.FIELDS}


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("Vedlegg"),
        help_text=_("PDF, Word, Excel, PowerPoint eller OpenDocument, høyst 10 MB."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".pdf,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.odt,.ods,.odp"}
        ),
    )


class RecommendationForm(forms.Form):
    recommendation = forms.CharField(
        label=_("Anbefaling"), required=False, max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 5})
    )
    recommendation_priority = forms.IntegerField(
        label=_("Prioritet (1 er høyest)"),
        required=False,
        min_value=1,
        max_value=999,
        help_text=_("Samme tall på flere søknader betyr at dere rangerer dem likt."),
    )


class JuryMemberForm(forms.Form):
    email = forms.EmailField(label=_("E-post"), max_length=254)
    full_name = forms.CharField(
        label=_("Navn"),
        max_length=200,
        required=False,
        help_text=_("Trengs bare for personer som ikke har konto."),
    )


class JuryAssignmentForm(forms.Form):
    applications = IdModelMultipleChoiceField(
        label=_("Søknader"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    review_deadline = forms.DateField(
        label=_("Frist for vurderingene"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_(
            "Gjelder hele juryen i dette regionale programmet, til og med kl. 23:59. Jurymedlemmet får "
            "en e-post med søknadene og fristen."
        ),
    )

    def clean_review_deadline(self):
        from programs.timing import deadline_from_date

        day = self.cleaned_data.get("review_deadline")
        return deadline_from_date(day) if day else None

    def __init__(self, *args, applications, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applications"].queryset = applications
        self.fields["applications"].label_from_instance = lambda a: a.municipality.name
        self.fields["applications"].error_messages["invalid_choice"] = _("Velg søknader fra listen.")
        self.fields["applications"].error_messages["invalid_pk_value"] = _("Velg søknader fra listen.")


class ConflictForm(forms.Form):
    has_conflict = forms.TypedChoiceField(
        label=_("Er du inhabil i denne søknaden?"),
        choices=[("nei", _("Nei, jeg er ikke inhabil")), ("ja", _("Ja, jeg er inhabil"))],
        coerce=lambda v: v == "ja",
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Velg ja eller nei."), "required": _("Velg ja eller nei.")},
    )
    conflict_note = forms.CharField(label=_("Begrunnelse (hvis inhabil)"), required=False, max_length=500)


SCORE_CHOICES = [("", _("Ikke satt"))] + [(str(i), str(i)) for i in range(1, 6)]
# The id of the scale's legend on the review page («1 = svakt, 5 = svært godt»), which every score field names.
SCORE_SCALE_ID = "score-scale"


class _ScoreBoundField(forms.BoundField):
    """A score field is described by the page's scale legend as well as its own help text (and errors)."""

    @property
    def aria_describedby(self):
        return " ".join(filter(None, [SCORE_SCALE_ID, super().aria_describedby]))


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label=_("Kommentar"), required=False, max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        fields = {}
        for criterion in self.criteria:
            fields[f"criterion_{criterion.pk}"] = forms.TypedChoiceField(
                label=_("%(name)s (vekt %(weight)s)") % {"name": criterion.name, "weight": criterion.weight},
                help_text=criterion.description,
                choices=SCORE_CHOICES,
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
                bound_field_class=_ScoreBoundField,
                error_messages={"invalid_choice": _("Velg poeng fra 1 til 5.")},
            )
        comment = self.fields.pop("comment")
        self.fields.update(fields)
        self.fields["comment"] = comment

    def scores(self) -> dict[int, int | None]:
        return {c.pk: self.cleaned_data.get(f"criterion_{c.pk}") for c in self.criteria}


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Vedtak"),
        choices=DecisionOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Velg et gyldig vedtak.")},
    )
    confirm_over_capacity = forms.BooleanField(
        label=_("Jeg bekrefter opptak utover antall plasser"), required=False
    )
    confirm_before_deadline = forms.BooleanField(
        label=_("Jeg vil fatte vedtak før søknadsfristen er ute"), required=False
    )

    def __init__(self, *args, places: int | None = None, before_deadline: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        # Without a number of places there is no capacity to go beyond.
        if places is None:
            del self.fields["confirm_over_capacity"]
        if not before_deadline:
            del self.fields["confirm_before_deadline"]


class LetterTemplateForm(forms.Form):
    subject = forms.CharField(label=_("Emne"), max_length=300)
    body = forms.CharField(
        label=_("Brevtekst"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Du kan bruke {kommune}, {regionalt_program} og {programperiode}."),
    )


class ApplicationFilterForm(forms.Form):
    """The list's filter. The editions and regional programmes are given as (id, name) choices, read once by the
    view for the options it writes: no second read of the programmes to check the chosen one. A chosen id comes
    back as an int."""

    # The newest edition unless the person chooses another or all (empty value): years of editions add up.
    edition = forms.TypedChoiceField(
        label=_("Programperiode"),
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": _("Velg en programperiode fra listen.")},
        widget=QuickSelect(attrs={"class": "form-select"}),
    )
    program = forms.TypedChoiceField(
        label=_("Regionalt program"),
        coerce=int,
        empty_value=None,
        required=False,
        error_messages={"invalid_choice": _("Velg et regionalt program fra listen.")},
        widget=QuickSelect,
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Alle"))] + list(ApplicationStatus.choices),
        error_messages={"invalid_choice": _("Velg en status fra listen.")},
        widget=QuickSelect(attrs={"class": "form-select"}),
    )
    q = forms.CharField(
        label=_("Kommune"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"class": "form-control", "type": "search", "placeholder": _("Søk på navn")}
        ),
    )

    def __init__(self, *args, programs: list[tuple[int, str]], editions: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["program"]).choices = [("", _("Alle")), *programs]
        cast(forms.ChoiceField, self.fields["edition"]).choices = [("", _("Alle")), *editions]
