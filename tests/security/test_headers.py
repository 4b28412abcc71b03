"""Security headers and cookie flags, asserted on responses made under the production settings."""

import runpy

import pytest

from tests.factories import UserFactory
from tests.test_project import PRODUCTION_ENV

HOST = "kulturskole.example.org"
SECURITY_KEYS = [
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SAMESITE",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "X_FRAME_OPTIONS",
    "CONTENT_SECURITY_POLICY",
    "PERMISSIONS_POLICY",
    "MIDDLEWARE",
    "ALLOWED_HOSTS",
    "DEBUG",
]


@pytest.fixture
def production(settings, monkeypatch):
    """The production module's own values (read with the production environment) on this test's settings."""
    from config.settings import base

    for key, value in PRODUCTION_ENV.items():
        monkeypatch.setenv(key, value)
    # The production module replaces entries of base's DATABASES dict, which the running test shares.
    databases = dict(base.DATABASES)
    try:
        values = runpy.run_module("config.settings.production", run_name="production_settings")
    finally:
        base.DATABASES.clear()
        base.DATABASES.update(databases)
    for key in SECURITY_KEYS + [k for k in values if k.startswith("OTP_")]:
        if key in values:
            setattr(settings, key, values[key])
    return values


def _get(client, path, **extra):
    return client.get(path, HTTP_HOST=HOST, HTTP_X_FORWARDED_PROTO="https", **extra)


@pytest.mark.django_db
def test_every_page_carries_the_security_headers(client, production):
    response = _get(client, "/logg-inn/")
    assert response.status_code == 200
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    for directive in (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "object-src 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
        "base-uri 'self'",
    ):
        assert directive in csp, csp
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert "geolocation=()" in response.headers["Permissions-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    csrf = response.cookies["csrftoken"]
    assert csrf["secure"] is True
    assert csrf["samesite"] == "Lax"


@pytest.mark.django_db
def test_plain_http_is_sent_to_https(client, production):
    response = client.get("/logg-inn/", HTTP_HOST=HOST)
    assert response.status_code == 301
    assert response.headers["Location"] == f"https://{HOST}/logg-inn/"


@pytest.mark.django_db
def test_session_cookie_flags_and_no_caching_behind_login(client, production):
    UserFactory(email="kari@example.org", password="riktig-passord-123")
    _get(client, "/logg-inn/")
    response = client.post(
        "/logg-inn/",
        {"username": "kari@example.org", "password": "riktig-passord-123"},
        HTTP_HOST=HOST,
        HTTP_X_FORWARDED_PROTO="https",
    )
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] is True
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"
    page = _get(client, "/")
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "private, no-store"
    assert "Cookie" in page.headers["Vary"]
