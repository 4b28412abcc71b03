"""Which regions and gatherings a person sees, read once per request as a list of region ids."""

import pytest

from accounts.models import Role, RoleAssignment
from accounts.permissions import forget_role_scope
from gatherings import selectors
from gatherings.permissions import sees_gathering
from gatherings.services import feed_create
from tests.applications.factories import ApplicationFactory
from tests.factories import MunicipalityFactory, board_member, municipal_contact
from tests.gatherings.factories import GatheringFactory, GroupFactory, RegistrationFactory, make_region

pytestmark = pytest.mark.django_db


def test_a_contact_and_a_board_member_see_their_own_regions_only():
    north, south = make_region(), make_region()
    north_gathering = GatheringFactory(regional_program=north.region, title="Nordsamling")
    GatheringFactory(regional_program=south.region, title="Sørsamling")

    contact = municipal_contact(north.municipalities[0])  # the municipality's group is in the north
    board = board_member(south.branch)

    assert list(selectors.regional_programs_for(contact)) == [north.region]
    assert list(selectors.regional_programs_for(board)) == [south.region]
    assert [g.title for g in selectors.upcoming_gatherings_for(contact)] == ["Nordsamling"]
    assert [g.title for g in selectors.upcoming_gatherings_for(board)] == ["Sørsamling"]
    assert selectors.gathering_get(user=contact, pk=north_gathering.pk) == north_gathering


@pytest.mark.parametrize("status", ["draft", "submitted", "declined"])
def test_a_contact_not_admitted_sees_the_pre_gatherings_and_not_the_gatherings(client, status):
    """A municipality whose application is not accepted has no group: its contact is invited to the region's
    pre-gatherings, but the gatherings are the admitted groups' (the demo's Sunnfjord with a draft)."""
    north = make_region(municipalities=3, groups=2)
    town = north.municipalities[2]
    ApplicationFactory(regional_program=north.region, municipality=town, complete=True, status=status)
    gathering = GatheringFactory(regional_program=north.region, title="Oppstart våren")
    pre = GatheringFactory(regional_program=north.region, pre=True, title="Hva er Fremtidens kulturskole?")
    contact = municipal_contact(town)
    client.force_login(contact)

    dashboard = client.get("/").content.decode()
    assert "Hva er Fremtidens kulturskole?" in dashboard
    assert "Oppstart våren" not in dashboard
    assert client.get(f"/samlinger/{gathering.pk}/").status_code == 404
    assert client.get(f"/samlinger/{gathering.pk}/kalender.ics").status_code == 404
    assert client.get(f"/samlinger/{pre.pk}/").status_code == 200
    assert client.get(f"/samlinger/{pre.pk}/presamling/").status_code == 200
    region_page = client.get(f"/samlinger/region/{north.region.pk}/").content.decode()
    assert "Hva er Fremtidens kulturskole?" in region_page
    assert "Oppstart våren" not in region_page
    assert "Mellomarbeid i regionen" not in region_page
    assert client.get(f"/samlinger/region/{north.region.pk}/mellomarbeid/").status_code == 404
    index = client.get("/samlinger/").content.decode()
    assert "Oppstart våren" not in index
    assert not sees_gathering(contact, gathering)
    assert sees_gathering(contact, pre)


def test_admission_opens_the_gatherings_to_the_contact(client):
    north = make_region(municipalities=3, groups=2)
    town = north.municipalities[2]
    gathering = GatheringFactory(regional_program=north.region, title="Oppstart våren")
    contact = municipal_contact(town)
    client.force_login(contact)
    assert client.get(f"/samlinger/{gathering.pk}/").status_code == 404

    GroupFactory(regional_program=north.region, municipality=town)  # accepted: the group is made

    assert client.get(f"/samlinger/{gathering.pk}/").status_code == 200
    assert "Oppstart våren" in client.get("/").content.decode()


def test_a_non_member_municipality_is_not_invited_to_pre_gatherings():
    north = make_region(municipalities=2, groups=1)
    outsider = MunicipalityFactory(county=north.municipalities[0].county, not_member=True)
    pre = GatheringFactory(regional_program=north.region, pre=True)
    contact = municipal_contact(outsider)
    assert list(selectors.regional_programs_for(contact)) == []
    assert not sees_gathering(contact, pre)


def test_a_region_feed_of_a_contact_not_admitted_holds_the_pre_gatherings_only():
    north = make_region(municipalities=3, groups=2)
    GatheringFactory(regional_program=north.region, title="Oppstart våren")
    pre = GatheringFactory(regional_program=north.region, pre=True)
    contact = municipal_contact(north.municipalities[2])
    feed = feed_create(actor=contact, regional_program=north.region)
    assert list(selectors.gatherings_for_feed(feed)) == [pre]


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
