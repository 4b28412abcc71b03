"""The guidance reads that are written out as SQL, held to the ORM queries they replace."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import Role, RoleAssignment
from guidance.models import GuidanceAgreement
from guidance.selectors import municipality_dashboard_agreements
from guidance.selectors.hours import decorate, with_hours
from tests.factories import (
    MunicipalityFactory,
    ProgramFactory,
    RegionalProgramFactory,
    UserFactory,
    municipal_contact,
)
from tests.guidance.factories import AgreementFactory, SessionFactory

pytestmark = pytest.mark.django_db

_SHOWN = (
    "pk",
    "agreed_hours",
    "used_minutes",
    "session_count",
    "last_held_on",
    "planned_next_at",
    "used_hours",
    "left_hours",
    "over_hours",
    "percent_used",
    "frame_state",
    "next_at",
    "not_met",
    "weeks_since",
)


def _shown(agreement) -> tuple:
    return (
        *(getattr(agreement, name) for name in _SHOWN),
        agreement.municipality.name,
        agreement.regional_program.name,
    )


def _by_the_orm(user, limit: int = 5) -> list[tuple]:
    """What `municipality_dashboard_agreements` answered when the ORM built its query."""
    from accounts.permissions import role_scope

    rows = (
        with_hours(GuidanceAgreement.objects.filter(municipality_id__in=role_scope(user).municipality_ids))
        .select_related("municipality", "regional_program")
        .order_by("-regional_program__program__interest_deadline", "municipality__name", "pk")[:limit]
    )
    return [_shown(decorate(a)) for a in rows]


def test_the_contacts_agreements_in_sql_answer_what_the_orm_query_answered():
    """Agreements in three editions, one declined, one over its hours, one without sessions, one long not met,
    sessions with and without a planned next meeting (the latest entry decides), another municipality's beside:
    the SQL gives the ORM's agreements with the same hours and display values, to a contact of two
    municipalities, with and without a limit, and to a person with none."""
    now = timezone.now()
    today = timezone.localdate()
    editions = [ProgramFactory(interest_deadline=now + dt.timedelta(days=d)) for d in (-300, 10, -30)]
    regions = [RegionalProgramFactory(program=p) for p in editions]
    home, second, elsewhere = (MunicipalityFactory(name=n) for n in ("Bø", "Askvoll", "Øygarden"))
    agreements = [
        AgreementFactory(regional_program=regions[0], municipality=home, agreed_hours=Decimal("1.5")),
        AgreementFactory(regional_program=regions[1], municipality=home, agreed_hours=Decimal("20")),
        AgreementFactory(regional_program=regions[1], municipality=second, declined=True),
        AgreementFactory(
            regional_program=regions[2], municipality=second, starts_on=today - dt.timedelta(days=90)
        ),
        AgreementFactory(regional_program=regions[2], municipality=home, agreed_hours=Decimal("0")),
        AgreementFactory(regional_program=regions[1], municipality=elsewhere),
    ]
    SessionFactory(agreement=agreements[0], held_on=today - dt.timedelta(days=20), duration_minutes=60)
    SessionFactory(  # over the 1.5 hours; plans the next meeting
        agreement=agreements[0],
        held_on=today - dt.timedelta(days=3),
        duration_minutes=45,
        next_session_at=now + dt.timedelta(days=6),
    )
    SessionFactory(  # an older entry's planned meeting does not count
        agreement=agreements[1],
        held_on=today - dt.timedelta(days=30),
        next_session_at=now + dt.timedelta(days=2),
    )
    SessionFactory(agreement=agreements[1], held_on=today - dt.timedelta(days=10), duration_minutes=30)
    SessionFactory(  # a planned meeting already passed
        agreement=agreements[4],
        held_on=today - dt.timedelta(days=60),
        next_session_at=now - dt.timedelta(days=1),
    )
    SessionFactory(agreement=agreements[5], duration_minutes=600)
    SessionFactory(  # dated after today (saved before that was refused): counted, but not the last meeting held
        agreement=agreements[1], held_on=today + dt.timedelta(days=3), duration_minutes=15
    )
    contact = municipal_contact(home)
    RoleAssignment.objects.create(user=contact, role=Role.MUNICIPAL_CONTACT, municipality=second)
    for person, limit, n in ((contact, 5, 5), (contact, 3, 3), (municipal_contact(second), 5, 2)):
        got = [_shown(a) for a in municipality_dashboard_agreements(user=person, limit=limit)]
        assert got == _by_the_orm(person, limit)
        assert len(got) == n
    assert municipality_dashboard_agreements(user=UserFactory(jury=True)) == []
    shown = {a.pk: a for a in municipality_dashboard_agreements(user=contact)}
    assert (shown[agreements[0].pk].used_hours, shown[agreements[0].pk].frame_state) == (
        Decimal("1.8"),
        "over",
    )
    assert shown[agreements[0].pk].next_at == now + dt.timedelta(days=6)
    assert shown[agreements[1].pk].next_at is None  # the latest entry planned none
    assert shown[agreements[3].pk].not_met is True
    assert shown[agreements[1].pk].last_held_on == today - dt.timedelta(days=10)
