import re

import pytest
from django.core import mail

from accounts import services
from accounts.models import Role
from tests.factories import MunicipalityFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitation_token(django_capture_on_commit_callbacks):
    municipality = MunicipalityFactory(name="Sunnfjord")
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_create(
            actor=UserFactory(leadership=True),
            email="ny@example.org",
            full_name="Nora Ny",
            role=Role.MUNICIPAL_CONTACT,
            municipality=municipality,
        )
    return re.search(r"/invitasjon/([^/\s]+)/", mail.outbox[0].body).group(1)


def test_invitation_page_shows_the_role_and_prefills_the_name(client, invitation_token):
    response = client.get(f"/invitasjon/{invitation_token}/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Kommunekontakt – Sunnfjord" in content
    assert 'value="Nora Ny"' in content


def test_accepting_logs_in_and_lands_on_the_dashboard(client, invitation_token):
    response = client.post(
        f"/invitasjon/{invitation_token}/",
        {
            "full_name": "Nora Nyberg",
            "password": "Fiolin-og-tromme-2026",
            "password_confirm": "Fiolin-og-tromme-2026",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/"
    content = response.content.decode()
    assert "Hei, Nora" in content
    assert "Kommunekontakt – Sunnfjord" in content


def test_weak_password_keeps_the_name_and_explains_in_norwegian(client, invitation_token):
    response = client.post(
        f"/invitasjon/{invitation_token}/",
        {"full_name": "Nora Nyberg", "password": "123", "password_confirm": "123"},
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert 'value="Nora Nyberg"' in content
    assert "Passordet er for kort" in content
    assert "_auth_user_id" not in client.session


def test_mismatched_passwords_are_an_error(client, invitation_token):
    response = client.post(
        f"/invitasjon/{invitation_token}/",
        {
            "full_name": "Nora",
            "password": "Fiolin-og-tromme-2026",
            "password_confirm": "Fiolin-og-tromme-2027",
        },
    )
    assert "Passordene er ikke like" in response.content.decode()


@pytest.mark.parametrize("token", ["tull", "x" * 500, "%C3%A6%C3%B8"])
def test_unknown_or_weird_tokens_give_a_friendly_404(client, token):
    response = client.get(f"/invitasjon/{token}/")
    assert response.status_code == 404
    assert "Invitasjonen kan ikke brukes" in response.content.decode()


def test_used_link_gives_the_friendly_page(client, invitation_token):
    services.invitation_accept(token=invitation_token, password="Fiolin-og-tromme-2026", full_name="Nora")
    response = client.get(f"/invitasjon/{invitation_token}/")
    assert response.status_code == 404
    assert "Invitasjonen kan ikke brukes" in response.content.decode()


@pytest.mark.parametrize(
    "data",
    [
        {
            "full_name": "n" * 5000,
            "password": "Fiolin-og-tromme-2026",
            "password_confirm": "Fiolin-og-tromme-2026",
        },
        {"full_name": "Nora", "password": "p" * 100000, "password_confirm": "p" * 100000},
        {
            "full_name": "\x00",
            "password": "Fiolin-og-tromme-2026",
            "password_confirm": "Fiolin-og-tromme-2026",
        },
        {},
    ],
)
def test_weird_accept_input_is_a_field_error(client, invitation_token, data):
    response = client.post(f"/invitasjon/{invitation_token}/", data)
    assert response.status_code == 200
    assert "Noe må rettes" in response.content.decode()
    assert "_auth_user_id" not in client.session
