"""A superuser without a role gets none of the reference-data pages; a superuser leader gets what a
leader gets."""

from django.urls import reverse

from tests.factories import CountyFactory, MunicipalityFactory
from tests.superuser import (
    assert_superuser_leader_sees_what_a_leader_sees,
    assert_superuser_without_roles_gets_404,
)


def _pages() -> list[str]:
    county = CountyFactory()
    municipality = MunicipalityFactory(county=county)
    return [
        reverse("municipalities:municipality_list"),
        reverse("municipalities:municipality_update", args=[municipality.pk]),
        reverse("municipalities:branch_list"),
        reverse("municipalities:branch_create"),
        reverse("municipalities:branch_update", args=[county.branch.pk]),
        reverse("municipalities:county_update", args=[county.pk]),
    ]


def test_superuser_without_roles_gets_404(client, db):
    assert_superuser_without_roles_gets_404(client, _pages())


def test_superuser_leader_gets_exactly_what_a_leader_gets(client, db):
    seen = assert_superuser_leader_sees_what_a_leader_sees(client, _pages())
    assert {status for status, _links, _fields in seen.values()} == {200}
