"""Two-factor sign-in: required for leadership when the setting is on (production default), optional for all."""

import re
import runpy
import time
from base64 import b32decode

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditEntry
from tests.factories import UserFactory, municipal_contact
from tests.test_project import PRODUCTION_ENV

pytestmark = pytest.mark.django_db


def code_from_secret(secret: str) -> str:
    """What the person's authenticator app shows for the secret on the setup page."""
    raw = secret.replace(" ", "")
    key = b32decode(raw + "=" * (-len(raw) % 8))
    return f"{totp(key):06d}"


def _login(client, email, password="kulturskole"):
    return client.post("/logg-inn/", {"username": email, "password": password})


def _secret(page: str) -> str:
    return re.search(r'data-testid="totp-secret">([A-Z2-7 ]+)<', page).group(1)


@pytest.fixture
def required(settings):
    settings.TWO_FACTOR_REQUIRED_FOR_LEADERSHIP = True


def test_production_requires_it_by_default_and_the_embedded_default_does_not(monkeypatch, settings):
    from config.settings import base

    for key, value in PRODUCTION_ENV.items():
        monkeypatch.setenv(key, value)
    databases = dict(base.DATABASES)
    try:
        assert runpy.run_module("config.settings.production")["TWO_FACTOR_REQUIRED_FOR_LEADERSHIP"] is True
        monkeypatch.setenv("TWO_FACTOR_REQUIRED_FOR_LEADERSHIP", "")  # as copied from .env.example
        assert runpy.run_module("config.settings.production")["TWO_FACTOR_REQUIRED_FOR_LEADERSHIP"] is True
        monkeypatch.setenv("TWO_FACTOR_REQUIRED_FOR_LEADERSHIP", "false")
        assert runpy.run_module("config.settings.production")["TWO_FACTOR_REQUIRED_FOR_LEADERSHIP"] is False
    finally:
        base.DATABASES.clear()
        base.DATABASES.update(databases)
    monkeypatch.delenv("TWO_FACTOR_REQUIRED_FOR_LEADERSHIP")
    assert runpy.run_module("config.settings.local")["TWO_FACTOR_REQUIRED_FOR_LEADERSHIP"] is False


def test_leadership_signs_in_with_the_password_alone_when_not_required(client):
    UserFactory(email="leder@example.org", leadership=True)
    assert _login(client, "leder@example.org").status_code == 302
    assert client.get("/personer/").status_code == 200


