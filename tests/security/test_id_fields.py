"""Ids posted to model choice fields: out of range, non-ASCII digits, junk → a Norwegian field error, never a 500."""

import pytest
from django import forms

from applications.forms import JuryAssignmentForm
from applications.models import Application
from core.fields import IdModelChoiceField, IdModelMultipleChoiceField
from municipalities.models import CountyBranch
from programs.forms import InterestRegistrationForm, RegionalProgramForm
from tests.factories import CountyBranchFactory, MunicipalityFactory

HOSTILE = ["9223372036854775808", "-1", "0", "٣", "²", "1e3", "1 OR 1=1", "99999999999999999999999"]


@pytest.mark.django_db
@pytest.mark.parametrize("value", HOSTILE)
def test_interest_form_refuses_hostile_municipality_ids(value):
    MunicipalityFactory()
    municipality = MunicipalityFactory()
    form = InterestRegistrationForm(data={"municipalities": [value]}, branch=municipality.county.branch)
    assert not form.is_valid()
    assert form.errors["municipalities"] == ["Velg gyldige alternativer fra listen."]


@pytest.mark.django_db
@pytest.mark.parametrize("value", HOSTILE)
def test_regional_programme_form_refuses_hostile_branch_ids(value):
    CountyBranchFactory()
    form = RegionalProgramForm(
        data={"name": "Region", "branches": [value]}, branches=CountyBranch.objects.all()
    )
    assert not form.is_valid()
    assert form.errors["branches"] == ["Velg gyldige alternativer fra listen."]


@pytest.mark.django_db
@pytest.mark.parametrize("value", HOSTILE)
def test_jury_assignment_refuses_hostile_application_ids(value):
    form = JuryAssignmentForm(data={"applications": [value]}, applications=Application.objects.all())
    assert not form.is_valid()
    assert form.errors["applications"] == ["Velg søknader fra listen."]


@pytest.mark.django_db
def test_valid_ids_still_pass():
    branch = CountyBranchFactory()
    form = RegionalProgramForm(
        data={"name": "Region", "branches": [str(branch.pk)]}, branches=CountyBranch.objects.all()
    )
    assert form.is_valid(), form.errors
    assert list(form.cleaned_data["branches"]) == [branch]


@pytest.mark.django_db
@pytest.mark.parametrize("value", HOSTILE)
def test_single_choice_refuses_hostile_ids(value):
    class F(forms.Form):
        branch = IdModelChoiceField(queryset=CountyBranch.objects.all())

    form = F(data={"branch": value})
    assert not form.is_valid()
    assert form.errors["branch"] == ["Velg et gyldig valg. Valget er ikke av de tilgjengelige valgene."]


def _all_form_classes():
    import importlib

    from django.apps import apps

    for config in apps.get_app_configs():
        try:
            importlib.import_module(f"{config.name}.forms")
        except ModuleNotFoundError:
            continue
    seen, todo = set(), [forms.BaseForm]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            if sub not in seen:
                seen.add(sub)
                todo.append(sub)
    return [c for c in seen if c.__module__.split(".")[0] in {a.name for a in apps.get_app_configs()}]


def test_every_model_choice_field_of_ours_checks_ids():
    """A new form with a plain ModelChoiceField would bring the 500 back: name the culprit."""
    ours = {
        "accounts",
        "audit",
        "municipalities",
        "programs",
        "applications",
        "gatherings",
        "guidance",
        "reminders",
    }
    plain = [
        f"{cls.__module__}.{cls.__name__}.{name}"
        for cls in _all_form_classes()
        if cls.__module__.split(".")[0] in ours and cls.__module__.endswith(".forms")
        for name, field in getattr(cls, "base_fields", {}).items()
        if isinstance(field, forms.ModelChoiceField)
        and not isinstance(field, IdModelChoiceField | IdModelMultipleChoiceField)
    ]
    assert plain == [], f"Bruk core.fields.IdModel(Multiple)ChoiceField i: {plain}"
