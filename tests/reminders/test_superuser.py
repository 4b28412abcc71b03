"""A superuser without a role gets none of the outbox pages; a superuser leader gets what a leader gets."""

from django.urls import reverse

from tests.factories import ProgramFactory
from tests.reminders.factories import DeliveryFactory
from tests.reminders.occasions import CODE
from tests.superuser import (
    assert_superuser_leader_sees_what_a_leader_sees,
    assert_superuser_without_roles_gets_404,
)


def _pages() -> list[str]:
    program = ProgramFactory()
    DeliveryFactory(program=program, occasion=CODE)
    return [
        reverse("reminders:delivery_list"),
        reverse("reminders:delivery_list") + f"?program={program.pk}",
        reverse("reminders:occasion_setting_edit", args=[program.pk, CODE]),
    ]


def test_superuser_without_roles_gets_404(client, db, test_occasion):
    assert_superuser_without_roles_gets_404(client, _pages())


def test_superuser_leader_gets_exactly_what_a_leader_gets(client, db, test_occasion):
    seen = assert_superuser_leader_sees_what_a_leader_sees(client, _pages())
    assert {status for status, _links, _fields in seen.values()} == {200}
