"""Password-reset and invitation e-mails to one address are limited per hour (MAIL_PER_ADDRESS_LIMIT)."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts import services
from accounts.models import Invitation, Role
from reminders.models import Delivery
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _limit(settings):
    settings.MAIL_PER_ADDRESS_LIMIT = 2


def test_password_reset_mails_to_one_address_stop_at_the_limit(client, django_capture_on_commit_callbacks):
    person = UserFactory(email="kari@example.org", password="riktig-passord-123")
    for n in range(4):
        # Each request gets its own link (the token changes with last_login), as minutes apart would.
        type(person).objects.filter(pk=person.pk).update(
            last_login=timezone.now() - dt.timedelta(minutes=n + 1)
        )
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post("/glemt-passord/", {"email": "kari@example.org"}, follow=True)
        # The page says the same every time: nothing tells a stranger what happened.
        assert "Sjekk e-posten din" in response.content.decode()
    assert len(mail.outbox) == 2
    # An hour later the person can ask again.
    Delivery.objects.update(created_at=timezone.now() - dt.timedelta(hours=1, seconds=1))
    type(person).objects.filter(pk=person.pk).update(last_login=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/glemt-passord/", {"email": "kari@example.org"})
    assert len(mail.outbox) == 3


def test_invitations_to_one_address_stop_at_the_limit(django_capture_on_commit_callbacks):
    leader = UserFactory(leadership=True)
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            invitation = services.invitation_create(
                actor=leader, email="ny@example.org", full_name="Nora Ny", role=Role.ADVISOR
            )
    with pytest.raises(ValidationError) as exc:
        services.invitation_create(
            actor=leader, email="NY@example.org", full_name="Nora Ny", role=Role.ADVISOR
        )
    assert exc.value.message_dict["email"] == [
        "Det er sendt for mange e-poster til denne adressen den siste timen. Prøv igjen senere."
    ]
    with pytest.raises(ValidationError, match="for mange e-poster"):
        services.invitation_resend(actor=leader, invitation=invitation)
    assert len(mail.outbox) == 2
    assert Invitation.objects.count() == 1


def test_invite_page_shows_the_limit_on_the_field(client, django_capture_on_commit_callbacks):
    leader = UserFactory(leadership=True)
    client.force_login(leader)
    data = {"email": "ny@example.org", "full_name": "Nora Ny", "role": Role.ADVISOR}
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post("/personer/inviter/", data).status_code == 302
    response = client.post("/personer/inviter/", data)
    assert response.status_code == 200
    assert "for mange e-poster til denne adressen" in response.content.decode()
