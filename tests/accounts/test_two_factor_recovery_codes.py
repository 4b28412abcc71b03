"""New recovery codes are made by a POST and shown by a GET (post/redirect/get): a reload of the page shows the same
codes and makes none, only the session that made them sees them, and "Ferdig" or the time limit ends that."""

import json
import logging
import re
import time
import types

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import two_factor
from audit.models import AuditEntry
from tests.factories import MunicipalityFactory, UserFactory, municipal_contact

pytestmark = pytest.mark.django_db

CODES_PAGE = "/to-trinn/koder/"
SECURITY_PAGE = "/to-trinn/oppsett/"


def _shown(response) -> list[str]:
    return re.findall(r"<li>([a-z0-9]{8})</li>", response.content.decode())


def _tokens(user) -> list[str]:
    return sorted(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))


def _with_two_factor(user) -> list[str]:
    TOTPDevice.objects.create(user=user, name="Autentiseringsapp", confirmed=True)
    return two_factor.recovery_codes_renew(user=user)


def _sign_in(client, user, code: str) -> None:
    assert client.post("/logg-inn/", {"username": user.email, "password": "kulturskole"}).status_code == 302
    assert client.post("/to-trinn/", {"code": code}).status_code == 302


def _writes(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]


@pytest.fixture
def kari():
    return municipal_contact(MunicipalityFactory(), email="kari@example.org", full_name="Kari Kontakt")


@pytest.fixture
def renewed(client, kari):
    """Kari, signed in with one of her old codes, has just asked for new ones: (old codes, the redirect)."""
    old = _with_two_factor(kari)
    _sign_in(client, kari, old[0])
    response = client.post(SECURITY_PAGE, {"action": "recovery_codes", "confirm": "yes"})
    assert response.status_code == 302
    return old, response


def test_new_codes_are_shown_on_a_page_of_their_own_and_a_reload_makes_no_new_ones(client, kari, renewed):
    old, response = renewed
    assert response.url == f"{CODES_PAGE}?next=%2Fto-trinn%2Foppsett%2F"
    made = _tokens(kari)
    first = client.get(response.url)
    assert first.status_code == 200
    assert sorted(_shown(first)) == made
    assert "no-store" in first["Cache-Control"]
    assert "Du har fått nye gjenopprettingskoder. De gamle virker ikke lenger." in first.content.decode()

    with CaptureQueriesContext(connection) as queries:
        again = client.get(response.url)  # the browser's reload
    assert _shown(again) == _shown(first)
    assert _writes(queries.captured_queries) == []
    assert _tokens(kari) == made
    assert AuditEntry.objects.filter(action="accounts.two_factor.recovery_codes_renewed").count() == 1

    # The old codes stay refused; each new one opens a sign-in once.
    elsewhere = Client()
    elsewhere.post("/logg-inn/", {"username": kari.email, "password": "kulturskole"})
    assert "Koden stemmer ikke" in elsewhere.post("/to-trinn/", {"code": old[1]}).content.decode()
    time.sleep(1.1)  # django-otp's wait after a refused code
    assert elsewhere.post("/to-trinn/", {"code": made[0]}).status_code == 302
    elsewhere.post("/logg-ut/")
    elsewhere.post("/logg-inn/", {"username": kari.email, "password": "kulturskole"})
    assert "Koden stemmer ikke" in elsewhere.post("/to-trinn/", {"code": made[0]}).content.decode()
    assert len(_tokens(kari)) == 9


def test_the_codes_page_writes_nothing_even_the_first_time(client, kari, renewed):
    _old, response = renewed
    rows = (StaticToken.objects.count(), AuditEntry.objects.count(), Session.objects.count())
    with CaptureQueriesContext(connection) as queries:
        assert client.get(response.url).status_code == 200
    assert _writes(queries.captured_queries) == []
    assert (StaticToken.objects.count(), AuditEntry.objects.count(), Session.objects.count()) == rows