def test_leadership_must_set_it_up_before_anything_else(client, required):
    leader = UserFactory(email="leder@example.org", leadership=True)
    _login(client, "leder@example.org")
    for path in ("/", "/personer/", "/admin/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response.url.startswith("/to-trinn/oppsett/")
    page = client.get("/to-trinn/oppsett/?next=/personer/").content.decode()
    assert "Programledelsen ser alle personopplysninger" in page
    assert "<svg" in page
    wrong = client.post(
        "/to-trinn/oppsett/", {"code": "000000" if code_from_secret(_secret(page)) != "000000" else "111111"}
    )
    assert "Koden stemmer ikke" in wrong.content.decode()
    time.sleep(1.1)  # django-otp makes the next try wait a second after a wrong code
    done = client.post("/to-trinn/oppsett/", {"code": code_from_secret(_secret(page)), "next": "/personer/"})
    assert done.url == "/to-trinn/koder/?next=%2Fpersoner%2F"
    shown = client.get(done.url).content.decode()
    codes = re.findall(r"<li>([a-z0-9]{8})</li>", shown)
    assert len(codes) == 10
    assert (
        '<input type="hidden" name="next" value="/personer/">' in shown
    )  # "Ferdig" goes where they were going
    assert client.post(done.url, {"next": "/personer/"}).url == "/personer/"
    assert TOTPDevice.objects.get(user=leader).confirmed
    assert client.get("/personer/").status_code == 200
    assert AuditEntry.objects.filter(action="accounts.two_factor.enabled", actor=leader).exists()


def test_with_it_set_up_every_sign_in_asks_for_a_code_and_a_recovery_code_works_once(client, required):
    leader = UserFactory(email="leder@example.org", leadership=True)
    _login(client, "leder@example.org")
    page = client.get("/to-trinn/oppsett/").content.decode()
    done = client.post("/to-trinn/oppsett/", {"code": code_from_secret(_secret(page))}, follow=True)
    recovery = re.findall(r"<li>([a-z0-9]{8})</li>", done.content.decode())[0]
    client.post("/logg-ut/")

    _login(client, "leder@example.org")
    response = client.get("/personer/")
    assert response.status_code == 302
    assert response.url == "/to-trinn/?next=%2Fpersoner%2F"
    assert client.post("/to-trinn/", {"code": recovery, "next": "/personer/"}).url == "/personer/"
    assert client.get("/personer/").status_code == 200
    assert StaticToken.objects.filter(device__user=leader).count() == 9
    client.post("/logg-ut/")
    _login(client, "leder@example.org")
    assert "Koden stemmer ikke" in client.post("/to-trinn/", {"code": recovery}).content.decode()


def test_anyone_may_turn_it_on_and_is_then_asked_for_it(client, required, region):
    _rp, _branch, municipalities = region
    contact = municipal_contact(municipalities[0], email="kari@example.org")
    _login(client, "kari@example.org")
    assert client.get("/").status_code == 200  # not required for a municipal contact
    page = client.get("/to-trinn/oppsett/").content.decode()
    assert "Programledelsen ser alle" not in page
    client.post("/to-trinn/oppsett/", {"code": code_from_secret(_secret(page))})
    client.post("/logg-ut/")
    _login(client, "kari@example.org")
    assert client.get("/").url.startswith("/to-trinn/")
    assert TOTPDevice.objects.filter(user=contact, confirmed=True).count() == 1


def test_the_next_parameter_cannot_leave_the_site(client):
    UserFactory(email="kari@example.org")
    _login(client, "kari@example.org")
    page = client.get("/to-trinn/oppsett/?next=https://evil.example/").content.decode()
    assert '<input type="hidden" name="next" value="/">' in page


def test_wrong_codes_at_sign_in_lock_like_wrong_passwords(client, required, settings):
    from accounts.two_factor import recovery_codes_renew

    settings.LOGIN_FAILURE_LIMIT = 3
    leader = UserFactory(email="leder@example.org", leadership=True)
    TOTPDevice.objects.create(user=leader, name="Autentiseringsapp", confirmed=True)
    codes = recovery_codes_renew(user=leader)
    _login(client, "leder@example.org")
    assert "Koden stemmer ikke" in client.post("/to-trinn/", {"code": "0000000x"}).content.decode()
    for _ in range(2):  # at once again: django-otp makes the codes wait a second, and the page says so
        again = client.post("/to-trinn/", {"code": "0000000x"}).content.decode()
        assert "Du skrev nettopp en feil kode. Vent 1 sekund, og prøv igjen." in again
    time.sleep(1.1)  # past django-otp's own wait: only the sign-in limit is left to refuse it
    locked = client.post("/to-trinn/", {"code": codes[0]})
    assert locked.status_code == 429
    assert "For mange feil koder herfra" in locked.content.decode()
    assert client.get("/personer/").url.startswith("/to-trinn/")
    assert StaticToken.objects.filter(token=codes[0]).exists()


def _device_rows() -> tuple[int, int, int]:
    return TOTPDevice.objects.count(), StaticDevice.objects.count(), StaticToken.objects.count()


def _wrong_code(secret: str) -> str:
    valid = {f"{totp(b32decode(_padded(secret)), drift=d):06d}" for d in (-1, 0, 1)}
    return next(c for c in ("000000", "111111", "222222") if c not in valid)


def _padded(secret: str) -> str:
    raw = secret.replace(" ", "")
    return raw + "=" * (-len(raw) % 8)


def test_opening_the_setup_page_stores_nothing_and_a_wrong_code_keeps_the_qr_code(client):
    kari = UserFactory(email="kari@example.org")
    _login(client, "kari@example.org")
    before = _device_rows()
    first = client.get("/to-trinn/oppsett/").content.decode()
    again = client.get("/to-trinn/oppsett/").content.decode()
    assert _device_rows() == before == (0, 0, 0)
    secret = _secret(first)
    assert _secret(again) == secret
    qr = re.search(r"<svg.*?</svg>", first, re.S).group(0)

    wrong = client.post("/to-trinn/oppsett/", {"code": _wrong_code(secret)}).content.decode()
    assert "Koden stemmer ikke" in wrong
    assert _secret(wrong) == secret
    assert re.search(r"<svg.*?</svg>", wrong, re.S).group(0) == qr  # the app scanned before still fits
    assert _device_rows() == before
    assert not AuditEntry.objects.filter(action="accounts.two_factor.enabled").exists()

    code = code_from_secret(secret)
    done = client.post("/to-trinn/oppsett/", {"code": code}, follow=True)
    assert len(re.findall(r"<li>([a-z0-9]{8})</li>", done.content.decode())) == 10
    device = TOTPDevice.objects.get(user=kari)
    assert (device.confirmed, device.bin_key) == (True, b32decode(_padded(secret)))
    # The code that turned it on does not open the next sign-in as well, and the page says why (it is right,
    # but used), not that it is wrong or that the phone's clock is off.
    client.post("/logg-ut/")
    _login(client, "kari@example.org")
    reused = client.post("/to-trinn/", {"code": code}).content.decode()
    assert "Denne koden er allerede brukt. Vent til appen viser en ny kode, og skriv den inn." in reused
    assert "Koden stemmer ikke" not in reused


def test_the_secret_being_set_up_belongs_to_one_session(client):
    """Another browser of the same person gets its own secret; a code from it does not confirm this one."""
    from django.test import Client

    UserFactory(email="kari@example.org")
    other = Client()
    _login(client, "kari@example.org")
    _login(other, "kari@example.org")
    mine = _secret(client.get("/to-trinn/oppsett/").content.decode())
    theirs = _secret(other.get("/to-trinn/oppsett/").content.decode())
    assert mine != theirs
    assert (
        "Koden stemmer ikke"
        in client.post("/to-trinn/oppsett/", {"code": code_from_secret(theirs)}).content.decode()
    )
    assert TOTPDevice.objects.count() == 0


def test_turning_it_on_ends_the_persons_other_sessions(client):
    """A session opened elsewhere with the password alone does not keep going once the second factor is on."""
    from django.test import Client

    UserFactory(email="kari@example.org")
    elsewhere = Client()
    _login(client, "kari@example.org")
    _login(elsewhere, "kari@example.org")
    assert elsewhere.get("/").status_code == 200
    secret = _secret(client.get("/to-trinn/oppsett/").content.decode())

    client.post("/to-trinn/oppsett/", {"code": _wrong_code(secret)})
    assert elsewhere.get("/").status_code == 200  # a wrong code changes nothing

    client.post("/to-trinn/oppsett/", {"code": code_from_secret(secret)})
    assert client.get("/").status_code == 200
    assert elsewhere.get("/").url.startswith("/logg-inn/")
