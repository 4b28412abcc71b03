"""A superuser without a role gets none of the people pages; a superuser leader gets what a leader gets."""

from django.urls import reverse

from tests.factories import UserFactory
from tests.superuser import (
    assert_superuser_leader_sees_what_a_leader_sees,
    assert_superuser_without_roles_gets_404,
)


def _pages(db) -> list[str]:
    person = UserFactory(advisor=True)
    return [
        reverse("accounts:people_list"),
        reverse("accounts:person_invite"),
        reverse("accounts:invitation_list"),
        reverse("accounts:person_detail", args=[person.pk]),
    ]


def test_superuser_without_roles_gets_404(client, db):
    assert_superuser_without_roles_gets_404(client, _pages(db))


def test_superuser_leader_gets_exactly_what_a_leader_gets(client, db):
    seen = assert_superuser_leader_sees_what_a_leader_sees(client, _pages(db))
    assert {status for status, _links, _fields in seen.values()} == {200}
