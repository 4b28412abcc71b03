import datetime as dt
import re
from email.utils import parseaddr

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts import services
from accounts.models import Invitation, Role, RoleAssignment, User
from audit.models import AuditEntry
from tests.factories import CountyBranchFactory, MunicipalityFactory, UserFactory

pytestmark = pytest.mark.django_db


def _token_from_mail(message) -> str:
    match = re.search(r"/invitasjon/([^/\s]+)/", message.body)
    assert match, message.body
    return match.group(1)


def _invite(leader, django_capture_on_commit_callbacks, **kwargs):
    kwargs.setdefault("email", "ny@example.org")
    kwargs.setdefault("full_name", "Nora Ny")
    kwargs.setdefault("role", Role.ADVISOR)
    with django_capture_on_commit_callbacks(execute=True):
        return services.invitation_create(actor=leader, **kwargs)


def test_invitation_create_sends_a_mail_with_a_working_link(django_capture_on_commit_callbacks, settings):
    settings.SITE_URL = "https://program.example.org"
    leader = UserFactory(full_name="Liv Leder", leadership=True)
    municipality = MunicipalityFactory(name="Sunnfjord")
    invitation = _invite(
        leader, django_capture_on_commit_callbacks, role=Role.MUNICIPAL_CONTACT, municipality=municipality
    )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert [parseaddr(a) for a in message.to] == [("Nora Ny", "ny@example.org")]
    assert "Kommunekontakt – Sunnfjord" in message.body
    assert "Liv Leder" in message.body
    assert "https://program.example.org/invitasjon/" in message.body
    token = _token_from_mail(message)
    assert token not in invitation.token_hash  # only the hash is stored
    assert services.invitation_find(token=token) == invitation
    assert invitation.expires_at - invitation.created_at == dt.timedelta(days=14)
    entry = AuditEntry.objects.get(action="accounts.invitation.created")
    assert entry.actor == leader
    assert entry.details["municipality"]["name"] == "Sunnfjord"


def test_invitation_accept_creates_the_user_with_the_role(django_capture_on_commit_callbacks):
    leader = UserFactory(leadership=True)
    municipality = MunicipalityFactory()
    _invite(
        leader, django_capture_on_commit_callbacks, role=Role.MUNICIPAL_CONTACT, municipality=municipality
    )
    token = _token_from_mail(mail.outbox[0])

    user = services.invitation_accept(token=token, password="Fiolin-og-tromme-2026", full_name="Nora Nyberg")

    assert user.email == "ny@example.org"
    assert user.full_name == "Nora Nyberg"
    assert user.check_password("Fiolin-og-tromme-2026")
    assert list(user.role_assignments.values_list("role", "municipality")) == [
        (Role.MUNICIPAL_CONTACT, municipality.pk)
    ]
    invitation = Invitation.objects.get()
    assert invitation.accepted_at is not None
    assert invitation.user == user
    assert set(AuditEntry.objects.values_list("action", flat=True)) == {
        "accounts.invitation.created",
        "accounts.invitation.accepted",
        "accounts.role.added",
    }


def test_a_used_invitation_cannot_be_used_again(django_capture_on_commit_callbacks):
    _invite(UserFactory(leadership=True), django_capture_on_commit_callbacks)
    token = _token_from_mail(mail.outbox[0])
    services.invitation_accept(token=token, password="Fiolin-og-tromme-2026", full_name="Nora")
    with pytest.raises(ValidationError, match="allerede tatt i bruk"):
        services.invitation_accept(token=token, password="Et-annet-passord-99", full_name="Skurk")
    assert User.objects.get(email="ny@example.org").check_password("Fiolin-og-tromme-2026")
    assert services.invitation_find(token=token) is None


def test_an_expired_invitation_is_refused(django_capture_on_commit_callbacks):
    invitation = _invite(UserFactory(leadership=True), django_capture_on_commit_callbacks)
    token = _token_from_mail(mail.outbox[0])
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    with pytest.raises(ValidationError, match="utløpt"):
        services.invitation_accept(token=token, password="Fiolin-og-tromme-2026", full_name="Nora")
    assert not User.objects.filter(email="ny@example.org").exists()


def test_an_unknown_token_is_refused():
    with pytest.raises(ValidationError, match="finnes ikke"):
        services.invitation_accept(token="tull", password="Fiolin-og-tromme-2026", full_name="Nora")


def test_a_weak_password_is_refused_in_norwegian(django_capture_on_commit_callbacks):
    _invite(UserFactory(leadership=True), django_capture_on_commit_callbacks)
    token = _token_from_mail(mail.outbox[0])
    with pytest.raises(ValidationError) as excinfo:
        services.invitation_accept(token=token, password="12345", full_name="Nora")
    assert "password" in excinfo.value.message_dict
    assert any("kort" in m for m in excinfo.value.message_dict["password"])
    assert Invitation.objects.get().accepted_at is None


