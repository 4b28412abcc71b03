"""What people notice about invitations: a second invitation says the first link stopped working, the
e-mail greets as the other e-mails do, and a signed-in person on a used link is not asked to sign in."""

import re

import pytest
from django.core import mail

from accounts import services
from accounts.models import Role
from tests.factories import MunicipalityFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def leader(client):
    user = UserFactory(full_name="Liv Leder", email="leder@example.org", leadership=True)
    client.force_login(user)
    return user


def _invite(client, municipality, captured):
    with captured(execute=True):
        return client.post(
            "/personer/inviter/",
            {
                "email": "ny.veileder@example.org",
                "full_name": "Eli Vik",
                "role": Role.MUNICIPAL_CONTACT,
                "municipality": municipality.pk,
            },
            follow=True,
        ).content.decode()


def test_inviting_a_pending_address_again_says_the_first_link_stopped_working(
    client, leader, django_capture_on_commit_callbacks
):
    municipality = MunicipalityFactory(name="Sunnfjord")
    first = _invite(client, municipality, django_capture_on_commit_callbacks)
    assert "Invitasjonen er sendt til ny.veileder@example.org." in first
    assert "Den forrige invitasjonen" not in first
    assert "erstatter den forrige invitasjonen" not in mail.outbox[0].body
    first_link = re.search(r"/invitasjon/[^/\s]+/", mail.outbox[0].body).group(0)

    again = _invite(client, municipality, django_capture_on_commit_callbacks)
    assert (
        "Den forrige invitasjonen til ny.veileder@example.org er trukket tilbake; "
        "bare lenken i den nye e-posten virker."
    ) in again
    assert "Denne e-posten erstatter den forrige invitasjonen: lenken i den virker ikke lenger." in (
        mail.outbox[1].body
    )
    assert "Lenken er brukt, utløpt eller trukket tilbake" in client.get(first_link).content.decode()


def test_the_invitation_mail_greets_as_the_other_mails_and_says_ventet(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_create(
            actor=UserFactory(leadership=True),
            email="eli@example.org",
            full_name="Eli Vik",
            role=Role.MUNICIPAL_CONTACT,
            municipality=MunicipalityFactory(),
        )
    body = mail.outbox[0].body
    assert body.startswith("Hei Eli Vik,\n")
    assert "Hvis du ikke ventet denne e-posten" in body


def test_a_used_link_offers_the_front_page_to_someone_signed_in(client):
    anonymous = client.get("/invitasjon/finnes-ikke/").content.decode()
    assert "Har du allerede en bruker?" in anonymous
    client.force_login(UserFactory())
    signed_in = client.get("/invitasjon/finnes-ikke/").content.decode()
    assert "Har du allerede en bruker?" not in signed_in
    assert 'href="/">Gå til oversikten</a>' in signed_in
