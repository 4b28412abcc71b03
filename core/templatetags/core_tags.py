"""Filters for the rows of long tables, where the built-in tags cost more than the rest of the row."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

from core.dates import datetime_display_cached
from core.links import url_for_id

register = template.Library()

_URLS: dict[tuple, object] = {}
_PAGES: dict[tuple, str] = {}


@register.filter(expects_localtime=False)
def moment(value) -> str:
    """`{{ value|moment }}` == `{{ value|date:"DATETIME_FORMAT" }}` (Oslo time), formatted once per moment."""
    return datetime_display_cached(value) if value else ""


@register.filter
def id_url(pk, viewname: str) -> str:
    """`{{ a.pk|id_url:"applications:detail" }}` == `{% url "applications:detail" a.pk %}`, reversed once."""
    return _url_builder(viewname)(pk)


@register.simple_tag
def row_url(viewname: str, *args) -> str:
    """`{% row_url "applications:jury_assign" rp.pk m.pk %}` == `{% url "applications:jury_assign" rp.pk m.pk %}`
    for a URL whose last argument is an integer id: reversed once per page and leading arguments."""
    *leading, pk = args
    return _url_builder(viewname, *leading)(pk)


@register.simple_tag
def page_url(viewname: str) -> str:
    """`{% page_url "accounts:dashboard" %}` == `{% url "accounts:dashboard" %}` for a URL without arguments,
    reversed once per process (the menu on every page has a dozen of them)."""
    key = (viewname, get_script_prefix(), get_urlconf(), settings.ROOT_URLCONF)
    url = _PAGES.get(key)
    if url is None:
        url = _PAGES[key] = reverse(viewname)
    return url


def _url_builder(viewname: str, *leading):
    key = (viewname, *leading, get_script_prefix(), get_urlconf(), settings.ROOT_URLCONF)
    build = _URLS.get(key)
    if build is None:
        if len(_URLS) > 10_000:  # leading arguments vary (a programme's id): bound the memory
            _URLS.clear()
        build = _URLS[key] = url_for_id(viewname, *leading)
    return build  # type: ignore[return-value]


@register.simple_tag(takes_context=True)
def once_field(context) -> str:
    """`{% once_field %}` inside a create form: the hidden one-time token of `core.once` (nothing is written)."""
    from django.utils.html import format_html

    from core.once import ONCE_FIELD, form_token

    return format_html(
        '<input type="hidden" name="{}" value="{}">', ONCE_FIELD, form_token(context.get("request"))
    )


@register.simple_tag(takes_context=True)
def once_script(context) -> str:
    """`{% once_script %}` at the end of the base page: `core/once.js`, which keeps a form's token in its place in
    the browser's history, on the pages that drew a `{% once_field %}` (see `core.once`)."""
    from django.templatetags.static import static
    from django.utils.html import format_html

    from core.once import drew_token

    if not drew_token(context.get("request")):
        return ""
    return format_html('<script src="{}"></script>', static("core/once.js"))
