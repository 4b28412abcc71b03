from django.urls import reverse

from municipalities import selectors
from tests.factories import MunicipalityFactory, UserFactory, board_member, municipal_contact
from tests.municipalities.factories import branch_with_municipalities


def test_branch_list_is_for_leadership_only(db):
    branch = branch_with_municipalities()
    assert list(selectors.county_branch_list(user=UserFactory(leadership=True))) == [branch]
    assert not selectors.county_branch_list(user=board_member(branch)).exists()
    assert not selectors.county_branch_list(user=UserFactory()).exists()


def test_branch_list_counts_with_one_query_plus_the_prefetch(db, django_assert_num_queries):
    leader = UserFactory(leadership=True)
    for _ in range(6):
        board_member(branch_with_municipalities(counties=2, municipalities=3, members=5))
    from accounts.permissions import role_scope

    role_scope(leader)  # the role lookup is cached per user object; count only the selector itself
    with django_assert_num_queries(2):
        rows = list(selectors.county_branch_list(user=leader))
        summary = [(b.municipality_count, b.member_municipality_count, b.board_member_count) for b in rows]
        names = [[c.name for c in b.counties.all()] for b in rows]
    assert summary == [(6, 5, 1)] * 6
    assert all(len(n) == 2 for n in names)


def test_municipalities_are_scoped_to_the_board_members_branch(db):
    own, other = branch_with_municipalities(counties=2), branch_with_municipalities()
    user = board_member(own)
    assert {m.county.branch for m in selectors.municipality_list(user=user)} == {own}
    assert selectors.municipality_list(user=user).count() == 4
    assert not selectors.municipality_list(user=user, county=other.counties.get()).exists()
    assert set(selectors.county_list(user=user)) == set(own.counties.all())


def test_municipalities_are_hidden_from_contacts_advisors_and_jury(db):
    municipality = MunicipalityFactory()
    for user in (municipal_contact(municipality), UserFactory(advisor=True), UserFactory(jury=True)):
        assert not selectors.municipality_list(user=user).exists()
        assert not selectors.county_list(user=user).exists()
        assert selectors.municipality_for_edit(user=user, pk=municipality.pk) is None


def test_dashboard_selectors_give_the_panels_their_facts(db):
    branch = branch_with_municipalities(counties=2, municipalities=2, members=3)
    municipality = branch.counties.first().municipalities.first()
    person = board_member(branch)
    from accounts.models import Role, RoleAssignment

    RoleAssignment.objects.create(user=person, role=Role.MUNICIPAL_CONTACT, municipality=municipality)

    [panel_branch] = selectors.dashboard_branches(user=person)
    assert panel_branch.member_municipality_count == 3
    assert [m.county.branch for m in selectors.dashboard_municipalities(user=person)] == [branch]
    assert selectors.dashboard_branches(user=UserFactory(leadership=True)) == []


def test_dashboard_query_count_does_not_grow_with_the_branch(client, db, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    small = branch_with_municipalities(counties=1, municipalities=1)
    client.force_login(board_member(small))
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("accounts:dashboard")).status_code == 200
    few = len(ctx.captured_queries)

    big = branch_with_municipalities(counties=5, municipalities=20)
    client.force_login(board_member(big))
    with django_assert_num_queries(few):
        response = client.get(reverse("accounts:dashboard"))
    html = response.content.decode()
    assert "Din fylkesavdeling" in html
    assert big.name in html


def test_municipalities_are_listed_in_norwegian_alphabetical_order(reference_data):
    import pytest
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("norsk sortering gjelder PostgreSQL; SQLite beholder sin egen rekkefølge")
    names = [m.name for m in selectors.municipality_list(user=UserFactory(leadership=True))]
    assert names[-1].startswith("Å")
    assert names.index("Værøy") < names.index("Øksnes") < names.index("Øygarden") < names.index("Åfjord")


