"""The coming gatherings (`upcoming_gatherings_for`), written out as SQL, held to the ORM reads it replaces."""

import datetime as dt

import pytest
from django.db.models import Prefetch
from django.utils import timezone

from accounts.models import Role, RoleAssignment
from gatherings.models import Gathering, GatheringFile, GatheringKind, GatheringStatus, RegistrationStatus
from gatherings.selectors import upcoming_gatherings_for
from gatherings.selectors.schedule import _registrations
from gatherings.selectors.scope import _visible
from tests.factories import UserFactory, board_member, municipal_contact
from tests.gatherings.factories import GatheringFactory, RegistrationFactory, make_region
from tests.guidance.factories import AgreementFactory

pytestmark = pytest.mark.django_db


def _by_the_orm(user, *, limit: int, now: dt.datetime, counts: bool) -> list[tuple]:
    """What `upcoming_gatherings_for` answered with the ORM's query and the files' prefetch."""
    qs = Gathering.objects.select_related("regional_program")
    if counts:
        qs = qs.annotate(
            attending_count=_registrations(status=RegistrationStatus.ATTENDING),
            waitlisted_count=_registrations(status=RegistrationStatus.WAITLISTED),
        )
    rows = list(
        _visible(qs, user)
        .filter(ends_at__gte=now)
        .exclude(status=GatheringStatus.CANCELLED)
        .order_by("starts_at", "id")
        .prefetch_related(Prefetch("files", queryset=GatheringFile.objects.all()))[:limit]
    )
    return [_shown(g, counts) for g in rows]


def _shown(g, counts: bool) -> tuple:
    return (
        g.pk,
        g.display_title,
        g.is_cancelled,
        g.starts_at,
        g.ends_at,
        g.preparation,
        g.regional_program.name,
        [(f.pk, f.original_name) for f in g.files.all()],
        (g.attending_count, g.waitlisted_count) if counts else None,
    )


def _file(gathering, name: str) -> GatheringFile:
    return GatheringFile.objects.create(gathering=gathering, original_name=name, size=10, file=f"x/{name}")


def test_the_coming_gatherings_in_sql_answer_what_the_orm_read(django_assert_num_queries):
    """Two regions with gatherings past, going on, coming, cancelled, a pre-gathering and the same start twice,
    files on some, registrations attending and waitlisted: the SQL gives the ORM's gatherings, in its order, with
    their files (no further query) and for leadership the counts, to leadership, a board member, a contact with a
    group, a contact with only the pre-gatherings, an advisor and a person who sees none."""
    now = timezone.now()
    north, south = make_region(municipalities=3, groups=1), make_region(municipalities=2, groups=1)
    g = GatheringFactory
    soon = now + dt.timedelta(days=4)
    made = [
        g(regional_program=north.region, starts_at=now - dt.timedelta(days=10)),  # past
        g(regional_program=north.region, starts_at=now - dt.timedelta(hours=2)),  # going on
        g(regional_program=north.region, starts_at=soon, title="Samme start"),
        g(regional_program=south.region, starts_at=soon, title="Samme start sør"),
        g(
            regional_program=north.region,
            starts_at=now + dt.timedelta(days=2),
            status=GatheringStatus.CANCELLED,
        ),
        g(regional_program=north.region, pre=True, starts_at=now + dt.timedelta(days=1), title="Hva er det?"),
        g(regional_program=north.region, starts_at=now + dt.timedelta(days=9), kind=GatheringKind.DIGITAL),
        g(regional_program=south.region, starts_at=now + dt.timedelta(days=20), preparation=""),
    ]
    _file(made[2], "b.pdf")
    _file(made[2], "a.pdf")
    _file(made[5], "program.pdf")
    RegistrationFactory(gathering=made[2])
    RegistrationFactory(gathering=made[2], status=RegistrationStatus.WAITLISTED)
    RegistrationFactory(gathering=made[1])
    advisor = UserFactory(advisor=True)
    AgreementFactory(regional_program=south.region, municipality=south.municipalities[1], advisors=[advisor])
    both = board_member(south.branch)
    RoleAssignment.objects.create(
        user=both, role=Role.MUNICIPAL_CONTACT, municipality=north.municipalities[2]
    )
    people = [
        (UserFactory(leadership=True), True),
        (board_member(north.branch), False),
        (municipal_contact(north.municipalities[0]), False),
        (municipal_contact(north.municipalities[2]), False),  # no group: the pre-gatherings only
        (both, False),
        (advisor, False),
        (UserFactory(jury=True), False),
    ]
    seen = []
    for person, counts in people:
        for limit in (5, 10):
            expected = _by_the_orm(person, limit=limit, now=now, counts=counts)
            with django_assert_num_queries(
                0 if person is people[-1][0] else 1
            ):  # the gatherings with their files
                got = [
                    _shown(x, counts)
                    for x in upcoming_gatherings_for(person, limit=limit, now=now, counts=counts)
                ]
            assert got == expected
        seen.append([row[1] for row in got])
    assert seen[0] == [
        "Samling 1: " + made[1].title,
        "Hva er det?",
        "Samling 1: Samme start",
        "Samling 1: Samme start sør",
        made[6].title,
        "Samling 1: " + made[7].title,
    ]
    assert seen[3] == ["Hva er det?"]
    assert seen[-1] == []
    [leader_row] = [
        r for r in _by_the_orm(people[0][0], limit=10, now=now, counts=True) if r[0] == made[2].pk
    ]
    assert leader_row[7] == [
        (made[2].files.get(original_name="b.pdf").pk, "b.pdf"),
        (made[2].files.get(original_name="a.pdf").pk, "a.pdf"),
    ]
    assert leader_row[8] == (1, 1)
