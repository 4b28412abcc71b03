"""Forms of the gatherings app. Times are Europe/Oslo (the site's time zone)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.fields import IdModelChoiceField
from programs.forms import DATE_WIDGET, LongTextLimits
from programs.models import Sector

from .models import GatheringKind, RegistrationStatus, number_prefix_removed

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateTimeLocalField(forms.DateTimeField):
    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT)

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", [DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"])
        super().__init__(**kwargs)

    def to_python(self, value):
        result = super().to_python(value)
        if result is not None and not (2000 <= result.year <= 2100):
            raise forms.ValidationError(_("Sjekk årstallet."))
        return result


def _sector_choices():
    return Sector.choices


class SemesterForm(forms.Form):
    name = forms.CharField(label=_("Navn"), max_length=40, help_text=_("F.eks. «høst 2026»"))
    starts_on = forms.DateField(label=_("Første dag"), widget=DATE_WIDGET)
    ends_on = forms.DateField(label=_("Siste dag"), widget=DATE_WIDGET)


GATHERING_END_ERROR = _("Samlingen må slutte etter at den starter.")
BETWEEN_WORK_DUE_ERROR = _("Fristen for mellomarbeidet må være etter at samlingen er slutt.")
PLACE_ERROR = _("Oppgi sted og adresse, eller en videolenke.")
PAST_START_ERROR = _("Samlingen kan ikke legges inn med en tid som har vært. Sjekk datoen.")


class GatheringForm(LongTextLimits):
    kind = forms.ChoiceField(label=_("Type"), choices=GatheringKind.choices)
    number = forms.IntegerField(
        label=_("Samling nr. (1–6)"),
        min_value=1,
        max_value=6,
        required=False,
        help_text=_("Bare for samlingene 1–6."),
    )
    semester = IdModelChoiceField(
        label=_("Semester"),
        queryset=None,
        required=False,
        help_text=_(
            "Flytter du samlingen uten å velge nytt semester, følger den datoen til semesteret som dekker den. "
            "Finnes det ikke, får du en advarsel."
        ),
    )
    title = forms.CharField(
        label=_("Tittel"),
        max_length=200,
        help_text=_(
            "Samlingene 1–6 får «Samling nr.:» foran tittelen av seg selv, f.eks. «Samling 4: Medvirkning»."
        ),
    )
    theme = forms.CharField(label=_("Tema"), max_length=300, required=False)
    starts_at = DateTimeLocalField(label=_("Starter"))
    ends_at = DateTimeLocalField(label=_("Slutter"))
    venue = forms.CharField(label=_("Sted"), max_length=200, required=False)
    address = forms.CharField(label=_("Adresse"), max_length=300, required=False)
    video_link = forms.URLField(label=_("Videolenke"), max_length=500, required=False, assume_scheme="https")
    host_municipality = IdModelChoiceField(label=_("Vertskommune"), queryset=None, required=False)
    capacity = forms.IntegerField(
        label=_("Antall plasser"), min_value=1, required=False, help_text=_("Tomt betyr ingen grense.")
    )
    registration_deadline = DateTimeLocalField(label=_("Påmeldingsfrist"), required=False)
    preparation = forms.CharField(
        label=_("Forberedelser"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=20000,
        required=False,
        help_text=_("Det deltakerne skal lese, gjøre eller tenke over før samlingen. Lenker blir klikkbare."),
    )
    between_work = forms.CharField(
        label=_("Mellomarbeid etter samlingen"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=20000,
        required=False,
    )
    between_work_due = DateTimeLocalField(label=_("Frist for mellomarbeidet"), required=False)

    def __init__(
        self, *args, semesters, municipalities, with_reason: bool = False, new: bool = False, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.new = new
        self.fields["semester"].queryset = semesters
        self.fields["host_municipality"].queryset = municipalities
        if with_reason:
            self.fields["reason"] = forms.CharField(
                label=_("Begrunnelse for endring av tid eller sted"),
                required=False,
                max_length=1000,
                widget=forms.Textarea(attrs={"rows": 2}),
                # required only when time or place changes (the service decides), so no «*»: the help says when
                help_text=_(
                    "Må fylles ut når du endrer tid eller sted. Står i meldingen til alle påmeldte og inviterte."
                ),
            )

    def clean(self):
        """The rules between fields, checked also when another field has an error, so everything to fix shows
        in one round (the service checks them again)."""
        data = super().clean()
        starts, ends, due = data.get("starts_at"), data.get("ends_at"), data.get("between_work_due")
        if starts and ends and ends <= starts and "ends_at" not in self.errors:
            self.add_error("ends_at", GATHERING_END_ERROR)
        if due and ends and due < ends and "between_work_due" not in self.errors:
            self.add_error("between_work_due", BETWEEN_WORK_DUE_ERROR)
        title, number = data.get("title"), data.get("number")
        if title and number and data.get("kind") == GatheringKind.GATHERING:
            # «Samling 4: Ekstra» for number 4 would show as «Samling 4: Samling 4: Ekstra»; «Samling 4» alone is
            # kept (a title is required) and shows once (`Gathering.display_title`)
            data["title"] = number_prefix_removed(title, number) or title
        if self.new and starts and starts < timezone.now() and "starts_at" not in self.errors:
            self.add_error("starts_at", PAST_START_ERROR)
        # a video link with an error was typed: its own error says what to fix
        place = (
            any(data.get(name) for name in ("venue", "address", "video_link")) or "video_link" in self.errors
        )
        if not place and "venue" not in self.errors:
            self.add_error("venue", PLACE_ERROR)
        return data

    def service_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "reason"}
        for name in ("theme", "venue", "address", "video_link", "preparation", "between_work"):
            data[name] = data.get(name) or ""
        return data


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Hvorfor avlyses samlingen?"),
        max_length=1000,
        error_messages={
            "max_length": _("Begrunnelsen kan være høyst %(limit_value)d tegn (nå %(show_value)d)."),
            "required": _("Skriv hvorfor samlingen avlyses; det står i meldingen."),
        },
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Står i meldingen til alle påmeldte og inviterte."),
    )


ANSWER_CHOICES = [
    ("", _("Ikke svart")),
    (RegistrationStatus.ATTENDING, _("Kommer")),
    (RegistrationStatus.NOT_ATTENDING, _("Kommer ikke")),
]


class GroupRegistrationForm(forms.Form):
    """One row per member: answer, dietary needs, accessibility needs."""

    def __init__(self, *args, members, registrations, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = members
        for m in members:
            reg = registrations.get(m.pk)
            status = ""
            if reg is not None:
                status = (
                    RegistrationStatus.ATTENDING
                    if reg.status == RegistrationStatus.WAITLISTED
                    else reg.status
                )
            self.fields[f"status_{m.pk}"] = forms.ChoiceField(
                label=_("Svar for %(name)s") % {"name": m.name},
                choices=ANSWER_CHOICES,
                required=False,
                initial=status,
                widget=forms.RadioSelect,
            )
            # stored needs are never shown here (leadership only); a new text replaces them
            hint = _("Skriv nytt for å endre") if reg is not None and reg.has_needs else ""
            self.fields[f"dietary_{m.pk}"] = forms.CharField(
                label=_("Allergier og kosthold"),
                max_length=500,
                required=False,
                widget=forms.TextInput(attrs={"placeholder": hint} if hint else {}),
            )
            self.fields[f"access_{m.pk}"] = forms.CharField(
                label=_("Tilrettelegging"),
                max_length=500,
                required=False,
                widget=forms.TextInput(attrs={"placeholder": hint} if hint else {}),
            )
            if reg is not None and reg.has_needs:
                self.fields[f"clear_{m.pk}"] = forms.BooleanField(
                    label=_("Fjern det som er registrert av allergier og tilrettelegging for %(name)s")
                    % {"name": m.name},
                    required=False,
                )

    def clean(self):
        # Needs are kept only for those who come (the service removes them otherwise): a text typed for anyone
        # else would vanish without a word, so it is refused at the field and stays in the form.
        cleaned = super().clean()
        for m in self.members:
            if cleaned.get(f"status_{m.pk}") == RegistrationStatus.ATTENDING:
                continue
            for name in (f"dietary_{m.pk}", f"access_{m.pk}"):
                if (cleaned.get(name) or "").strip():
                    self.add_error(
                        name,
                        _("Lagres bare for dem som kommer. Velg «Kommer» for %(name)s, eller fjern teksten.")
                        % {"name": m.name},
                    )
                    self.fields[name].widget.attrs.update(
                        {"aria-invalid": "true", "aria-describedby": f"id_{name}_error"}
                    )
        return cleaned

    def rows(self):
        for m in self.members:
            yield m, self[f"status_{m.pk}"], self[f"dietary_{m.pk}"], self[f"access_{m.pk}"]

    def clear_field(self, member):
        return self[f"clear_{member.pk}"] if f"clear_{member.pk}" in self.fields else None

    def answers(self):
        from .services import Answer

        return [
            Answer(
                member=m,
                status=self.cleaned_data.get(f"status_{m.pk}") or "",
                dietary_needs=self.cleaned_data.get(f"dietary_{m.pk}") or "",
                accessibility_needs=self.cleaned_data.get(f"access_{m.pk}") or "",
                clear_needs=bool(self.cleaned_data.get(f"clear_{m.pk}")),
            )
            for m in self.members
        ]


class GroupMemberForm(forms.Form):
    name = forms.CharField(label=_("Navn"), max_length=200)
    email = forms.EmailField(label=_("E-post"), required=False)
    phone = forms.CharField(label=_("Telefon"), max_length=40, required=False)
    sector = forms.ChoiceField(label=_("Sektor/rolle"), choices=())
    role_title = forms.CharField(label=_("Stilling"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].choices = _sector_choices()


class PreRegistrationForm(forms.Form):
    municipality = IdModelChoiceField(label=_("Kommune"), queryset=None)
    name = forms.CharField(label=_("Navn"), max_length=200)
    email = forms.EmailField(label=_("E-post"), required=False)
    sector = forms.ChoiceField(label=_("Sektor/rolle"), choices=())
    dietary_needs = forms.CharField(label=_("Allergier og kosthold"), max_length=500, required=False)
    accessibility_needs = forms.CharField(label=_("Tilrettelegging"), max_length=500, required=False)

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities
        self.fields["sector"].choices = _sector_choices()


class HandInForm(LongTextLimits):
    done = forms.CharField(
        label=_("Gjort – hva har dere gjort?"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=20000,
        required=False,
    )
    learned = forms.CharField(
        label=_("Lært – hva har dere lært?"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=20000,
        required=False,
    )
    next_steps = forms.CharField(
        label=_("Lurt – hva er lurt å gjøre videre?"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=20000,
        required=False,
    )
    shared_with_region = forms.BooleanField(
        label=_("Del med de andre kommunene i regionen"),
        required=False,
        help_text=_("De andre kommunegruppene i regionen kan da lese det dere har levert."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class FileForm(forms.Form):
    file = forms.FileField(label=_("Fil"))
