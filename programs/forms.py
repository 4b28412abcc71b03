"""Forms for editions, interest registrations, extensions, dialogue meetings and annual-meeting decisions."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from accounts.validators import validate_phone
from core.dates import datetime_display
from core.fields import IdModelChoiceField, IdModelMultipleChoiceField
from municipalities.models import CountyBranch, Municipality

from .models import InterestLevel, Program
from .services.editions import PROGRAM_FIELDS
from .services.interest import REGISTRATION_FIELDS
from .timing import OSLO, deadline_from_date

TEXT_MAX = 4000
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_WIDGET = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


def default_interest_deadline_date(today: dt.date | None = None) -> dt.date:
    """The next 15 September (the deadline of the invitation)."""
    today = today or timezone.localdate()
    year = today.year if today <= dt.date(today.year, 9, 15) else today.year + 1
    return dt.date(year, 9, 15)


PAST_DEADLINE_MESSAGE = _(
    "Den nye fristen er passert. Velg en dato fram i tid; vil du stenge interessemeldingen, "
    "avpubliser programperioden i stedet."
)
SLUG_MESSAGE = _("Kortnavnet kan bare inneholde små bokstaver, tall og bindestrek.")


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", "\u00a0")


class LongTextLimits(forms.Form):
    """Textareas show their limit («Maks 20 000 tegn») and get a field error when it is passed.

    Without this, the browser's maxlength attribute silently cuts pasted text at the limit.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if (
                isinstance(field, forms.CharField)
                and isinstance(field.widget, forms.Textarea)
                and field.max_length
            ):
                field.widget.attrs.pop("maxlength", None)
                limit = _("Maks %(n)s tegn.") % {"n": _thousands(field.max_length)}
                field.help_text = f"{field.help_text} {limit}" if field.help_text else limit
                field.error_messages["max_length"] = _(
                    "Teksten er for lang: maks %(limit_value)s tegn, du har skrevet %(show_value)s."
                )


def name_slug(name: str) -> str:
    """«Regionale program 2028–2030» → «regionale-program-2028-2030»: a dash between words stays a hyphen
    (slugify alone drops the en dash and glues the years together)."""
    for dash in ("\u2013", "\u2014", "\u2012", "\u2212", "/"):
        name = name.replace(dash, "-")
    return slugify(name)[:80].strip("-")


RESERVED_SLUGS = {"ny", "interessemelding", "dialogmoter", "eksport"}


class ProgramForm(LongTextLimits):
    name = forms.CharField(label=_("Navn"), max_length=200)
    slug = forms.SlugField(
        label=_("Kortnavn i lenker"),
        max_length=80,
        required=False,
        error_messages={"invalid": SLUG_MESSAGE},
        help_text=_(
            "Brukes i adressen til den offentlige siden, f.eks. «regionale-program-2026». "
            "Står feltet tomt, lages kortnavnet av navnet."
        ),
    )
    invitation_text = forms.CharField(
        label=_("Invitasjonstekst"),
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=20000,
        required=False,
        help_text=_(
            "Tom linje gir nytt avsnitt. Linjer som starter med «- » blir punktliste, "
            "og linjer som starter med «## » blir mellomtitler."
        ),
    )
    deadline_date = forms.DateField(label=_("Frist for interessemelding (dato)"), widget=DATE_WIDGET)
    deadline_time = forms.TimeField(
        label=_("Klokkeslett for fristen"),
        widget=TIME_WIDGET,
        required=False,
        help_text=_("Norsk tid. Står feltet tomt, gjelder fristen til og med kl. 23:59."),
    )
    start_semester = forms.CharField(label=_("Første semester"), max_length=40, required=False)
    contact_email = forms.EmailField(label=_("Kontaktadresse"), required=False)

    def __init__(self, *args, instance: Program | None = None, **kwargs):
        self.instance = instance
        if instance is not None and "initial" not in kwargs:
            local = timezone.localtime(instance.interest_deadline, OSLO)
            kwargs["initial"] = {
                "name": instance.name,
                "slug": instance.slug,
                "invitation_text": instance.invitation_text,
                "deadline_date": local.date(),
                "deadline_time": local.time().replace(second=0, microsecond=0),
                "start_semester": instance.start_semester,
                "contact_email": instance.contact_email,
            }
        elif "initial" not in kwargs:
            kwargs["initial"] = {
                "deadline_date": default_interest_deadline_date(),
                "deadline_time": dt.time(23, 59),
            }
        super().__init__(*args, **kwargs)

    def clean_slug(self):
        slug = (self.cleaned_data.get("slug") or "").lower()
        if not slug:
            # Prefill from the name: «Regionale program 2026» → «regionale-program-2026».
            slug = name_slug(self.cleaned_data.get("name") or "")
            if not slug:
                if self.cleaned_data.get("name"):
                    raise forms.ValidationError(_("Skriv et kortnavn: navnet gir ikke et brukbart kortnavn."))
                return ""
        elif slug != slugify(slug):
            raise forms.ValidationError(SLUG_MESSAGE)
        if slug in RESERVED_SLUGS or slug.isdigit():
            raise forms.ValidationError(_("Dette kortnavnet er reservert. Velg et annet."))
        qs = Program.objects.filter(slug=slug)
        if self.instance is not None:
            qs = qs.exclude(pk=self.instance.pk)
        if qs.exists():
            raise forms.ValidationError(_("En annen programperiode bruker allerede dette kortnavnet."))
        return slug

    def clean(self):
        data = super().clean()
        day = data.get("deadline_date")
        if day is not None:
            if not 2000 <= day.year <= 2100:
                self.add_error("deadline_date", _("Oppgi et årstall mellom 2000 og 2100."))
            else:
                data["interest_deadline"] = deadline_from_date(
                    day, data.get("deadline_time") or dt.time(23, 59)
                )
                if self.instance is None and data["interest_deadline"] <= timezone.now():
                    self.add_error("deadline_date", _("Fristen for en ny programperiode må være fram i tid."))
                elif (
                    self.instance is not None
                    and data["interest_deadline"] != self.instance.interest_deadline
                    and data["interest_deadline"] <= timezone.now()
                ):
                    self.add_error("deadline_date", PAST_DEADLINE_MESSAGE)
        return data

    def service_data(self) -> dict:
        return {k: self.cleaned_data[k] for k in PROGRAM_FIELDS}


