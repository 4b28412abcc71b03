import pytest
from django.core.management import call_command

from accounts.models import Invitation, Role, User
from accounts.permissions import role_scope

pytestmark = pytest.mark.django_db


def test_seed_demo_people_and_a_pending_invitation_idempotent(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", force=True)
        call_command("seed_demo", force=True)
    leader = User.objects.get(email="leder@example.org")
    assert leader.check_password("kulturskole")
    assert Role.LEADERSHIP in role_scope(leader).roles
    assert role_scope(User.objects.get(email="kommune@example.org")).roles == {Role.MUNICIPAL_CONTACT}
    invitation = Invitation.objects.get()
    assert invitation.is_pending
    assert invitation.role_label == "Kommunekontakt – Kinn"
