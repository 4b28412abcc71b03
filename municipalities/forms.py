from django import forms
from django.utils.translation import gettext_lazy as _

from core.widgets import QuickSelect

from .models import County, CountyBranch


class _ObjectChoiceField(forms.ChoiceField):
    """A choice among objects the view has already loaded, so rendering the form runs no query."""

    widget = QuickSelect

    def __init__(self, *, objects, empty_label=None, **kwargs):
        self.objects = {str(obj.pk): obj for obj in objects}
        choices = [(key, str(obj)) for key, obj in self.objects.items()]
        if empty_label is not None:
            choices.insert(0, ("", empty_label))
        super().__init__(choices=choices, **kwargs)

    def clean(self, value):
        key = super().clean(value)
        return self.objects.get(key) if key else None


class _ObjectMultipleChoiceField(forms.MultipleChoiceField):
    """Several objects among those the view has already loaded (no query when rendering)."""

    def __init__(self, *, objects, label_from=str, **kwargs):
        self.objects = {str(obj.pk): obj for obj in objects}
        super().__init__(choices=[(k, label_from(o)) for k, o in self.objects.items()], **kwargs)

    def clean(self, value):
        keys = super().clean(value)
        return [self.objects[k] for k in keys]


def _county_label(county: County) -> str:
    if county.branch_id:
        return _("%(county)s (nå: %(branch)s)") % {"county": county.name, "branch": county.branch.name}
    return str(county.name)


class CountyBranchForm(forms.Form):
    name = forms.CharField(label=_("Navn"), max_length=200)
    email = forms.EmailField(
        label=_("E-post"),
        required=False,
        max_length=254,
        help_text=_("Fylkesavdelingens felles adresse; påminnelser til fylkesstyret sendes også hit."),
    )
    is_active = forms.BooleanField(label=_("Aktiv"), required=False, initial=True)

    def __init__(self, *args, counties: list[County] | None = None, **kwargs):
        """`counties` (only when creating): the counties that may be moved to the new branch."""
        super().__init__(*args, **kwargs)
        if counties is not None:
            self.fields["counties"] = _ObjectMultipleChoiceField(
                label=_("Fylker som skal høre til den nye fylkesavdelingen"),
                objects=counties,
                label_from=_county_label,
                required=False,
                widget=forms.CheckboxSelectMultiple,
                help_text=_(
                    "Valgfritt. Fylkene du krysser av, flyttes fra fylkesavdelingen de hører til nå, "
                    "sammen med kommunene sine. Slik deler du en fylkesavdeling: opprett den nye og velg "
                    "fylkene den skal ha. Fylker kan også flyttes senere fra fylkessiden."
                ),
            )


class CountyMoveForm(forms.Form):
    def __init__(self, *args, branches: list[CountyBranch], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"] = _ObjectChoiceField(
            label=_("Fylkesavdeling"),
            objects=branches,
            help_text=_("Fylket og kommunene i det hører fra nå av til denne fylkesavdelingen."),
        )


class MunicipalityForm(forms.Form):
    is_member = forms.BooleanField(label=_("Medlemskommune i Norsk kulturskoleråd"), required=False)
    email = forms.EmailField(label=_("E-post (kulturskolen)"), required=False, max_length=254)


MEMBER_CHOICES = [("", _("Alle")), ("ja", _("Medlemskommuner")), ("nei", _("Ikke medlem"))]


class MunicipalityFilterForm(forms.Form):
    q = forms.CharField(label=_("Søk på navn eller kommunenummer"), required=False, max_length=100)
    county = forms.ChoiceField(label=_("Fylke"), required=False)
    member = forms.ChoiceField(
        label=_("Medlemskap"), required=False, choices=MEMBER_CHOICES, widget=QuickSelect
    )

    def __init__(self, *args, counties: list[County], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"] = _ObjectChoiceField(
            label=_("Fylke"), objects=counties, empty_label=_("Alle fylker"), required=False
        )

    def filters(self) -> dict:
        """The valid filters; a field with an invalid value is left out (and shows its error)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        member = data.get("member")
        return {
            "search": data.get("q") or "",
            "county": data.get("county"),
            "is_member": {"ja": True, "nei": False}.get(member or ""),
        }
