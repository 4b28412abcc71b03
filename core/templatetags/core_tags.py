"""Filters for the rows of long tables, where the built-in tags cost more than the rest of the row."""

from __future__ import annotations

from django import template
from django.urls import get_script_prefix, get_urlconf

from core.dates import datetime_display_cached
from core.links import url_for_id

register = template.Library()

_URLS: dict[tuple, object] = {}


@register.filter(expects_localtime=False)
def moment(value) -> str:
    """`{{ value|moment }}` == `{{ value|date:"DATETIME_FORMAT" }}` (Oslo time), formatted once per moment."""
    return datetime_display_cached(value) if value else ""


@register.filter
def id_url(pk, viewname: str) -> str:
    """`{{ a.pk|id_url:"applications:detail" }}` == `{% url "applications:detail" a.pk %}`, reversed once."""
    key = (viewname, get_script_prefix(), get_urlconf())
    build = _URLS.get(key)
    if build is None:
        build = _URLS[key] = url_for_id(viewname)
    return build(pk)  # type: ignore[operator]
