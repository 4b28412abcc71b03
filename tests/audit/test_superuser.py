"""A superuser without a role cannot read the log; a superuser leader reads what a leader reads."""

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from audit.services import audit_log
from tests.factories import CountyBranchFactory, UserFactory
from tests.superuser import (
    assert_superuser_leader_sees_what_a_leader_sees,
    assert_superuser_without_roles_gets_404,
)


def _pages() -> list[str]:
    branch = CountyBranchFactory()
    audit_log(
        actor=UserFactory(leadership=True), action="municipalities.branch.updated", obj=branch, details={}
    )
    content_type = ContentType.objects.get_for_model(branch)
    return [reverse("audit:entry_list"), reverse("audit:object_log", args=[content_type.pk, branch.pk])]


def test_superuser_without_roles_gets_404(client, db):
    assert_superuser_without_roles_gets_404(client, _pages())


def test_superuser_leader_gets_exactly_what_a_leader_gets(client, db):
    seen = assert_superuser_leader_sees_what_a_leader_sees(client, _pages())
    assert {status for status, _links, _fields in seen.values()} == {200}
