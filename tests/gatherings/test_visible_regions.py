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


def _scope_by_the_orm(user) -> tuple[frozenset[int], frozenset[int]]:
    """(full, pre_only) as `gathering_scope` read them with two ORM queries before they were written out."""
    from accounts.permissions import role_scope
    from gatherings.permissions import advised
    from municipalities.models import Municipality
    from programs.models import MunicipalGroup, RegionalProgram

    scope = role_scope(user)
    full = {rp for rp, _m in advised(user)}
    pre: set[int] = set()
    through = RegionalProgram.branches.through.objects
    if scope.branch_ids:
        full |= set(
            through.filter(countybranch_id__in=scope.branch_ids).values_list("regionalprogram_id", flat=True)
        )
    if scope.municipality_ids:
        full |= set(
            MunicipalGroup.objects.filter(municipality_id__in=scope.municipality_ids).values_list(
                "regional_program_id", flat=True
            )
        )
        members = Municipality.objects.filter(pk__in=scope.municipality_ids, is_member=True)
        pre = set(
            through.filter(countybranch__counties__municipalities__in=members).values_list(
                "regionalprogram_id", flat=True
            )
        )
    return frozenset(full), frozenset(pre - full)


def test_the_scope_in_one_statement_answers_what_the_orm_queries_answered(django_assert_num_queries):
    """Regions of two branches (one region shared), a contact with a group in one region and only pre-gatherings
    in another, a contact of a municipality that is no member, a board member who is also a contact, an advisor:
    the one statement gives the ORM's regions, whole and pre-gatherings only, in at most one query."""
    from gatherings.permissions import gathering_scope
    from programs.models import RegionalProgram
    from tests.factories import CountyBranchFactory, CountyFactory, RegionalProgramFactory, UserFactory
    from tests.guidance.factories import AgreementFactory

    north, south = make_region(municipalities=3, groups=1), make_region(municipalities=2, groups=1)
    shared = RegionalProgramFactory(branches=[north.branch, south.branch])
    later = RegionalProgramFactory(branches=[north.branch])
    GroupFactory(regional_program=shared, municipality=south.municipalities[1])
    outsider = MunicipalityFactory(county=CountyFactory(branch=CountyBranchFactory()), is_member=False)
    GroupFactory(regional_program=later, municipality=outsider)  # a group, though not a member
    lonely = MunicipalityFactory(county=CountyFactory(branch=None))  # a county without a branch
    both = board_member(south.branch)
    RoleAssignment.objects.create(
        user=both, role=Role.MUNICIPAL_CONTACT, municipality=north.municipalities[1]
    )
    two = municipal_contact(north.municipalities[0])
    RoleAssignment.objects.create(user=two, role=Role.MUNICIPAL_CONTACT, municipality=south.municipalities[1])
    advisor = UserFactory(advisor=True)
    AgreementFactory(regional_program=later, municipality=north.municipalities[2], advisors=[advisor])
    people = {
        "north contact": municipal_contact(north.municipalities[0]),
        "pre only": municipal_contact(north.municipalities[2]),
        "two": two,
        "outsider": municipal_contact(outsider),
        "lonely": municipal_contact(lonely),
        "board": board_member(north.branch),
        "both": both,
        "advisor": advisor,
        "jury": UserFactory(jury=True),
    }
    for person in people.values():
        expected = _scope_by_the_orm(person)
        person._gathering_scope = None  # read anew (the reference above reads the roles)
        with django_assert_num_queries(1 if person not in (advisor, people["jury"]) else 0):
            found = gathering_scope(person)
        assert (found.full, found.pre_only) == expected
    north_regions = set(RegionalProgram.objects.filter(branches=north.branch).values_list("pk", flat=True))
    assert gathering_scope(people["pre only"]).pre_only == north_regions
    assert gathering_scope(people["two"]).full == {north.region.pk, shared.pk}  # their groups' regions
    assert south.region.pk in gathering_scope(people["two"]).pre_only  # a member there, without a group
    assert gathering_scope(people["outsider"]).full == {later.pk}
    assert gathering_scope(people["outsider"]).pre_only == frozenset()
