"""The between-work still to hand in (`hand_ins_waiting_for`), written out as SQL, held to the ORM reads it replaces."""

import datetime as dt

import pytest
from django.db.models import Q
from django.utils import timezone

from accounts.models import Role, RoleAssignment
from accounts.permissions import role_scope
from gatherings.models import Gathering, GatheringKind, GatheringStatus, HandIn
from gatherings.selectors import hand_ins_waiting_for
from gatherings.selectors.hand_ins import WAITING_HAND_IN_DAYS
from programs.models import MunicipalGroup
from tests.factories import UserFactory, municipal_contact
from tests.gatherings.factories import GatheringFactory, make_region

pytestmark = pytest.mark.django_db


def _by_the_orm(user, *, limit: int = 10, now: dt.datetime) -> list[tuple]:
    """What `hand_ins_waiting_for` answered with its three ORM queries (groups, gatherings, hand-ins)."""
    groups: dict[int, list[MunicipalGroup]] = {}
    for group in MunicipalGroup.objects.filter(
        municipality_id__in=role_scope(user).municipality_ids
    ).select_related("municipality"):
        groups.setdefault(group.regional_program_id, []).append(group)
    gatherings = list(
        Gathering.objects.filter(
            Q(between_work__gt="") | Q(between_work_due__isnull=False),
            regional_program_id__in=list(groups),
            starts_at__lte=now,
            starts_at__gte=now - dt.timedelta(days=WAITING_HAND_IN_DAYS),
        )
        .exclude(status=GatheringStatus.CANCELLED)
        .exclude(kind=GatheringKind.PRE_GATHERING)
    )
    hand_ins = {(h.gathering_id, h.group_id): h for h in HandIn.objects.filter(gathering__in=gatherings)}
    rows = []
    for gathering in gatherings:
        for group in groups[gathering.regional_program_id]:
            draft = hand_ins.get((gathering.pk, group.pk))
            if draft is None or not draft.is_submitted:
                due = gathering.between_work_due
                rows.append((gathering, group, draft, bool(due and due < now)))
    far = dt.datetime.max.replace(tzinfo=dt.UTC)
    rows.sort(key=lambda r: (r[0].between_work_due or far, r[0].starts_at, r[1].pk))
    return [_shown(*row) for row in rows[:limit]]


def _shown(gathering, group, draft, overdue) -> tuple:
    return (
        gathering.pk,
        gathering.display_title,
        gathering.starts_at,
        gathering.between_work_due,
        group.pk,
        group.municipality.name,
        draft and draft.pk,
        overdue,
    )


def test_the_waiting_hand_ins_in_sql_answer_what_the_orm_queries_answered(django_assert_num_queries):
    """Two regions, a contact of two municipalities with groups in both, gatherings with a task or a due date or
    neither, overdue, not started yet, cancelled, a pre-gathering, older than a year; hand-ins delivered and
    drafts: the SQL gives the ORM's rows, in its order, cut at the limit, in one query."""
    now = timezone.now()
    north, south = make_region(municipalities=3, groups=2), make_region(municipalities=2, groups=1)
    g = GatheringFactory
    made = [
        g(
            regional_program=north.region,
            starts_at=now - dt.timedelta(days=20),
            between_work="Skriv",
            between_work_due=now - dt.timedelta(days=2),
        ),  # overdue
        g(
            regional_program=north.region,
            starts_at=now - dt.timedelta(days=5),
            between_work="Skriv",
            between_work_due=now + dt.timedelta(days=9),
        ),
        g(
            regional_program=north.region,
            starts_at=now - dt.timedelta(days=40),
            between_work="Uten frist",
            number=3,
        ),
        g(
            regional_program=north.region,
            starts_at=now - dt.timedelta(days=40),
            kind=GatheringKind.COORDINATOR,
            between_work_due=now + dt.timedelta(days=9),
        ),  # the same moment and due as the second: by group, then id
        g(regional_program=north.region, starts_at=now - dt.timedelta(days=3)),  # no task, no due date
        g(
            regional_program=north.region, starts_at=now + dt.timedelta(days=3), between_work="Senere"
        ),  # not yet
        g(
            regional_program=north.region,
            starts_at=now - dt.timedelta(days=8),
            between_work="Avlyst",
            status=GatheringStatus.CANCELLED,
        ),
        g(regional_program=north.region, pre=True, starts_at=now - dt.timedelta(days=8), between_work="Pre"),
        g(regional_program=north.region, starts_at=now - dt.timedelta(days=400), between_work="Gammel"),
        g(
            regional_program=south.region,
            starts_at=now - dt.timedelta(days=10),
            between_work="Sør",
            between_work_due=now + dt.timedelta(days=9),
        ),
    ]
    HandIn.objects.create(gathering=made[0], group=north.groups[0], submitted_at=now)  # delivered
    HandIn.objects.create(gathering=made[1], group=north.groups[0])  # a draft
    HandIn.objects.create(gathering=made[2], group=north.groups[1], submitted_at=now - dt.timedelta(days=1))
    contact = municipal_contact(north.municipalities[0])
    RoleAssignment.objects.create(
        user=contact, role=Role.MUNICIPAL_CONTACT, municipality=south.municipalities[0]
    )
    RoleAssignment.objects.create(
        user=contact, role=Role.MUNICIPAL_CONTACT, municipality=north.municipalities[1]
    )
    people = [(contact, 10, 7), (contact, 3, 3), (municipal_contact(north.municipalities[1]), 10, 3)]
    for person, limit, n in people:
        expected = _by_the_orm(person, limit=limit, now=now)
        with django_assert_num_queries(1):
            got = [
                _shown(r.gathering, r.group, r.draft, r.overdue)
                for r in hand_ins_waiting_for(person, limit=limit, now=now)
            ]
        assert got == expected
        assert len(got) == n
    assert hand_ins_waiting_for(UserFactory(jury=True), now=now) == []
    first = hand_ins_waiting_for(contact, now=now)[0]
    assert (first.gathering.pk, first.group.pk, first.overdue) == (made[0].pk, north.groups[1].pk, True)
