"""Forms for agreements, the region's advisor assignment, sessions and the development plan."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.validators import validate_phone
from core.dates import date_display, datetime_display
from core.fields import IdModelChoiceField, IdModelMultipleChoiceField
from programs.forms import DATE_WIDGET, TIME_WIDGET, LongTextLimits
from programs.timing import OSLO

from .models import DevelopmentPlanRevision, SessionForm, Theme

TEXT_MAX = 10000
DATE_INVALID = _("Datoen finnes ikke. Skriv en dato som finnes, f.eks. 28.02.2027.")


class AdvisorChoiceField(IdModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name()


class AgreementForm(LongTextLimits):
    advisors = AdvisorChoiceField(
        label=_("Veiledere"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    agreed_hours = forms.DecimalField(
        label=_("Avtalte timer (rammen)"),
        min_value=Decimal("0"),
        max_value=Decimal("9999"),
        decimal_places=1,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    starts_on = forms.DateField(label=_("Gjelder fra"), widget=DATE_WIDGET)
    ends_on = forms.DateField(label=_("Gjelder til"), widget=DATE_WIDGET)
    focus_themes = forms.MultipleChoiceField(
        label=_("Tema i avtalen"), choices=Theme.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    agreement_text = forms.CharField(
        label=_("Avtaletekst"), widget=forms.Textarea(attrs={"rows": 6}), max_length=TEXT_MAX, required=False
    )
    municipal_contact_name = forms.CharField(
        label=_("Kontaktperson i kommunen"), max_length=200, required=False
    )
    municipal_contact_email = forms.EmailField(
        label=_("E-post til kontaktpersonen i kommunen"), required=False
    )
    municipal_contact_phone = forms.CharField(
        label=_("Telefon til kontaktpersonen i kommunen"),
        max_length=40,
        required=False,
        validators=[validate_phone],
    )
    council_contact_name = forms.CharField(
        label=_("Kontaktperson i Norsk kulturskoleråd"), max_length=200, required=False
    )
    council_contact_email = forms.EmailField(
        label=_("E-post til kontaktpersonen i Norsk kulturskoleråd"), required=False
    )
    remind_coordinator = forms.BooleanField(
        label=_("Send koordinatoren påminnelse med kalenderoppføring før neste møte"), required=False
    )

    def __init__(self, *args, advisors_qs, instance=None, **kwargs):
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "advisors": list(instance.advisors.all()),
                **{name: getattr(instance, name) for name in self.base_fields if name != "advisors"},
            }
        super().__init__(*args, **kwargs)
        self.fields["advisors"].queryset = advisors_qs

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("Perioden må slutte etter at den begynner."))
        if data.get("agreed_hours") and not data.get("advisors") and "advisors" not in self.errors:
            self.add_error("advisors", _("Velg minst én veileder når kommunen får timer."))
        return data

    def service_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "advisors"}


class AgreementCreateForm(AgreementForm):
    municipality = IdModelChoiceField(label=_("Kommune"), queryset=None)

    field_order = ["municipality"]

    def __init__(self, *args, municipalities_qs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities_qs


class DeclineForm(forms.Form):
    declined_on = forms.DateField(label=_("Dato kommunen takket nei"), widget=DATE_WIDGET)
    note = forms.CharField(
        label=_("Merknad"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, required=False
    )


class RegionPeriodForm(forms.Form):
    starts_on = forms.DateField(label=_("Nye avtaler gjelder fra"), widget=DATE_WIDGET, required=False)
    ends_on = forms.DateField(label=_("Nye avtaler gjelder til"), widget=DATE_WIDGET, required=False)
    add_municipality = IdModelChoiceField(
        label=_("Legg til kommune"), queryset=None, required=False, empty_label=_("Velg kommune")
    )

    def __init__(self, *args, addable_qs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["add_municipality"].queryset = addable_qs

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("Perioden må slutte etter at den begynner."))
        return data


class MemberChoiceField(IdModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.get_sector_display()})" if getattr(obj, "sector", "") else obj.name


class SessionLogForm(LongTextLimits):
    held_on = forms.DateField(label=_("Dato"), widget=DATE_WIDGET, error_messages={"invalid": DATE_INVALID})
    duration_minutes = forms.IntegerField(
        label=_("Varighet i minutter"),
        min_value=1,
        max_value=24 * 60,
        help_text=_("F.eks. 90 for halvannen time."),
        error_messages={
            "invalid": _("Skriv varigheten i hele minutter, f.eks. 90."),
            "min_value": _("Varigheten må være minst 1 minutt."),
            "max_value": _("Varigheten kan være høyst 1440 minutter (et døgn)."),
        },
    )
    form = forms.ChoiceField(label=_("Form"), choices=SessionForm.choices, widget=forms.RadioSelect)
    themes = forms.MultipleChoiceField(
        label=_("Tema"),
        choices=Theme.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Velg ett eller flere. Møtets tid fordeles likt på temaene i oversikten over timer per tema."
        ),
    )
    participants = MemberChoiceField(
        label=_("Deltakere fra kommunegruppen"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other_participants = forms.CharField(
        label=_("Andre deltakere"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
        help_text=_("Navn og rolle, én per linje."),
    )
    summary = forms.CharField(
        label=_("Oppsummering"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=TEXT_MAX,
        help_text=_("Deles med kommunen."),
    )
    next_steps = forms.CharField(
        label=_("Avtalte neste steg"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=TEXT_MAX,
        required=False,
        help_text=_("Deles med kommunen."),
    )
    internal_note = forms.CharField(
        label=_("Internt notat"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=TEXT_MAX,
        required=False,
        help_text=_("Bare veiledere og programledelsen ser dette. Kommunen ser det aldri."),
    )
    next_date = forms.DateField(
        label=_("Neste møte, dato"),
        widget=DATE_WIDGET,
        required=False,
        error_messages={"invalid": DATE_INVALID},
    )
    next_time = forms.TimeField(label=_("Neste møte, klokkeslett"), widget=TIME_WIDGET, required=False)
    # Only when a meeting is booked (see __init__): leaving the fields empty keeps it, removing it is a choice.
    cancel_booked_next = forms.BooleanField(required=False)
    plan_revision = IdModelChoiceField(
        label=_("Knyttet til utviklingsplanen"),
        queryset=DevelopmentPlanRevision.objects.none(),
        required=False,
        empty_label=_("Ikke knyttet til planen"),
    )

    def __init__(
        self, *args, members_qs, revisions_qs=None, booked_next: dt.datetime | None = None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = members_qs
        # the date picker offers no day after today (the rule itself is in the service: held_on_check)
        self.fields["held_on"].widget.attrs["max"] = timezone.localdate(timezone=OSLO).isoformat()
        if booked_next is None:
            del self.fields["cancel_booked_next"]
        else:
            when = datetime_display(booked_next)
            self.fields["next_date"].help_text = _(
                "Neste møte er avtalt %(when)s – la feltene stå tomme for å beholde det. Fører du selve det "
                "møtet (eller et senere), skriv inn når dere møtes neste gang."
            ) % {"when": when}
            self.fields["cancel_booked_next"].label = _(
                "Møtet %(when)s er avlyst: fjern det uten å avtale et nytt"
            ) % {"when": when}
        if revisions_qs is not None:
            self.fields["plan_revision"].queryset = revisions_qs
            self.fields["plan_revision"].label_from_instance = lambda r: str(
                _("Versjon %(n)s, %(date)s") % {"n": r.number, "date": date_display(r.created_at)}
            )

    @classmethod
    def initial_from(cls, session) -> dict:
        next_local = session.next_session_at.astimezone(OSLO) if session.next_session_at else None
        initial = {
            "held_on": session.held_on,
            "duration_minutes": session.duration_minutes,
            "form": session.form,
            "themes": [r.theme for r in session.theme_rows.all()],
            "other_participants": session.other_participants,
            "summary": session.summary,
            "next_steps": session.next_steps,
            "internal_note": session.internal_note,
            "next_date": next_local.date() if next_local else None,
            "next_time": next_local.time().replace(second=0, microsecond=0) if next_local else None,
            "plan_revision": session.plan_revision_id,
        }
        initial["participants"] = list(session.participants.all())
        return initial

    def clean_held_on(self):
        from .services.sessions import held_on_check

        held_on = self.cleaned_data["held_on"]
        held_on_check(held_on)
        return held_on

    def clean(self):
        data = super().clean()
        if data.get("next_time") and not data.get("next_date") and "next_date" not in self.errors:
            self.add_error("next_date", _("Oppgi datoen for neste møte."))
        if data.get("cancel_booked_next") and data.get("next_date"):
            self.add_error(
                "cancel_booked_next",
                _(
                    "Et nytt neste møte erstatter det avtalte: la dette stå tomt, eller tøm feltene for neste møte."
                ),
            )
        return data

    def next_session_at(self) -> dt.datetime | None:
        day = self.cleaned_data.get("next_date")
        if not day:
            return None
        time = self.cleaned_data.get("next_time") or dt.time(9, 0)
        return dt.datetime.combine(day, time, tzinfo=OSLO)

    def service_kwargs(self) -> dict:
        d = self.cleaned_data
        extra = {"cancel_booked_next": d["cancel_booked_next"]} if "cancel_booked_next" in self.fields else {}
        return {
            **extra,
            "data": {
                "held_on": d["held_on"],
                "duration_minutes": d["duration_minutes"],
                "form": d["form"],
                "other_participants": d.get("other_participants", ""),
                "summary": d["summary"],
                "next_steps": d.get("next_steps", ""),
                "next_session_at": self.next_session_at(),
                "plan_revision": d.get("plan_revision"),
            },
            "themes": d["themes"],
            "participants": list(d["participants"]),
            "internal_note": d.get("internal_note", ""),
        }


class PlanRevisionForm(LongTextLimits):
    where_we_are = forms.CharField(
        label=_("Hvor er vi?"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=TEXT_MAX,
        help_text=_("Slik ser det ut i dag."),
    )
    where_we_want_to_go = forms.CharField(
        label=_("Hvor vil vi?"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=TEXT_MAX,
        help_text=_("Slik ser det ut i ønsket situasjon."),
    )
    how_we_get_there = forms.CharField(
        label=_("Hvordan kommer vi oss dit?"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=TEXT_MAX,
        help_text=_("Hvilke tiltak, hos hvem, på hvilke nivåer."),
    )
    development_areas = forms.CharField(
        label=_("Utviklingsområder"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=TEXT_MAX,
        required=False,
    )
    effect_goals = forms.CharField(
        label=_("Effektmål"), widget=forms.Textarea(attrs={"rows": 3}), max_length=TEXT_MAX, required=False
    )
    change_note = forms.CharField(label=_("Hva er endret i denne versjonen?"), max_length=300, required=False)


class PlanCommentForm(forms.Form):
    text = forms.CharField(label=_("Kommentar"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
