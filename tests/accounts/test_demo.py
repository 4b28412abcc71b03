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


def test_seed_demo_has_one_person_with_two_factor_on_and_the_demo_logins_without(
    client, django_capture_on_commit_callbacks
):
    from accounts.management.commands.seed_demo import DEMO_LOGINS
    from accounts.two_factor import two_factor_enabled

    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", force=True)
        call_command("seed_demo", force=True)
    pal = User.objects.get(email="pal.veileder@example.org")
    assert two_factor_enabled(pal)
    assert [email for email, _label in DEMO_LOGINS if two_factor_enabled(User.objects.get(email=email))] == []
    # Leadership finds Pål with the filter and can reset it from his page.
    client.force_login(User.objects.get(email="leder@example.org"))
    listed = client.get("/personer/", {"two_factor": "on"}).content.decode()
    assert "Pål Veileder" in listed
    page = client.get(f"/personer/{pal.pk}/").content.decode()
    assert f'action="/personer/{pal.pk}/to-trinn/nullstill/"' in page
