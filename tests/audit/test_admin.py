import pytest
from django.contrib.contenttypes.models import ContentType

from accounts.models import Invitation, Role, RoleAssignment, User
from audit.models import AuditEntry
from audit.services import audit_log
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = UserFactory(email="admin@example.org", is_staff=True, is_superuser=True, leadership=True)
    client.force_login(user)
    return client


def test_audit_entries_are_read_only_in_admin(admin_client):
    entry = audit_log(actor=None, action="accounts.role.added", details={"rolle": "advisor"})
    assert admin_client.get("/admin/audit/auditentry/").status_code == 200
    assert "accounts.role.added" in admin_client.get("/admin/audit/auditentry/").content.decode()
    assert admin_client.get(f"/admin/audit/auditentry/{entry.pk}/change/").status_code == 200
    assert admin_client.get("/admin/audit/auditentry/add/").status_code == 403
    assert (
        admin_client.post(f"/admin/audit/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    )
    response = admin_client.post(f"/admin/audit/auditentry/{entry.pk}/change/", {"action": "endret"})
    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.action == "accounts.role.added"


def test_user_admin_creates_by_email_and_audits(admin_client):
    response = admin_client.post(
        "/admin/accounts/user/add/",
        {
            "email": "Ny@Example.org",
            "full_name": "Nora Ny",
            "usable_password": "true",
            "password1": "Fiolin-og-tromme-2026",
            "password2": "Fiolin-og-tromme-2026",
            "role_assignments-TOTAL_FORMS": "0",
            "role_assignments-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    user = User.objects.get(email="ny@example.org")
    assert user.check_password("Fiolin-og-tromme-2026")
    assert AuditEntry.objects.filter(action="accounts.user.created", object_id=str(user.pk)).exists()


def test_user_admin_change_page_has_roles_inline_and_audits_added_roles(admin_client):
    person = UserFactory(full_name="Per Person", email="per@example.org")
    page = admin_client.get(f"/admin/accounts/user/{person.pk}/change/")
    assert page.status_code == 200
    assert "role_assignments-TOTAL_FORMS" in page.content.decode()
    response = admin_client.post(
        f"/admin/accounts/user/{person.pk}/change/",
        {
            "email": "per@example.org",
            "full_name": "Per Person",
            "phone": "",
            "is_active": "on",
            "date_joined_0": "2026-11-01",
            "date_joined_1": "10:00:00",
            "role_assignments-TOTAL_FORMS": "1",
            "role_assignments-INITIAL_FORMS": "0",
            "role_assignments-0-role": Role.ADVISOR,
            "role_assignments-0-user": person.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert RoleAssignment.objects.filter(user=person, role=Role.ADVISOR).exists()
    entry = AuditEntry.objects.get(action="accounts.role.added")
    assert entry.object_id == str(person.pk)
    assert entry.content_type == ContentType.objects.get_for_model(User)


def test_invitation_and_role_admin_pages(admin_client):
    from accounts import services

    services.invitation_create(actor=None, email="ny@example.org", full_name="N", role=Role.ADVISOR)
    invitation = Invitation.objects.get()
    assert "ny@example.org" in admin_client.get("/admin/accounts/invitation/").content.decode()
    page = admin_client.get(f"/admin/accounts/invitation/{invitation.pk}/change/").content.decode()
    assert invitation.token_hash not in page
    assert admin_client.get("/admin/accounts/invitation/add/").status_code == 403
    assert admin_client.get("/admin/accounts/roleassignment/").status_code == 200