def test_turning_it_on_shows_the_codes_on_the_same_page_and_a_reload_makes_no_new_ones(client):
    user = UserFactory(email="liv@example.org")
    client.post("/logg-inn/", {"username": user.email, "password": "kulturskole"})
    page = client.get(SECURITY_PAGE).content.decode()
    raw = re.search(r'data-testid="totp-secret">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
    from base64 import b32decode

    key = b32decode(raw + "=" * (-len(raw) % 8))
    done = client.post(SECURITY_PAGE, {"code": f"{totp(key):06d}"})
    assert done.url == f"{CODES_PAGE}?next=%2F"
    codes = _shown(client.get(done.url))
    assert sorted(codes) == _tokens(user)
    assert _shown(client.get(done.url)) == codes
    assert TOTPDevice.objects.filter(user=user).count() == 1
    assert _tokens(user) == sorted(codes)
    assert AuditEntry.objects.filter(action="accounts.two_factor.enabled").count() == 1


def test_no_other_session_and_no_other_person_sees_them(client, kari, renewed):
    old, response = renewed
    assert len(_shown(client.get(response.url))) == 10

    elsewhere = Client()  # Kari on another machine, past the second step
    _sign_in(elsewhere, kari, _tokens(kari)[0])
    seen = elsewhere.get(response.url)
    assert seen.url == SECURITY_PAGE
    assert _shown(elsewhere.get(response.url, follow=True)) == []

    other = municipal_contact(MunicipalityFactory(), email="ola@example.org")
    stranger = Client()
    stranger.force_login(other)
    assert stranger.get(response.url).url == SECURITY_PAGE
    assert Client().get(response.url).url.startswith("/logg-inn/")


def test_codes_replaced_from_another_session_are_no_longer_shown(client, kari, renewed):
    _old, response = renewed
    assert len(_shown(client.get(response.url))) == 10
    elsewhere = Client()
    _sign_in(elsewhere, kari, _tokens(kari)[0])
    elsewhere.post(SECURITY_PAGE, {"action": "recovery_codes", "confirm": "yes"})
    assert client.get(response.url).url == SECURITY_PAGE  # the codes on the first page no longer work


def test_the_page_keeps_download_copy_and_print(client, renewed):
    _old, response = renewed
    client.get(response.url)
    page = client.get(response.url).content.decode()  # after a reload too
    assert len(_shown(client.get(response.url))) == 10
    assert "data-recovery-download" in page
    assert 'data-file-name="gjenopprettingskoder-kulturskoleprogram.txt"' in page
    assert "Last ned som tekstfil" in page
    assert "Kopier kodene" in page
    assert '<script src="/static/accounts/recovery_codes.js">' in page
    assert 'href="/static/accounts/recovery_codes.css" media="print"' in page


def test_ferdig_ends_the_showing_and_the_codes_keep_working(client, kari, renewed):
    _old, response = renewed
    codes = _shown(client.get(response.url))
    page = client.get(response.url).content.decode()
    assert "Ferdig – jeg har tatt vare på kodene" in page
    assert "høyst i 15 minutter" in page

    done = client.post(CODES_PAGE, {"next": "/to-trinn/oppsett/"})
    assert done.url == SECURITY_PAGE
    after = client.get(response.url)
    assert after.url == SECURITY_PAGE
    assert "Du har 10 ubrukte gjenopprettingskoder." in client.get(SECURITY_PAGE).content.decode()
    assert _tokens(kari) == sorted(codes)
    assert two_factor.RECOVERY_CODES_SESSION_KEY not in client.session
    # "Ferdig" a second time (a double click) goes to the same place.
    assert client.post(CODES_PAGE, {"next": "https://evil.example/"}).url == SECURITY_PAGE


def test_after_the_time_limit_they_are_gone(client, renewed, monkeypatch):
    from django.core.cache.backends import locmem

    _old, response = renewed
    assert len(_shown(client.get(response.url))) == 10
    later = time.time() + two_factor.RECOVERY_CODES_SHOWN_SECONDS + 1
    monkeypatch.setattr(locmem, "time", types.SimpleNamespace(time=lambda: later))
    assert client.get(response.url).url == SECURITY_PAGE


def test_the_codes_are_in_no_session_row_audit_entry_or_log_line(client, kari, caplog):
    caplog.set_level(logging.DEBUG)
    old = _with_two_factor(kari)
    _sign_in(client, kari, old[0])
    response = client.post(SECURITY_PAGE, {"action": "recovery_codes", "confirm": "yes"})
    codes = _shown(client.get(response.url))
    assert len(codes) == 10
    stored = [s.session_data for s in Session.objects.all()]
    stored += [json.dumps(s.get_decoded()) for s in Session.objects.all()]
    stored += [json.dumps(e.details) + str(e) for e in AuditEntry.objects.all()]
    stored += [record.getMessage() for record in caplog.records]
    stored.append(response.url)
    assert not [text for text in stored if any(code in text for code in codes)]


def test_signing_out_drops_them(client, kari, renewed):
    from django.core.cache import cache

    _old, response = renewed
    assert len(_shown(client.get(response.url))) == 10
    handle = client.session[two_factor.RECOVERY_CODES_SESSION_KEY]["handle"]
    client.post("/logg-ut/")
    assert cache.get(f"accounts:two_factor:recovery_codes:{handle}") is None
    _sign_in(client, kari, _tokens(kari)[0])
    assert client.get(response.url).url == SECURITY_PAGE
