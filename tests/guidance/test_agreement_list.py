"""The guidance page's agreement list is read in SQL of its own (issue 14): it must give what the queryset gives."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.paginator import Paginator
from django.urls import reverse
from django.utils import timezone

from guidance import selectors
from tests.factories import MunicipalityFactory, RegionalProgramFactory, UserFactory
from tests.guidance.factories import AgreementFactory, SessionFactory, advisor

pytestmark = pytest.mark.django_db


def _from_queryset(user, page: int, per_page: int) -> list[tuple]:
    rows = Paginator(selectors.agreement_list_queryset(user=user), per_page).get_page(page).object_list
    return [
        (
            a.pk,
            a.municipality.name,
            a.regional_program.name,
            a.agreed_hours,
            a.agreed_minutes,
            a.starts_on,
            a.declined_on,
            a.used_minutes,
            a.last_held_on,
            a.planned_next_at,
            [p.get_full_name() for p in a.advisors.all()],
        )
        for a in rows
    ]


def _from_sql(user, page: int, per_page: int) -> list[tuple]:
    rows = Paginator(selectors.agreement_list(user=user), per_page).get_page(page).object_list
    return [
        (
            a.pk,
            a.municipality_name,
            a.regional_program_name,
            a.agreed_hours,
            a.agreed_minutes,
            a.starts_on,
            a.declined_on,
            a.used_minutes,
            a.last_held_on,
            a.planned_next_at,
            a.advisor_names,
        )
        for a in rows
    ]


@pytest.fixture
def many(setting):
    """Agreements in two editions, with sessions (a next meeting on the latest), advisors with and without a name,
    a declined one and one with no advisor."""
    today = timezone.localdate()
    older = RegionalProgramFactory(
        name="Eldre region",
        program__interest_deadline=setting.rp.program.interest_deadline - dt.timedelta(days=365),
    )
    nameless = advisor(full_name="", email="a-uten-navn@example.org")
    for i in range(7):
        agreement = AgreementFactory(
            regional_program=older if i % 2 else setting.rp,
            municipality=MunicipalityFactory(name=f"Kommune {i:02d}"),
            agreed_hours=Decimal("12.5") if i % 3 else Decimal("8"),
            advisors=[setting.vera, nameless] if i % 2 else ([setting.otto] if i % 3 else []),
            declined=i == 4,
        )
        for days in range(i % 4):
            SessionFactory(
                agreement=agreement,
                held_on=today - dt.timedelta(days=10 * days + 3),
                duration_minutes=45 + 30 * days,
                next_session_at=timezone.now() + dt.timedelta(days=days + 1),
            )
    return setting


@pytest.mark.parametrize("who", ["leader", "vera", "contact", "otto"])
def test_agreement_list_sql_gives_the_queryset_rows_on_every_page(many, who):
    user = getattr(many, who)
    total = selectors.agreement_list_queryset(user=user).count()
    assert selectors.agreement_list(user=user).count() == total
    assert total >= (1 if who == "contact" else 3)
    for page in (1, 2, 3):
        expected = _from_queryset(user, page, 3)
        assert _from_sql(user, page, 3) == expected
        assert expected


def test_agreement_list_of_a_person_without_agreements_is_empty(db):
    lonely = advisor(full_name="Ensom Veileder")
    assert selectors.agreement_list(user=lonely).count() == 0
    assert list(Paginator(selectors.agreement_list(user=lonely), 50).get_page(1)) == []
    assert selectors.agreement_list(user=UserFactory()).count() == 0


def test_guidance_page_queries_do_not_grow_with_agreements(client, many, django_assert_max_num_queries):
    client.force_login(many.leader)
    url = reverse("guidance:home")
    with django_assert_max_num_queries(100) as few:
        client.get(url)
    for i in range(12):
        AgreementFactory(regional_program=many.rp, advisors=[many.vera, many.otto], agreed_hours=Decimal(i))
    with django_assert_max_num_queries(100) as more:
        body = client.get(url).content.decode()
    assert len(more.captured_queries) == len(few.captured_queries)
    assert "Otto Annen, Vera Veileder" in body