class InterestRegistrationForm(LongTextLimits):
    level = forms.ChoiceField(
        label=_("Interesse for å delta"), choices=InterestLevel.choices, widget=forms.RadioSelect
    )
    municipalities = IdModelMultipleChoiceField(
        label=_("Medlemskommuner som forventes å delta"),
        queryset=Municipality.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        help_text=_(
            "Bare medlemskommuner i fylkesavdelingens fylker kan velges. Bruk søkefeltet for å finne dem."
        ),
    )
    contact_name = forms.CharField(label=_("Kontaktperson"), max_length=200)
    contact_email = forms.EmailField(label=_("E-post til kontaktperson"))
    contact_phone = forms.CharField(
        label=_("Telefon til kontaktperson"), max_length=40, required=False, validators=[validate_phone]
    )
    dialogue_meeting_wanted = forms.BooleanField(label=_("Vi ønsker et dialogmøte"), required=False)
    dialogue_meeting_times = forms.CharField(
        label=_("Forslag til tidspunkt for dialogmøte"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=TEXT_MAX,
        required=False,
    )
    dialogue_meeting_topic = forms.CharField(
        label=_("Tema for dialogmøtet"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=TEXT_MAX,
        required=False,
    )
    comment = forms.CharField(
        label=_("Kommentar"), widget=forms.Textarea(attrs={"rows": 4}), max_length=TEXT_MAX, required=False
    )
    version = forms.IntegerField(
        widget=forms.HiddenInput, min_value=0, max_value=2**31 - 1, label=_("Versjon")
    )

    def __init__(self, *args, branch: CountyBranch, **kwargs):
        super().__init__(*args, **kwargs)
        from .selectors import branch_member_municipalities

        self.fields["municipalities"].queryset = branch_member_municipalities(branch=branch)

    def clean(self):
        data = super().clean()
        if data.get("dialogue_meeting_wanted") and not (
            data.get("dialogue_meeting_times") or data.get("dialogue_meeting_topic")
        ):
            self.add_error(
                "dialogue_meeting_topic", _("Skriv kort hva dere vil snakke om, eller foreslå tidspunkter.")
            )
        return data

    def service_data(self) -> dict:
        return {k: self.cleaned_data[k] for k in REGISTRATION_FIELDS}


EXTENSION_MAX = dt.timedelta(days=365)


def extension_error(*, program: Program, deadline: dt.datetime) -> str | None:
    """Why `deadline` cannot be a branch's extended interest deadline, or None when it can."""
    if deadline <= program.interest_deadline:
        return _("Den nye fristen må være etter programperiodens frist (%(when)s).") % {
            "when": datetime_display(program.interest_deadline)
        }
    if deadline > program.interest_deadline + EXTENSION_MAX:
        return _("Den nye fristen kan være høyst ett år etter programperiodens frist.")
    return None


class DeadlineExtensionForm(LongTextLimits):
    deadline_date = forms.DateField(
        label=_("Ny frist (dato)"),
        widget=DATE_WIDGET,
        help_text=_("Etter programperiodens frist, og høyst ett år senere."),
    )
    deadline_time = forms.TimeField(label=_("Klokkeslett"), widget=TIME_WIDGET, required=False)

    def __init__(self, *args, program: Program | None = None, **kwargs):
        self.program = program
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        day = data.get("deadline_date")
        if day is not None:
            if not 2000 <= day.year <= 2100:
                self.add_error("deadline_date", _("Oppgi et årstall mellom 2000 og 2100."))
            else:
                data["deadline"] = deadline_from_date(day, data.get("deadline_time") or dt.time(23, 59))
                error = self.program and extension_error(program=self.program, deadline=data["deadline"])
                if error:
                    self.add_error("deadline_date", error)
        return data


class DialogueMeetingRequestForm(LongTextLimits):
    topic = forms.CharField(
        label=_("Hva vil dere snakke om?"), widget=forms.Textarea(attrs={"rows": 3}), max_length=TEXT_MAX
    )
    suggested_times = forms.CharField(
        label=_("Forslag til tidspunkt"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=TEXT_MAX,
        required=False,
    )


class DialogueMeetingRequestOnBehalfForm(DialogueMeetingRequestForm):
    branch = IdModelChoiceField(
        label=_("Fylkesavdeling"),
        queryset=CountyBranch.objects.filter(is_active=True).order_by("name"),
        required=False,
        empty_label=_("Ingen – en annen aktør"),
    )
    requester_name = forms.CharField(
        label=_("Annen aktør (kommune, samarbeidspart)"), max_length=200, required=False
    )
    field_order = ["branch", "requester_name", "topic", "suggested_times"]

    def clean(self):
        data = super().clean()
        if not data.get("branch") and not (data.get("requester_name") or "").strip():
            self.add_error("requester_name", _("Velg en fylkesavdeling eller skriv hvem som ønsker møtet."))
        return data


PAST_MEETING_MESSAGE = _("Dialogmøtet må være fram i tid. Velg en dato og et klokkeslett som ikke har vært.")


class DialogueMeetingScheduleForm(LongTextLimits):
    date = forms.DateField(label=_("Dato"), widget=DATE_WIDGET, help_text=_("Norsk tid. Må være fram i tid."))
    time = forms.TimeField(label=_("Klokkeslett"), widget=TIME_WIDGET)
    duration_minutes = forms.IntegerField(
        label=_("Varighet (minutter)"), min_value=15, max_value=600, initial=60
    )
    location = forms.CharField(label=_("Sted"), max_length=300, required=False)
    video_link = forms.URLField(label=_("Videolenke"), max_length=500, required=False, assume_scheme="https")
    participants = forms.CharField(
        label=_("Deltakere"), widget=forms.Textarea(attrs={"rows": 3}), max_length=TEXT_MAX, required=False
    )

    def __init__(self, *args, current_starts_at: dt.datetime | None = None, **kwargs):
        # A meeting that has already taken place may still get its notes (participants) corrected.
        self.current_starts_at = current_starts_at
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        day, at = data.get("date"), data.get("time")
        if day is not None and at is not None:
            if not 2000 <= day.year <= 2100:
                self.add_error("date", _("Oppgi et årstall mellom 2000 og 2100."))
            else:
                data["starts_at"] = dt.datetime.combine(day, at, tzinfo=OSLO)
                if data["starts_at"] <= timezone.now() and data["starts_at"] != self.current_starts_at:
                    self.add_error("date", PAST_MEETING_MESSAGE)
        if not data.get("location") and not data.get("video_link"):
            self.add_error("location", _("Oppgi sted eller videolenke."))
        return data


class AnnualMeetingDecisionForm(LongTextLimits):
    meeting_date = forms.DateField(label=_("Dato for fylkesårsmøtet"), widget=DATE_WIDGET)
    participates = forms.TypedChoiceField(
        label=_("Årsmøtets vedtak"),
        choices=[("true", _("Fylkesavdelingen deltar")), ("false", _("Fylkesavdelingen deltar ikke"))],
        coerce=lambda v: v == "true",
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Kommentar"), widget=forms.Textarea(attrs={"rows": 3}), max_length=TEXT_MAX, required=False
    )

    def clean_meeting_date(self):
        day = self.cleaned_data["meeting_date"]
        if not 2000 <= day.year <= 2100:
            raise forms.ValidationError(_("Oppgi et årstall mellom 2000 og 2100."))
        return day


class RegionalProgramForm(LongTextLimits):
    name = forms.CharField(label=_("Navn på det regionale programmet"), max_length=200)
    branches = IdModelMultipleChoiceField(
        label=_("Fylkesavdelinger"),
        queryset=CountyBranch.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Én fylkesavdeling, eller flere sammen som én region."),
    )

    def __init__(self, *args, branches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branches"].queryset = branches
