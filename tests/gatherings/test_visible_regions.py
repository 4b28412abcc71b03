"""Which regions and gatherings a person sees, read once per request as a list of region ids."""

import pytest

from accounts.models import Role, RoleAssignment
from accounts.permissions import forget_role_scope
from gatherings import selectors
from tests.factories import board_member, municipal_contact
from tests.gatherings.factories import GatheringFactory, RegistrationFactory, make_region

pytestmark = pytest.mark.django_db


def test_a_contact_and_a_board_member_see_their_own_regions_only():
    north, south = make_region(), make_region()
    north_gathering = GatheringFactory(regional_program=north.region, title="Nordsamling")
    GatheringFactory(regional_program=south.region, title="Sørsamling")

    contact = municipal_contact(north.municipalities[2])  # no group yet: the branch covers the municipality
    board = board_member(south.branch)

    assert list(selectors.regional_programs_for(contact)) == [north.region]
    assert list(selectors.regional_programs_for(board)) == [south.region]
    assert [g.title for g in selectors.upcoming_gatherings_for(contact)] == ["Nordsamling"]
    assert [g.title for g in selectors.upcoming_gatherings_for(board)] == ["Sørsamling"]
    assert selectors.gathering_get(user=contact, pk=north_gathering.pk) == north_gathering


def test_a_new_role_in_the_same_request_shows_its_regions():
    north, south = make_region(), make_region()
    contact = municipal_contact(north.municipalities[0])
    assert list(selectors.regional_programs_for(contact)) == [north.region]

    RoleAssignment.objects.create(user=contact, role=Role.BOARD_MEMBER, branch=south.branch)
    forget_role_scope(contact)

    assert set(selectors.regional_programs_for(contact)) == {north.region, south.region}


def test_the_dashboard_shows_registration_counts_to_leadership_only(client, leader):
    north = make_region()
    gathering = GatheringFactory(regional_program=north.region, title="Vårsamling")
    for group in north.groups:
        RegistrationFactory(gathering=gathering, municipality=group.municipality, group=group)
    contact = municipal_contact(north.municipalities[0])

    client.force_login(leader)
    assert "2 påmeldt" in client.get("/").content.decode()

    client.force_login(contact)
    page = client.get("/").content.decode()
    assert "Vårsamling" in page
    assert "påmeldt" not in page