def test_branch_list_and_choices_are_in_norwegian_order(db):
    import pytest
    from django.db import connection

    from tests.factories import CountyBranchFactory

    if connection.vendor != "postgresql":
        pytest.skip("norsk sortering gjelder PostgreSQL; SQLite beholder sin egen rekkefølge")
    for name in ("Østfold", "Åsen", "Agder", "Ærøy", "Oppland"):  # neither made nor named in order
        CountyBranchFactory(name=f"Norsk kulturskoleråd {name}")
    leader = UserFactory(leadership=True)
    norwegian = [f"Norsk kulturskoleråd {n}" for n in ("Agder", "Oppland", "Ærøy", "Østfold", "Åsen")]
    listed = [b.name for b in selectors.county_branch_list(user=leader) if b.name in norwegian]
    choices = [b.name for b in selectors.county_branch_choices(user=leader) if b.name in norwegian]
    assert listed == norwegian
    assert choices == norwegian


def _dashboard_branches_by_the_orm(user) -> list[tuple]:
    """What `dashboard_branches` read with the ORM (annotated count, counties prefetched) before it was written out."""
    from django.db.models import Count, Prefetch, Q

    from accounts.permissions import role_scope
    from municipalities.models import County, CountyBranch

    return [
        (
            b.pk,
            b.name,
            b.email,
            b.is_active,
            b.member_municipality_count,
            [(c.pk, c.name) for c in b.counties.all()],
        )
        for b in CountyBranch.objects.filter(pk__in=role_scope(user).branch_ids)
        .annotate(
            member_municipality_count=Count(
                "counties__municipalities", filter=Q(counties__municipalities__is_member=True), distinct=True
            )
        )
        .prefetch_related(Prefetch("counties", queryset=County.objects.order_by("number")))
        .order_by(selectors.by_norwegian_name(), "pk")
    ]


def test_the_dashboards_branches_in_one_statement_answer_what_the_orm_read(db, django_assert_num_queries):
    """A board member of four branches (Norwegian names out of order, one inactive, one without counties, one with
    no member municipalities): one statement gives the ORM's branches, counts and counties, in its order."""
    from accounts.models import Role, RoleAssignment
    from municipalities.models import CountyBranch
    from tests.factories import CountyBranchFactory, CountyFactory

    person = UserFactory()
    branches = [
        branch_with_municipalities(counties=3, municipalities=3, members=2),
        branch_with_municipalities(counties=1, municipalities=2, members=0),
        CountyBranchFactory(name="Norsk kulturskoleråd Ærøy"),
        branch_with_municipalities(counties=2, municipalities=1, members=1),
    ]
    for branch, name in zip(branches, ("Østfold", "Agder", "Ærøy", "Åsen"), strict=True):
        CountyBranch.objects.filter(pk=branch.pk).update(name=f"Norsk kulturskoleråd {name}")
    CountyBranch.objects.filter(pk=branches[3].pk).update(is_active=False, email="")
    CountyFactory(branch=branches[0], number="99")  # a county added later, numbered last
    for branch in branches:
        RoleAssignment.objects.create(user=person, role=Role.BOARD_MEMBER, branch=branch)
    board_member(branch_with_municipalities())  # another branch's
    expected = _dashboard_branches_by_the_orm(person)
    with django_assert_num_queries(1):  # the branches with their counties (the roles were read above)
        got = [
            (
                b.pk,
                b.name,
                b.email,
                b.is_active,
                b.member_municipality_count,
                [(c.pk, c.name) for c in b.dashboard_counties],
            )
            for b in selectors.dashboard_branches(user=person)
        ]
    assert got == expected
    assert sorted(len(row[5]) for row in got) == [0, 1, 2, 4]  # counties compared: none, one, two, four
    from django.db import connection

    if connection.vendor == "postgresql":  # SQLite keeps its own order
        shown = [(name.removeprefix("Norsk kulturskoleråd "), n) for _pk, name, _e, _a, n, _c in got]
        assert shown == [("Agder", 0), ("Ærøy", 0), ("Østfold", 2), ("Åsen", 1)]
