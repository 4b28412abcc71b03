"""The pages ask the database the same number of times with 6 and with 60 gatherings (or rows)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from gatherings.models import HandIn
from tests.factories import municipal_contact
from tests.gatherings.factories import (
    GatheringFactory,
    MemberFactory,
    RegistrationFactory,
    SemesterFactory,
    make_region,
)

pytestmark = pytest.mark.django_db


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def _fill(r, n: int):
    semester = SemesterFactory(regional_program=r.region)
    made = []
    base = timezone.now() - dt.timedelta(days=n)
    for i in range(n):
        g = GatheringFactory(
            regional_program=r.region,
            semester=semester,
            host_municipality=r.municipalities[0],
            starts_at=base + dt.timedelta(days=2 * i),
            preparation="Les." if i % 2 else "",
        )
        for group in r.groups:
            RegistrationFactory(
                gathering=g, municipality=group.municipality, group=group, attended=bool(i % 2)
            )
            HandIn.objects.create(
                gathering=g,
                group=group,
                done="d",
                learned="l",
                next_steps="n",
                submitted_at=timezone.now(),
                shared_with_region=True,
            )
        made.append(g)
    return made


@pytest.mark.parametrize("role", ["leader", "coordinator"])
def test_program_page_and_region_hand_ins_and_dashboard(client, leader, role):
    counts = {}
    for n in (6, 60):
        r = make_region(members=1)
        _fill(r, n)
        user = leader if role == "leader" else municipal_contact(r.groups[0].municipality)
        client.force_login(user)
        counts[n] = (
            _count(client, reverse("gatherings:program", args=[r.region.pk])),
            _count(client, reverse("gatherings:region_hand_ins", args=[r.region.pk])),
            _count(client, reverse("accounts:dashboard")),
            _count(client, reverse("gatherings:index")),
        )
    assert counts[6] == counts[60]
    print("query counts", role, counts)


def test_participant_list_attendance_and_name_tags(client, leader):
    counts = {}
    client.force_login(leader)
    for n in (6, 60):
        r = make_region(groups=1, members=0)
        g = GatheringFactory(regional_program=r.region)
        for i in range(n):
            member = MemberFactory(group=r.groups[0])
            RegistrationFactory(
                gathering=g,
                municipality=r.municipalities[i % 3],
                group=r.groups[0],
                member=member,
                dietary_needs="Vegan",
            )
        counts[n] = (
            _count(client, reverse("gatherings:participants", args=[g.pk])),
            _count(client, reverse("gatherings:attendance", args=[g.pk])),
            _count(client, reverse("gatherings:name_tags", args=[g.pk])),
            _count(client, reverse("gatherings:register", args=[g.pk, r.groups[0].pk])),
            _count(client, reverse("gatherings:detail", args=[g.pk])),
        )
    assert counts[6] == counts[60]
    print("query counts", counts)
