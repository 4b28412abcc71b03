import re

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from programs.forms import LongTextLimits

from .occasions import Occasion, fields_help, placeholder_errors


class OccasionSettingForm(LongTextLimits):
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
        # help_text: the occasion's own fields, in __init__
    )
    body_override = forms.CharField(
        label=_("Egen innledning (valgfritt)"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Erstatter første avsnitt i e-posten. «Hei» med mottakerens navn står alltid først, og lenken og "
            "hilsenen til slutt, så de trenger du ikke skrive."
        ),
    )

    def __init__(self, *args, occasion: Occasion, with_offsets: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.placeholder_fields = occasion.placeholder_fields()
        self.fields["subject_override"].help_text = gettext(
            "Tomt gir standardemnet. I emnet og innledningen kan du bruke disse feltene: %(fields)s."
        ) % {"fields": fields_help(self.placeholder_fields)}
        if not with_offsets:
            del self.fields["offsets_days"]  # a notice goes when its step happens
        # the one-line fields too: a field error instead of the browser cutting the text at the limit
        for name in ("offsets_days", "subject_override"):
            if name not in self.fields:
                continue
            field = self.fields[name]
            field.widget.attrs.pop("maxlength", None)
            field.error_messages["max_length"] = _(
                "Teksten er for lang: maks %(limit_value)s tegn, du har skrevet %(show_value)s."
            )

    def clean_offsets_days(self) -> list[int]:
        raw = self.cleaned_data["offsets_days"]
        parts = [p.strip() for p in raw.replace(";", ",").split(",") if p.strip()]
        if not parts:
            raise forms.ValidationError(_("Oppgi minst ett tall."))
        values = []
        for part in parts:
            # ASCII digits only: "²" and other Unicode digits pass str.isdigit() but not int()
            if not re.fullmatch(r"[0-9]{1,3}", part) or not 0 <= int(part) <= 365:
                raise forms.ValidationError(
                    _("«%(value)s» er ikke et helt tall mellom 0 og 365."), params={"value": part[:20]}
                )
            values.append(int(part))
        if len(set(values)) > 10:
            raise forms.ValidationError(_("Høyst ti påminnelser per frist."))
        return sorted(set(values), reverse=True)

    def _clean_placeholders(self, name: str) -> str:
        text = self.cleaned_data[name]
        problems = placeholder_errors(text, self.placeholder_fields)
        if problems:
            raise forms.ValidationError(problems)
        return text

    def clean_subject_override(self) -> str:
        return self._clean_placeholders("subject_override")

    def clean_body_override(self) -> str:
        return self._clean_placeholders("body_override")
