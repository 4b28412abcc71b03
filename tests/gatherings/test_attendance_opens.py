"""Attendance is marked from the gathering's first day: before it the page lists the people with nothing to
press, and a POST is refused."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.gatherings.factories import GatheringFactory, RegistrationFactory, make_region

pytestmark = pytest.mark.django_db


def test_before_the_first_day_the_page_has_no_marking_controls_and_a_post_is_refused(client, leader):
    r = make_region(groups=1, members=0)
    gathering = GatheringFactory(regional_program=r.region, starts_at=timezone.now() + dt.timedelta(days=100))
    row = RegistrationFactory(gathering=gathering, municipality=r.municipalities[0], name="Eli Hope")
    client.force_login(leader)
    url = reverse("gatherings:attendance", args=[gathering.pk])

    page = client.get(url).content.decode()
    assert "Eli Hope" in page
    assert "Oppmøte kan registreres fra samlingens første dag" in page
    assert reverse("gatherings:attendance_mark", args=[gathering.pk, row.pk]) not in page
    assert "<button" not in page.split('data-testid="attendance-list"')[1].split("</ul>")[0]
    assert "Trykk på navnet" not in page

    response = client.post(
        reverse("gatherings:attendance_mark", args=[gathering.pk, row.pk]), {"attended": "1"}, follow=True
    )
    assert "Oppmøte kan registreres fra samlingens første dag" in response.content.decode()
    row.refresh_from_db()
    assert row.attended is None


def test_from_the_first_day_each_person_is_a_button(client, leader):
    r = make_region(groups=1, members=0)
    gathering = GatheringFactory(regional_program=r.region, past=True)
    row = RegistrationFactory(gathering=gathering, municipality=r.municipalities[0], name="Eli Hope")
    client.force_login(leader)
    page = client.get(reverse("gatherings:attendance", args=[gathering.pk])).content.decode()
    assert reverse("gatherings:attendance_mark", args=[gathering.pk, row.pk]) in page
    assert "Trykk på navnet" in page