def test_inviting_an_existing_active_user_adds_the_role_and_says_so(django_capture_on_commit_callbacks):
    leader = UserFactory(leadership=True)
    existing = UserFactory(email="kari@example.org", full_name="Kari Kommune")
    branch = CountyBranchFactory(name="Norsk kulturskoleråd Vestland")

    invitation = _invite(
        leader,
        django_capture_on_commit_callbacks,
        email="Kari@Example.org",
        role=Role.BOARD_MEMBER,
        branch=branch,
    )

    assert invitation.accepted_at is not None
    assert invitation.user == existing
    assert RoleAssignment.objects.filter(user=existing, role=Role.BOARD_MEMBER, branch=branch).exists()
    assert len(mail.outbox) == 1
    assert "ny rolle" in mail.outbox[0].subject
    assert "/invitasjon/" not in mail.outbox[0].body
    assert AuditEntry.objects.filter(action="accounts.role.added", object_id=str(existing.pk)).exists()


def test_inviting_again_renews_the_pending_invitation(django_capture_on_commit_callbacks):
    leader = UserFactory(leadership=True)
    first = _invite(leader, django_capture_on_commit_callbacks)
    old_token = _token_from_mail(mail.outbox[0])
    second = _invite(leader, django_capture_on_commit_callbacks)
    assert first.pk == second.pk
    assert Invitation.objects.count() == 1
    assert services.invitation_find(token=old_token) is None
    assert services.invitation_find(token=_token_from_mail(mail.outbox[1])) == first


def test_an_inactive_user_is_invited_and_reactivated_on_accept(django_capture_on_commit_callbacks):
    gone = UserFactory(email="borte@example.org", is_active=False)
    _invite(UserFactory(leadership=True), django_capture_on_commit_callbacks, email="borte@example.org")
    assert "/invitasjon/" in mail.outbox[0].body
    user = services.invitation_accept(
        token=_token_from_mail(mail.outbox[0]), password="Fiolin-og-tromme-2026", full_name="Berit"
    )
    assert user.pk == gone.pk
    assert user.is_active


@pytest.mark.parametrize(
    ("role", "scope", "field"),
    [
        (Role.BOARD_MEMBER, {}, "branch"),
        (Role.MUNICIPAL_CONTACT, {}, "municipality"),
        (Role.ADVISOR, {"municipality": "m"}, "municipality"),
        (Role.MUNICIPAL_CONTACT, {"branch": "b", "municipality": "m"}, "branch"),
        ("keiser", {}, "role"),
    ],
)
def test_invitation_scope_must_match_the_role(role, scope, field):
    leader = UserFactory(leadership=True)
    kwargs = {}
    if "branch" in scope:
        kwargs["branch"] = CountyBranchFactory()
    if "municipality" in scope:
        kwargs["municipality"] = MunicipalityFactory()
    with pytest.raises(ValidationError) as excinfo:
        services.invitation_create(actor=leader, email="x@example.org", full_name="X", role=role, **kwargs)
    assert field in excinfo.value.message_dict
    assert not Invitation.objects.exists()


def test_invitation_needs_a_valid_email():
    with pytest.raises(ValidationError) as excinfo:
        services.invitation_create(
            actor=UserFactory(leadership=True), email="ikke-en-adresse", full_name="X", role=Role.ADVISOR
        )
    assert "email" in excinfo.value.message_dict


def test_cancelled_invitation_cannot_be_accepted(django_capture_on_commit_callbacks):
    leader = UserFactory(leadership=True)
    invitation = _invite(leader, django_capture_on_commit_callbacks)
    services.invitation_cancel(actor=leader, invitation=invitation)
    with pytest.raises(ValidationError, match="trukket tilbake"):
        services.invitation_accept(
            token=_token_from_mail(mail.outbox[0]), password="Fiolin-og-tromme-2026", full_name="N"
        )
    assert AuditEntry.objects.filter(action="accounts.invitation.cancelled").exists()


def test_resend_gives_a_new_link_and_kills_the_old(django_capture_on_commit_callbacks):
    leader = UserFactory(leadership=True)
    invitation = _invite(leader, django_capture_on_commit_callbacks)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - dt.timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_resend(actor=leader, invitation=invitation)
    assert len(mail.outbox) == 2
    assert services.invitation_find(token=_token_from_mail(mail.outbox[0])) is None
    assert services.invitation_find(token=_token_from_mail(mail.outbox[1])) is not None


def test_inviting_again_after_expiry_renews_the_same_invitation(django_capture_on_commit_callbacks):
    leader = UserFactory(leadership=True)
    first = _invite(leader, django_capture_on_commit_callbacks)
    Invitation.objects.filter(pk=first.pk).update(expires_at=timezone.now() - dt.timedelta(days=1))
    second = _invite(leader, django_capture_on_commit_callbacks)
    assert second.pk == first.pk
    assert second.is_pending
    assert services.invitation_find(token=_token_from_mail(mail.outbox[-1])) == first
