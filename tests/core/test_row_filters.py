"""The cheap row filters write exactly what the built-in tags they replace write."""

import datetime as dt

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from applications.templatetags.applications_tags import status_badge
from core.links import url_for_id

MOMENTS = [
    dt.datetime(2027, 3, 28, 0, 59, tzinfo=dt.UTC),  # the night summer time begins in Oslo
    dt.datetime(2027, 3, 28, 1, 0, tzinfo=dt.UTC),
    dt.datetime(2027, 9, 15, 21, 59, tzinfo=dt.UTC),
]


@pytest.mark.parametrize("language", ["nb", "en"])
def test_moment_and_id_url_write_what_date_and_url_write(language):
    template = Template(
        '{% load core_tags %}{% for v in moments %}{{ v|date:"DATETIME_FORMAT" }}={{ v|moment }};{% endfor %}'
        '{% url "applications:detail" 42 %}={{ 42|id_url:"applications:detail" }}'
    )
    with translation.override(language):
        for _ in range(2):  # the second time from the cache
            pairs = template.render(Context({"moments": MOMENTS})).split(";")
            for pair in pairs:
                builtin, ours = pair.split("=")
                assert builtin == ours
    assert url_for_id("applications:decide")(7) == reverse("applications:decide", args=[7])


def test_page_url_writes_what_url_writes():
    template = Template(
        '{% load core_tags %}{% url "accounts:dashboard" %}={% page_url "accounts:dashboard" %};'
        '{% url "set_language" %}={% page_url "set_language" %}'
    )
    for _ in range(2):  # the second time from the cache
        for pair in template.render(Context({})).split(";"):
            builtin, ours = pair.split("=")
            assert builtin == ours


def test_row_url_writes_what_url_writes_for_each_row_and_programme():
    """The leading argument is part of the cached pattern: a second programme gets its own links."""
    template = Template(
        "{% load core_tags %}{% for m in members %}"
        '{% url "applications:jury_remove" rp m %}={% row_url "applications:jury_remove" rp m %};'
        "{% endfor %}"
    )
    for rp in (20, 21):
        pairs = template.render(Context({"rp": rp, "members": [3, 17]})).rstrip(";").split(";")
        assert len(pairs) == 2
        for pair in pairs:
            builtin, ours = pair.split("=")
            assert builtin == ours
            assert f"/program/{rp}/jury/" in ours


def test_status_badge_is_written_in_the_active_language():
    with translation.override("nb"):
        norwegian = status_badge("submitted")
    with translation.override("en"):
        english = status_badge("submitted")
    assert 'data-status="submitted">sendt inn<' in norwegian
    assert "sendt inn" not in english
