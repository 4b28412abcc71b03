"""What leadership is told when scheduling: semesters that overlap or lie outside the programme, gatherings in
the past or outside every semester, a capacity below those registered, and a confirmation that says who was
invited."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from gatherings.models import Gathering, Semester
from tests.factories import municipal_contact
from tests.gatherings.factories import (
    GatheringFactory,
    RegistrationFactory,
    SemesterFactory,
    make_region,
    semester_around,
)

pytestmark = pytest.mark.django_db


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def _gathering(start, **over):
    data = {
        "kind": "gathering",
        "number": "2",
        "title": "Oppstart våren",
        "starts_at": _local(start),
        "ends_at": _local(start + dt.timedelta(hours=6)),
        "venue": "Scenehuset",
        "preparation": "Les.",
    }
    data.update(over)
    return data


def _semester_year(region) -> int:
    return timezone.localtime(region.program.interest_deadline).year


# --- semesters ------------------------------------------------------------------------------------------


def test_an_overlapping_semester_is_a_field_error(client, leader):
    r = make_region()
    year = _semester_year(r.region) + 1
    SemesterFactory(
        regional_program=r.region,
        name=f"vår {year}",
        starts_on=dt.date(year, 1, 1),
        ends_on=dt.date(year, 6, 30),
    )
    client.force_login(leader)
    url = reverse("gatherings:semesters", args=[r.region.pk])
    response = client.post(url, {"name": "sommer", "starts_on": f"{year}-03-01", "ends_on": f"{year}-08-30"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "overlapper med «vår" in errors["starts_on"][0]
    assert Semester.objects.count() == 1

    next_one = client.post(
        url, {"name": f"høst {year}", "starts_on": f"{year}-07-01", "ends_on": f"{year}-12-31"}
    )
    assert next_one.status_code == 302
    assert Semester.objects.count() == 2


def test_a_semester_years_outside_the_programme_is_refused(client, leader):
    r = make_region()
    year = _semester_year(r.region)
    client.force_login(leader)
    url = reverse("gatherings:semesters", args=[r.region.pk])
    response = client.post(url, {"name": "vår 2020", "starts_on": "2020-01-01", "ends_on": "2020-06-30"})
    assert response.status_code == 200
    assert "utenfor programperioden" in response.context["form"].errors["starts_on"][0]
    assert f"{year}–{year + 3}" in response.context["form"].errors["starts_on"][0]
    assert not Semester.objects.exists()


# --- gatherings -----------------------------------------------------------------------------------------


def test_a_gathering_in_the_past_is_refused_on_create(client, leader):
    r = make_region()
    client.force_login(leader)
    past = timezone.now() - dt.timedelta(days=30)
    response = client.post(reverse("gatherings:create", args=[r.region.pk]), _gathering(past))
    assert response.status_code == 200
    assert response.context["form"].errors["starts_at"] == [
        "Samlingen kan ikke legges inn med en tid som har vært. Sjekk datoen."
    ]
    assert not Gathering.objects.exists()


def test_a_coming_gathering_cannot_be_moved_into_the_past_but_a_past_one_is_editable_with_a_warning(
    client, leader
):
    r = make_region()
    client.force_login(leader)
    coming = GatheringFactory(regional_program=r.region, title="Kommer")
    data = _gathering(timezone.now() - dt.timedelta(days=3), title="Kommer", reason="Flyttet")
    moved = client.post(reverse("gatherings:edit", args=[coming.pk]), data)
    assert moved.status_code == 200
    assert "Samlingen kan ikke legges inn med en tid som har vært." in moved.content.decode()

    held = GatheringFactory(regional_program=r.region, past=True, title="Har vært")
    page = client.get(reverse("gatherings:edit", args=[held.pk])).content.decode()
    assert "den tiden har vært" in page
    data = _gathering(held.starts_at, title="Har vært – rettet", reason="Rettet sted")
    data["ends_at"] = _local(held.ends_at)
    assert client.post(reverse("gatherings:edit", args=[held.pk]), data).status_code == 302
    held.refresh_from_db()
    assert held.title == "Har vært – rettet"


def test_a_gathering_outside_every_semester_is_warned_about_before_anything_is_saved_or_sent(
    client, leader, django_capture_on_commit_callbacks
):
    r = make_region()
    for group in r.groups:
        municipal_contact(group.municipality)
    start = timezone.now() + dt.timedelta(days=60)
    SemesterFactory(
        regional_program=r.region,
        starts_on=(start + dt.timedelta(days=100)).date(),
        ends_on=(start + dt.timedelta(days=200)).date(),
    )
    client.force_login(leader)
    url = reverse("gatherings:create", args=[r.region.pk])
    data = _gathering(start, theme="Samskaping", address="Storgata 1")
    with django_capture_on_commit_callbacks(execute=True):
        shown = client.post(url, data)
    page = shown.content.decode()
    assert shown.status_code == 200
    assert "ligger ikke i noe semester" in page
    assert "Lagre likevel og send invitasjonen" in page
    assert not Gathering.objects.exists()
    assert mail.outbox == []
    form = shown.context["form"]  # nothing typed is lost
    assert (form["title"].value(), form["theme"].value(), form["address"].value()) == (
        "Oppstart våren",
        "Samskaping",
        "Storgata 1",
    )

    with django_capture_on_commit_callbacks(execute=True):
        saved = client.post(url, {**data, "lagre_likevel": "outside_semester"}, follow=True)
    gathering = Gathering.objects.get()
    assert gathering.semester is None
    assert len(mail.outbox) > 0
    assert "invitasjonen er sendt til" in saved.content.decode()


def test_a_warning_not_yet_shown_stops_the_confirmed_save_once_more(client, leader):
    r = make_region()
    GatheringFactory(regional_program=r.region, kind="gathering", number=2, title="Første")
    client.force_login(leader)
    start = timezone.now() + dt.timedelta(days=60)
    # confirmed «outside semester», but the number is taken too: shown, not saved
    response = client.post(
        reverse("gatherings:create", args=[r.region.pk]), _gathering(start, lagre_likevel="outside_semester")
    )
    assert response.status_code == 200
    assert "Samling nr. 2 finnes allerede" in response.content.decode()
    assert Gathering.objects.count() == 1


def test_a_gathering_without_warnings_is_saved_in_one_step(client, leader):
    r = make_region()
    start = timezone.now() + dt.timedelta(days=60)
    semester_around(r.region, start)
    client.force_login(leader)
    response = client.post(reverse("gatherings:create", args=[r.region.pk]), _gathering(start))
    assert response.status_code == 302
    assert Gathering.objects.count() == 1


def test_the_confirmation_says_nobody_was_invited_when_the_programme_has_no_groups(client, leader):
    r = make_region(groups=0)
    client.force_login(leader)
    start = timezone.now() + dt.timedelta(days=60)
    semester_around(r.region, start)
    response = client.post(reverse("gatherings:create", args=[r.region.pk]), _gathering(start), follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "Samlingen er lagt inn. Ingen er invitert ennå: programmet har ingen kommunegrupper."
    ]


def test_the_confirmation_says_how_many_were_invited(client, leader):
    r = make_region(groups=2)
    for group in r.groups:
        municipal_contact(group.municipality)  # the contact and the group's coordinator address: 2 per group
    client.force_login(leader)
    start = timezone.now() + dt.timedelta(days=60)
    semester_around(r.region, start)
    response = client.post(reverse("gatherings:create", args=[r.region.pk]), _gathering(start), follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "Samlingen er lagt inn, og invitasjonen er sendt til 4 personer."
    ]


# --- capacity -------------------------------------------------------------------------------------------


def test_capacity_below_the_number_registered_is_a_field_error_naming_it(client, leader):
    r = make_region(groups=1, members=0)
    start = (timezone.now() + dt.timedelta(days=30)).replace(second=0, microsecond=0)
    gathering = GatheringFactory(
        regional_program=r.region, capacity=20, title="Full samling", starts_at=start
    )
    group = r.groups[0]
    for i in range(17):
        RegistrationFactory(gathering=gathering, municipality=group.municipality, group=group, name=f"P {i}")
    client.force_login(leader)
    url = reverse("gatherings:edit", args=[gathering.pk])
    data = _gathering(gathering.starts_at, title="Full samling", venue="Kulturhuset", capacity="5")
    data.update(address=gathering.address, ends_at=_local(gathering.ends_at))
    data["registration_deadline"] = _local(gathering.registration_deadline)
    data["number"] = "1"
    data["theme"] = gathering.theme
    data["preparation"] = gathering.preparation
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors["capacity"] == [
        "17 er allerede påmeldt, så det må være minst 17 plasser."
    ]
    gathering.refresh_from_db()
    assert gathering.capacity == 20

    data["capacity"] = "17"
    assert client.post(url, data).status_code == 302
    gathering.refresh_from_db()
    assert gathering.capacity == 17


def test_the_reason_field_says_before_saving_that_it_is_required_when_time_or_place_changes(client, leader):
    r = make_region()
    gathering = GatheringFactory(regional_program=r.region)
    client.force_login(leader)
    page = client.get(reverse("gatherings:edit", args=[gathering.pk])).content.decode()
    assert "Begrunnelse for endring av tid eller sted" in page
    assert "Må fylles ut når du endrer tid eller sted." in page
