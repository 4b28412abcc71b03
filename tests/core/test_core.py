"""The shared pieces: one pager parameter, the 404 decorator that ignores the superuser flag, form errors,
and calendar files with their time zone."""

import datetime as dt

import icalendar
import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from core.forms import form_apply_error
from core.ics import OSLO, ics_calendar, ics_cancellation, ics_event, ics_single, ics_uid
from core.pagination import paginate
from core.permissions import check_or_404, require


def test_paginate_uses_side_and_keeps_the_other_parameters():
    request = RequestFactory().get("/x/", {"q": "Førde", "side": "2"})
    page = paginate(request, list(range(120)), per_page=50)
    assert page.number == 2
    assert list(page.object_list)[:2] == [50, 51]
    assert page.query == "q=F%C3%B8rde"


@pytest.mark.parametrize("raw", ["abc", "-1", "99999", "²", ""])
def test_paginate_falls_back_to_a_valid_page(raw):
    page = paginate(RequestFactory().get("/x/", {"side": raw}), list(range(120)), per_page=50)
    assert page.number in {1, 3}


def test_paginate_takes_a_count_the_page_already_has_and_counts_nothing():
    class Rows(list):
        def count(self):  # what Paginator asks of a queryset
            raise AssertionError("counted again")

    page = paginate(RequestFactory().get("/x/", {"side": "3"}), Rows(range(120)), per_page=50, count=120)
    assert (page.number, page.paginator.num_pages) == (3, 3)
    assert list(page.object_list) == list(range(100, 120))


@pytest.mark.django_db
def test_require_answers_404_to_a_superuser_without_the_role(django_user_model):
    view = require(lambda user: False)(lambda request: HttpResponse("ok"))
    request = RequestFactory().get("/x/")
    request.user = django_user_model.objects.create_superuser(email="root@example.org", password="x")
    with pytest.raises(Http404):
        view(request)
    allowed = require(lambda user: True)(lambda request: HttpResponse("ok"))
    assert allowed(request).content == b"ok"


def test_require_sends_anonymous_to_login():
    view = require(lambda user: True)(lambda request: HttpResponse("ok"))
    request = RequestFactory().get("/x/")
    request.user = AnonymousUser()
    response = view(request)
    assert response.status_code == 302
    assert "/logg-inn/" in response["Location"]


def test_check_or_404_passes_the_object():
    seen = []
    check_or_404(lambda user, obj: seen.append(obj) or True, "user", "object")
    assert seen == ["object"]
    with pytest.raises(Http404):
        check_or_404(lambda user, obj: False, "user", "object")


class _Form(forms.Form):
    title = forms.CharField()


def test_form_apply_error_puts_field_errors_at_the_field_and_others_on_top():
    form = _Form({"title": "Hei"})
    assert form.is_valid()
    form_apply_error(
        form, ValidationError({"name": "Navnet er tatt.", "other": "Noe annet."}), {"name": "title"}
    )
    assert form.errors["title"] == ["Navnet er tatt."]
    assert form.non_field_errors() == ["Noe annet."]
    assert form.data["title"] == "Hei"


def test_ics_writes_oslo_local_time_with_the_zone_and_parses():
    start = dt.datetime(2027, 3, 28, 10, 0, tzinfo=OSLO)  # the morning daylight saving starts
    event = ics_event(
        uid=ics_uid("samling", 7),
        start=start,
        end=start + dt.timedelta(hours=6),
        summary="Samling 3",
        sequence=2,
        location="Førde",
        status="CANCELLED",
    )
    body = ics_single(event).decode()
    assert "DTSTART;TZID=Europe/Oslo:20270328T100000" in body
    assert "BEGIN:VTIMEZONE" in body
    assert "METHOD:PUBLISH" in body
    cal = icalendar.Calendar.from_ical(body)
    parsed = next(iter(cal.walk("VEVENT")))
    assert parsed["SEQUENCE"] == 2
    assert str(parsed["STATUS"]) == "CANCELLED"
    assert parsed.decoded("DTSTART").astimezone(dt.UTC) == start.astimezone(dt.UTC)
    assert "DTSTAMP" in parsed


def test_ics_cancellation_is_an_itip_cancel_that_clients_act_on(settings):
    """Outlook and Apple Calendar remove an event from a mail attachment only for METHOD:CANCEL with the same
    UID, a higher SEQUENCE, STATUS:CANCELLED and an ORGANIZER (RFC 5546)."""
    settings.DEFAULT_FROM_EMAIL = "Fremtidens kulturskole <program@example.org>"
    start = dt.datetime(2027, 3, 28, 10, 0, tzinfo=OSLO)
    event = ics_event(uid=ics_uid("samling", 7), start=start, end=start, summary="Samling 3", sequence=3)
    cal = icalendar.Calendar.from_ical(ics_cancellation(event))
    assert str(cal["METHOD"]) == "CANCEL"
    (parsed,) = cal.walk("VEVENT")
    assert str(parsed["UID"]) == ics_uid("samling", 7)
    assert parsed["SEQUENCE"] == 3
    assert str(parsed["STATUS"]) == "CANCELLED"  # replaced, not a second STATUS next to CONFIRMED
    assert str(parsed["ORGANIZER"]) == "mailto:program@example.org"
    assert parsed["ORGANIZER"].params["CN"] == "Fremtidens kulturskole"
    assert "DTSTAMP" in parsed


def test_ics_calendar_names_a_feed():
    body = ics_calendar(name="Samlinger Vestland").to_ical().decode()
    assert "X-WR-CALNAME:Samlinger Vestland" in body
    assert "X-WR-TIMEZONE:Europe/Oslo" in body
