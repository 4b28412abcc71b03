"""Widgets that render the same HTML as Django's, faster.

Django renders a `<select>` through one template per option: the log's "area or action" filter (some 200
options in groups) took about as long to render as the rest of the page together. `QuickSelect` builds the
same markup in Python (same attributes, same escaping, `<optgroup>`s kept); `tests/core/test_widgets.py`
compares it with Django's own rendering.
"""

from __future__ import annotations

from django import forms
from django.utils.html import conditional_escape as escape
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe


def _attrs(attrs: dict) -> str:
    """Attributes as Django's `attrs.html` writes them: False left out, True as a bare name."""
    parts = []
    for name, value in attrs.items():
        if value is False or value is None:
            continue
        if value is True:
            parts.append(f" {escape(name)}")
        else:
            parts.append(f' {escape(name)}="{escape(value)}"')
    return "".join(parts)


class QuickSelect(forms.Select):
    """`forms.Select` with the options written in Python instead of one template each."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        # the widget's own context without `optgroups`: Django builds a dict of attributes for every option
        widget = forms.Widget.get_context(self, name, value, attrs)["widget"]
        if self.allow_multiple_selected:
            widget["attrs"]["multiple"] = True
        values = widget["value"]  # the selected values as texts (format_value)
        parts = [f'<select name="{escape(widget["name"])}"{_attrs(widget["attrs"])}>']
        has_selected = False
        for option_value, option_label in self.choices:  # as ChoiceWidget.optgroups reads them
            if option_value is None:
                option_value = ""
            if isinstance(option_label, list | tuple):
                group_name, options = option_value, option_label
            else:
                group_name, options = None, [(option_value, option_label)]
            if group_name:
                parts.append(format_html('<optgroup label="{}">', group_name))
            for sub_value, sub_label in options:
                selected = (not has_selected or self.allow_multiple_selected) and str(sub_value) in values
                has_selected |= selected
                parts.append(
                    f'<option value="{escape(sub_value)}"{" selected" if selected else ""}>{escape(sub_label)}</option>'
                )
            if group_name:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every piece above is escaped


class QuickSelectMultiple(QuickSelect, forms.SelectMultiple):
    """`forms.SelectMultiple`, written the same way."""
