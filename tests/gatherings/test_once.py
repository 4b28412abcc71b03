"""Back after «Legg inn samlingen» and saving again makes no second gathering and sends no second invitation."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core.once import ONCE_FIELD
from gatherings.models import Gathering
from programs.models import MunicipalGroupMember
from tests.factories import UserFactory, municipal_contact
from tests.gatherings.factories import GatheringFactory, make_region, semester_around
from tests.once import ALREADY, CreateForm, check_creates_once, form_token

pytestmark = pytest.mark.django_db


def _data(start, **over):
    data = {
        "kind": "gathering",
        "number": "3",
        "title": "Møtemetodikk",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + dt.timedelta(hours=6)).strftime("%Y-%m-%dT%H:%M"),
        "venue": "Scenehuset",
    }
    data.update(over)
    return data


def test_a_gathering_is_created_and_announced_once(client, leader, django_capture_on_commit_callbacks):
    region = make_region(members=2)
    for group in region.groups:
        municipal_contact(group.municipality)
    start = timezone.localtime(timezone.now() + dt.timedelta(days=50)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    semester_around(region.region, start)  # no warning: one step
    check_creates_once(
        client,
        django_capture_on_commit_callbacks,
        CreateForm(
            url=reverse("gatherings:create", args=[region.region.pk]),
            user=leader,
            # the other leader's save of the same gathering is warned about (number taken, overlap): confirmed
            data=_data(start, lagre_likevel="duplicate_number,overlap"),
            invalid=_data(start, ends_at=(start - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")),
            made=lambda: Gathering.objects.filter(title="Møtemetodikk").count(),
            sent=lambda: len(mail.outbox),
            other_user=UserFactory(leadership=True),
        ),
    )


def test_a_gathering_with_warnings_is_saved_and_announced_once_after_the_confirm_step(
    client, leader, django_capture_on_commit_callbacks
):
    region = make_region(members=2)
    for group in region.groups:
        municipal_contact(group.municipality)
    start = timezone.localtime(timezone.now() + dt.timedelta(days=50)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )  # no semester holds it: a warning
    client.force_login(leader)
    url = reverse("gatherings:create", args=[region.region.pk])
    token = form_token(client.get(url).content.decode())
    with django_capture_on_commit_callbacks(execute=True):
        shown = client.post(url, {**_data(start), ONCE_FIELD: token})
    assert shown.status_code == 200
    assert form_token(shown.content.decode()) == token
    assert not Gathering.objects.exists()
    assert mail.outbox == []
    confirm = {**_data(start), ONCE_FIELD: token, "lagre_likevel": "outside_semester"}
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url, confirm)
    assert first.status_code == 302
    sent = len(mail.outbox)
    assert sent > 0
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(url, confirm)
    assert again["Location"] == first["Location"]
    assert ALREADY in client.get(again["Location"]).content.decode()
    assert Gathering.objects.count() == 1
    assert len(mail.outbox) == sent


def test_a_member_added_from_the_registration_page_is_added_once(client, django_capture_on_commit_callbacks):
    region = make_region(members=1)
    group = region.groups[0]
    gathering = GatheringFactory(regional_program=region.region, capacity=10)
    data = {"name": "Ny Person", "sector": "barnehage"}  # no e-mail: nothing else would stop a second one
    check_creates_once(
        client,
        django_capture_on_commit_callbacks,
        CreateForm(
            url=reverse("gatherings:member_add", args=[gathering.pk, group.pk]),
            user=municipal_contact(group.municipality),
            data=data,
            invalid={**data, "name": ""},
            made=lambda: MunicipalGroupMember.objects.filter(group=group, name="Ny Person").count(),
            other_user=municipal_contact(group.municipality),
        ),
    )
