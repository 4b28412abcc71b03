import pytest

from accounts import selectors, services
from accounts.models import Role
from tests.factories import CountyBranchFactory, UserFactory, board_member

pytestmark = pytest.mark.django_db


def test_only_leadership_sees_people_and_invitations():
    services.invitation_create(actor=None, email="ny@example.org", full_name="N", role=Role.ADVISOR)
    for user in [UserFactory(advisor=True), board_member(CountyBranchFactory()), UserFactory()]:
        assert not selectors.people_list(actor=user).exists()
        assert not selectors.invitations_open(actor=user).exists()
        assert selectors.people_role_counts(actor=user) == {}
    leader = UserFactory(leadership=True)
    assert selectors.people_list(actor=leader).count() == 4
    assert selectors.invitations_open(actor=leader).count() == 1


def test_people_list_filters():
    leader = UserFactory(leadership=True, full_name="Liv Leder")
    UserFactory(full_name="Vera Veileder", email="vera@example.org", advisor=True)
    UserFactory(full_name="Ina Ingen", is_active=False)
    assert [u.full_name for u in selectors.people_list(actor=leader, search="veil")] == ["Vera Veileder"]
    assert [u.full_name for u in selectors.people_list(actor=leader, role=Role.ADVISOR)] == ["Vera Veileder"]
    assert [u.full_name for u in selectors.people_list(actor=leader, role="none")] == ["Ina Ingen"]
    assert [u.full_name for u in selectors.people_list(actor=leader, active="no")] == ["Ina Ingen"]


def test_people_list_query_count(django_assert_num_queries):
    leader = UserFactory(leadership=True)
    branch = CountyBranchFactory()
    for i in range(10):
        board_member(branch, email=f"s{i}@example.org")
    with django_assert_num_queries(3):  # role scope of the actor, people, their roles
        people = list(selectors.people_list(actor=leader))
        for person in people:
            [str(a) for a in person.role_assignments.all()]


def test_role_counts_count_active_people_per_role():
    leader = UserFactory(leadership=True)
    UserFactory(advisor=True)
    UserFactory(advisor=True, is_active=False)
    counts = selectors.people_role_counts(actor=leader)
    assert counts[Role.ADVISOR] == 1
    assert counts[Role.LEADERSHIP] == 1
    assert counts[Role.JURY_MEMBER] == 0
    assert list(counts) == list(Role.values)
