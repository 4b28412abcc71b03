"""Back after «Legg inn samlingen» and saving again makes no second gathering and sends no second invitation."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from gatherings.models import Gathering
from programs.models import MunicipalGroupMember
from tests.factories import UserFactory, municipal_contact
from tests.gatherings.factories import GatheringFactory, make_region
from tests.once import CreateForm, check_creates_once

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
    check_creates_once(
        client,
        django_capture_on_commit_callbacks,
        CreateForm(
            url=reverse("gatherings:create", args=[region.region.pk]),
            user=leader,
            data=_data(start),
            invalid=_data(start, ends_at=(start - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")),
            made=lambda: Gathering.objects.filter(title="Møtemetodikk").count(),
            sent=lambda: len(mail.outbox),
            other_user=UserFactory(leadership=True),
        ),
    )


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
