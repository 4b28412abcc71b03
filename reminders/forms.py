from django import forms
from django.utils.translation import gettext_lazy as _

from .occasions import unknown_placeholders


class OccasionSettingForm(forms.Form):
    offsets_days = forms.CharField(
        label=_("Dager før fristen"),
        max_length=100,
        help_text=_(
            "Hele tall skilt med komma, f.eks. «14, 3, 1». Påminnelsen går kl. 08.00 norsk tid den dagen."
        ),
    )
    subject_override = forms.CharField(
        label=_("Eget emne (valgfritt)"),
        max_length=200,
        required=False,
        help_text=_("Tomt gir standardemnet. Du kan bruke {navn}, {frist}, {program} og {lenke}."),
    )
    body_override = forms.CharField(
        label=_("Egen innledning (valgfritt)"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Erstatter første avsnitt i e-posten. Lenken og hilsenen står alltid med."),
    )

    def clean_offsets_days(self) -> list[int]:
        raw = self.cleaned_data["offsets_days"]
        parts = [p.strip() for p in raw.replace(";", ",").split(",") if p.strip()]
        if not parts:
            raise forms.ValidationError(_("Oppgi minst ett tall."))
        values = []
        for part in parts:
            if not part.isdigit() or not 0 <= int(part) <= 365:
                raise forms.ValidationError(
                    _("«%(value)s» er ikke et helt tall mellom 0 og 365."), params={"value": part[:20]}
                )
            values.append(int(part))
        if len(set(values)) > 10:
            raise forms.ValidationError(_("Høyst ti påminnelser per frist."))
        return sorted(set(values), reverse=True)

    def _clean_placeholders(self, name: str) -> str:
        text = self.cleaned_data[name]
        unknown = unknown_placeholders(text)
        if unknown:
            raise forms.ValidationError(
                _("Ukjent felt: %(names)s. Bruk {navn}, {frist}, {program} eller {lenke}."),
                params={"names": ", ".join("{" + n + "}" for n in unknown)},
            )
        return text

    def clean_subject_override(self) -> str:
        return self._clean_placeholders("subject_override")

    def clean_body_override(self) -> str:
        return self._clean_placeholders("body_override")
