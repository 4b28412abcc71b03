"""What a person notices at the two-factor code step: a phone's capital letter does not spoil a recovery code,
signing in with one is logged and e-mailed, and the page offers nothing but the code and signing out."""

import re

import pytest
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def leader(settings):
    settings.TWO_FACTOR_REQUIRED_FOR_LEADERSHIP = True
    user = UserFactory(email="leder@example.org", full_name="Liv Leder", leadership=True)
    TOTPDevice.objects.create(user=user, name="Autentiseringsapp", confirmed=True)
    static = StaticDevice.objects.create(user=user, name="Gjenopprettingskoder", confirmed=True)
    StaticToken.objects.bulk_create(
        [StaticToken(device=static, token=code) for code in ("hy6qftze", "abcd2345", "zzzz7777")]
    )
    return user


def _sign_in(client):
    client.post("/logg-inn/", {"username": "leder@example.org", "password": "kulturskole"})


def test_a_recovery_code_typed_on_a_phone_signs_in(client, leader):
    _sign_in(client)
    page = client.get("/to-trinn/").content.decode()
    field = re.search(r'<input[^>]*name="code"[^>]*>', page).group(0)
    for attribute in (
        'autocapitalize="off"',
        'autocorrect="off"',
        'spellcheck="false"',
        'autocomplete="one-time-code"',
    ):
        assert attribute in field
    response = client.post("/to-trinn/", {"code": "Hy6Q FTZE", "next": "/personer/"})
    assert response.status_code == 302
    assert response.url == "/personer/"
    assert client.get("/personer/").status_code == 200
    assert not StaticToken.objects.filter(token="hy6qftze").exists()  # used up


def test_a_recovery_code_with_a_hyphen_signs_in(client, leader):
    _sign_in(client)
    assert client.post("/to-trinn/", {"code": "ABCD-2345"}).status_code == 302
