import pytest
from django.core.exceptions import ValidationError

from accounts import services
from accounts.models import Role, RoleAssignment
from accounts.permissions import is_leadership, role_scope
from audit.models import AuditEntry
from tests.factories import CountyBranchFactory, MunicipalityFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_role_add_writes_audit_and_updates_scope():
    leader = UserFactory(leadership=True)
    person = UserFactory()
    municipality = MunicipalityFactory(name="Sunnfjord")
    assert role_scope(person).municipality_ids == frozenset()
    assignment = services.role_add(
        actor=leader, user=person, role=Role.MUNICIPAL_CONTACT, municipality=municipality
    )
    assert assignment.municipality == municipality
    assert role_scope(person).municipality_ids == {municipality.pk}
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.actor, entry.object_id) == ("accounts.role.added", leader, str(person.pk))
    assert entry.details["municipality"] == {"id": municipality.pk, "name": "Sunnfjord"}


def test_role_add_twice_changes_nothing():
    leader, person = UserFactory(leadership=True), UserFactory()
    first = services.role_add(actor=leader, user=person, role=Role.ADVISOR)
    second = services.role_add(actor=leader, user=person, role=Role.ADVISOR)
    assert first.pk == second.pk
    assert AuditEntry.objects.count() == 1


def test_a_person_can_hold_several_roles():
    leader, person = UserFactory(leadership=True), UserFactory()
    branch = CountyBranchFactory()
    services.role_add(actor=leader, user=person, role=Role.BOARD_MEMBER, branch=branch)
    services.role_add(
        actor=leader, user=person, role=Role.MUNICIPAL_CONTACT, municipality=MunicipalityFactory()
    )
    services.role_add(actor=leader, user=person, role=Role.JURY_MEMBER)
    assert role_scope(person).roles == {Role.BOARD_MEMBER, Role.MUNICIPAL_CONTACT, Role.JURY_MEMBER}


@pytest.mark.parametrize(
    ("role", "with_branch", "with_municipality", "field"),
    [
        (Role.BOARD_MEMBER, False, False, "branch"),
        (Role.BOARD_MEMBER, True, True, "municipality"),
        (Role.MUNICIPAL_CONTACT, False, False, "municipality"),
        (Role.LEADERSHIP, True, False, "branch"),
        (Role.JURY_MEMBER, False, True, "municipality"),
        ("superbruker", False, False, "role"),
    ],
)
def test_role_add_scope_rules(role, with_branch, with_municipality, field):
    kwargs = {}
    if with_branch:
        kwargs["branch"] = CountyBranchFactory()
    if with_municipality:
        kwargs["municipality"] = MunicipalityFactory()
    with pytest.raises(ValidationError) as excinfo:
        services.role_add(actor=UserFactory(leadership=True), user=UserFactory(), role=role, **kwargs)
    assert field in excinfo.value.message_dict
    assert not RoleAssignment.objects.exclude(role=Role.LEADERSHIP).exists()
    assert not AuditEntry.objects.exists()


def test_role_remove_writes_audit():
    leader, person = UserFactory(leadership=True), UserFactory(advisor=True)
    assignment = person.role_assignments.get()
    services.role_remove(actor=leader, assignment=assignment)
    assert not person.role_assignments.exists()
    entry = AuditEntry.objects.get()
    assert entry.action == "accounts.role.removed"
    assert entry.details["role"] == Role.ADVISOR


def test_cannot_remove_own_last_leadership_role():
    leader = UserFactory(leadership=True)
    with pytest.raises(ValidationError, match="egen programledelse-rolle"):
        services.role_remove(actor=leader, assignment=leader.role_assignments.get())
    assert is_leadership(leader)
    assert not AuditEntry.objects.exists()


def test_can_remove_own_other_roles_and_other_leaders_leadership():
    leader = UserFactory(leadership=True)
    jury = RoleAssignment.objects.create(user=leader, role=Role.JURY_MEMBER)
    services.role_remove(actor=leader, assignment=jury)
    other = UserFactory(leadership=True)
    services.role_remove(actor=leader, assignment=other.role_assignments.get())
    assert not other.role_assignments.exists()


def test_deactivate_and_reactivate():
    leader, person = UserFactory(leadership=True), UserFactory(advisor=True)
    services.user_deactivate(actor=leader, user=person)
    person.refresh_from_db()
    assert not person.is_active
    assert role_scope(person).roles == frozenset()  # an inactive person has no powers
    assert person.role_assignments.exists()  # but keeps them for reactivation
    services.user_deactivate(actor=leader, user=person)  # twice: no second row
    services.user_reactivate(actor=leader, user=person)
    person.refresh_from_db()
    assert person.is_active
    assert list(AuditEntry.objects.order_by("id").values_list("action", flat=True)) == [
        "accounts.user.deactivated",
        "accounts.user.reactivated",
    ]


def test_cannot_deactivate_yourself():
    leader = UserFactory(leadership=True)
    with pytest.raises(ValidationError, match="deaktivere deg selv"):
        services.user_deactivate(actor=leader, user=leader)
    leader.refresh_from_db()
    assert leader.is_active


def test_user_phone_must_look_like_a_phone_number(db):
    from django.core.exceptions import ValidationError as DjangoValidationError

    from tests.factories import UserFactory

    user = UserFactory(phone="abcdefg")
    with pytest.raises(DjangoValidationError) as exc:
        user.full_clean()
    assert "Oppgi et gyldig telefonnummer" in str(exc.value.message_dict["phone"])
    for bad in ("1234", "+47 912 34 567 89 12 34 56 78 9"):
        user.phone = bad
        with pytest.raises(DjangoValidationError):
            user.full_clean()
    user.phone = "+47 (912) 34-567"
    user.full_clean()
