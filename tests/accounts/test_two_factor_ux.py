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


def test_signing_in_with_a_recovery_code_is_logged_and_mailed_without_the_code(client, leader):
    from audit.models import AuditEntry
    from reminders.models import Delivery

    _sign_in(client)
    client.post("/to-trinn/", {"code": "hy6qftze"})
    entry = AuditEntry.objects.get(action="accounts.two_factor.recovery_code_used")
    assert entry.actor == leader
    assert entry.details == {"codes_left": 2}
    mail = Delivery.objects.get(occasion="accounts.two_factor_changed", recipient_email="leder@example.org")
    assert mail.subject == "En gjenopprettingskode er brukt på kontoen din"
    assert "En gjenopprettingskode ble brukt til å logge inn på kontoen din" in mail.body
    assert "Du har 2 gjenopprettingskoder igjen." in mail.body
    assert "Var det ikke deg? Bytt passord med en gang" in mail.body
    assert "hy6qftze" not in mail.body + mail.html + str(entry.details)
    assert "Logget inn med en gjenopprettingskode" in client.get("/logg/").content.decode()


def test_a_code_from_the_app_sends_no_notice(client, leader):
    from reminders.models import Delivery

    _sign_in(client)
    device = TOTPDevice.objects.get(user=leader)
    from django_otp.oath import totp

    assert client.post("/to-trinn/", {"code": f"{totp(device.bin_key):06d}"}).status_code == 302
    assert not Delivery.objects.filter(occasion="accounts.two_factor_changed").exists()


def test_turning_it_on_queues_a_security_notice(client):
    from base64 import b32decode

    from django_otp.oath import totp

    from reminders.models import Delivery

    UserFactory(email="kari@example.org", full_name="Kari Vik")
    client.post("/logg-inn/", {"username": "kari@example.org", "password": "kulturskole"})
    page = client.get("/to-trinn/oppsett/").content.decode()
    raw = re.search(r'data-testid="totp-secret">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
    code = f"{totp(b32decode(raw + '=' * (-len(raw) % 8))):06d}"
    assert client.post("/to-trinn/oppsett/", {"code": code}).status_code == 302
    mail = Delivery.objects.get(occasion="accounts.two_factor_changed")
    assert mail.recipient_email == "kari@example.org"
    assert mail.subject == "To-trinns innlogging er slått på for kontoen din"
    assert "Fra nå av trenger du en kode fra autentiseringsappen" in mail.body


def _header(page: str) -> str:
    return page.split("<main", 1)[0]


def test_the_code_step_shows_no_menu_only_signing_out(client, leader):
    _sign_in(client)
    header = _header(client.get("/to-trinn/").content.decode())
    assert "Logg ut" in header
    assert "Liv Leder" not in header
    assert 'id="main-nav"' not in header
    assert "/personer/" not in header
    client.post("/to-trinn/", {"code": "hy6qftze"})
    header = _header(client.get("/").content.decode())  # signed in: the menu is back
    assert "Liv Leder" in header
    assert 'id="main-nav"' in header


def test_the_required_setup_shows_no_menu_but_a_voluntary_one_does(client, settings):
    settings.TWO_FACTOR_REQUIRED_FOR_LEADERSHIP = True
    UserFactory(email="ny@example.org", full_name="Ny Leder", leadership=True)
    client.post("/logg-inn/", {"username": "ny@example.org", "password": "kulturskole"})
    header = _header(client.get("/to-trinn/oppsett/").content.decode())
    assert "Logg ut" in header
    assert 'id="main-nav"' not in header
    assert "Ny Leder" not in header
    client.post("/logg-ut/")
    UserFactory(email="kari@example.org", full_name="Kari Vik")
    client.post("/logg-inn/", {"username": "kari@example.org", "password": "kulturskole"})
    header = _header(client.get("/to-trinn/oppsett/").content.decode())
    assert 'id="main-nav"' in header
    assert "Kari Vik" in header
