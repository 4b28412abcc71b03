"""Shared fixtures. Under CI=true the real services are required: a missing one is a failure, never a skip."""

import os
import shutil

import pytest
from django.conf import settings

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def pytest_configure(config):
    if IN_CI:
        engine = settings.DATABASES["default"]["ENGINE"]
        if "postgresql" not in engine:
            raise pytest.UsageError(
                "CI=true: testene skal kjøre på PostgreSQL, men DATABASE_URL peker ikke dit."
            )
        if not os.environ.get("REDIS_URL"):
            raise pytest.UsageError("CI=true: REDIS_URL må være satt.")


def require_or_skip(available: bool, what: str) -> None:
    """Skip locally when a real part is missing; under CI the same gap fails the test."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"{what} mangler, og under CI=true er det en feil, ikke en skip.")
    pytest.skip(f"{what} mangler på denne maskinen")


@pytest.fixture
def redis_url():
    url = os.environ.get("REDIS_URL", "")
    ok = False
    if url:
        import redis

        try:
            ok = bool(redis.Redis.from_url(url, socket_connect_timeout=2).ping())
        except redis.RedisError:
            ok = False
    require_or_skip(ok, "Redis (REDIS_URL)")
    return url


@pytest.fixture(scope="session")
def _browser_session():
    available = os.path.exists(CHROMIUM) or shutil.which("chromium") is not None
    require_or_skip(available, f"Chromium ({CHROMIUM})")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_page(_browser_session, live_server):
    """A fresh browser context (no cookies) on the live server; the page's base URL is the live server."""
    context = _browser_session.new_context(
        base_url=live_server.url, locale="nb-NO", timezone_id="Europe/Oslo"
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def reference_data(db):
    from municipalities.services import reference_data_load

    reference_data_load()


def assert_accessible(page, context: str = "") -> None:
    """Run axe on the current page; fail on any serious or critical WCAG violation, naming each one."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
    )
    bad = [v for v in results.response["violations"] if v.get("impact") in {"serious", "critical"}]
    detail = "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']} @ {[n['target'] for n in v['nodes']][:5]}" for v in bad
    )
    assert not bad, f"axe fant alvorlige brudd på {context or page.url}:\n{detail}"


def browser_login(page, email: str, password: str = "kulturskole") -> None:
    page.goto("/logg-inn/")
    page.get_by_label("E-post").fill(email)
    page.get_by_label("Passord").fill(password)
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_load_state("networkidle")
