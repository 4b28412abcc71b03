"""`core.widgets.QuickSelect` writes what Django's template-rendered select writes."""

from django import forms
from django.test import SimpleTestCase
from django.utils.safestring import mark_safe

from core.widgets import QuickSelect, QuickSelectMultiple

CHOICES = [
    ("", "Alle"),
    ("Område & «sånn»", [("a", "Første <b>"), ("b", 'Andre "sitat"')]),
    ("c", "Tredje"),
    (4, "Fjerde"),
]


class QuickSelectTests(SimpleTestCase):
    def assert_same(self, quick, plain, name, value, attrs=None):
        self.assertHTMLEqual(quick.render(name, value, attrs), plain.render(name, value, attrs))

    def test_same_markup_as_django_with_groups_escaping_and_selection(self):
        for value in ("", "b", "4", None, "finnes-ikke"):
            with self.subTest(value=value):
                self.assert_same(
                    QuickSelect(choices=CHOICES, attrs={"class": "form-select", "data-x": 'a"b'}),
                    forms.Select(choices=CHOICES, attrs={"class": "form-select", "data-x": 'a"b'}),
                    "handling",
                    value,
                    {"id": "id_handling", "required": True, "disabled": False},
                )

    def test_multiple(self):
        self.assert_same(
            QuickSelectMultiple(choices=CHOICES),
            forms.SelectMultiple(choices=CHOICES),
            "valg",
            ["a", "c"],
            {"id": "id_valg"},
        )

    def test_text_is_escaped_once(self):
        html = QuickSelect(choices=[("x", "<script>"), ("y", mark_safe("&amp; ok"))]).render("f", "x")
        assert "&lt;script&gt;" in html
        assert "<script>" not in html
        assert ">&amp; ok<" in html
        assert 'value="x" selected' in html

    def test_in_a_bound_form_the_posted_value_is_selected(self):
        class F(forms.Form):
            handling = forms.ChoiceField(choices=CHOICES, widget=QuickSelect, required=False)

        html = str(F({"handling": "b"})["handling"])
        self.assertInHTML('<option value="b" selected>Andre "sitat"</option>', html)
