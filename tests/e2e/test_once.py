"""Browser journey (Chromium): save a create form, press Back, save the form the browser shows again. Nothing is
made twice, nothing is sent twice, and the second save lands on the first object with «Dette var allerede
lagret – her er det.» (core.once). Our pages are `no-store`, so Back fetches the form page anew: this is the
case the in-process tests cannot see."""

import datetime as dt

import pytest
from django.db.models import Sum
from django.utils import timezone

from core.once import ONCE_FIELD
from gatherings.models import Gathering
from gatherings.services.notices import INVITATION
from guidance.models import GuidanceAgreement, GuidanceSession
from reminders.models import Delivery
from tests.conftest import assert_accessible, browser_login
from tests.once import ALREADY

pytestmark = pytest.mark.browser

SUMMARY = "Vi gikk gjennom møteplanen for våren, én gang."


@pytest.fixture
def demo(transactional_db):
    from accounts import demo as accounts_demo
    from applications import demo as applications_demo
    from gatherings import demo as gatherings_demo
    from guidance import demo as guidance_demo
    from municipalities.services import reference_data_load
    from programs import demo as programs_demo

    reference_data_load()
    ctx = {"password": "kulturskole"}
    for module in (accounts_demo, programs_demo, applications_demo, gatherings_demo, guidance_demo):
        module.seed(ctx)
    return ctx


def _token(page) -> str:
    return page.locator(f'input[name="{ONCE_FIELD}"]').input_value()


def _back_to_the_form(page, form_path: str, token: str) -> None:
    """Back from the confirmation: the form is there again, filled in, carrying the token it was saved with."""
    page.go_back()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(form_path)
    assert _token(page) == token, (
        "Back drew the form with a new token: saving it again would make a second one"
    )


def test_back_after_creating_a_gathering_and_saving_again_makes_one_and_invites_once(browser_page, demo):
    page = browser_page
    region = demo["gatherings_region"]
    start = timezone.localtime(timezone.now() + dt.timedelta(days=40)).replace(hour=10, minute=0)
    form_path = f"/samlinger/region/{region.pk}/ny/"

    browser_login(page, "leder@example.org")
    page.goto(f"/samlinger/region/{region.pk}/")
    page.get_by_role("link", name="Ny samling").click()
    assert page.url.endswith(form_path)
    token = _token(page)
    page.get_by_label("Type").select_option(label="Koordinatorsamling")
    page.get_by_label("Tittel").fill("Koordinatorsamling om tilbakeknappen")
    page.get_by_label("Starter").fill(start.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Slutter").fill((start + dt.timedelta(hours=5)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Sted").fill("Førde kulturhus")
    page.get_by_role("button", name="Legg inn samlingen").click()
    page.wait_for_load_state("networkidle")
    assert "invitasjonen er sendt" in page.locator(".messages").inner_text()
    gathering = Gathering.objects.get(title="Koordinatorsamling om tilbakeknappen")
    first_url = page.url
    invitations = Delivery.objects.filter(occasion=INVITATION, key=f"gathering:{gathering.pk}").count()
    assert invitations > 0
    all_invitations = Delivery.objects.filter(occasion=INVITATION).count()

    _back_to_the_form(page, form_path, token)
    assert page.get_by_label("Tittel").input_value() == "Koordinatorsamling om tilbakeknappen"
    assert page.get_by_label("Sted").input_value() == "Førde kulturhus"
    page.get_by_role("button", name="Legg inn samlingen").click()
    page.wait_for_load_state("networkidle")

    assert page.url == first_url
    assert ALREADY in page.locator(".messages").inner_text()
    assert "invitasjonen er sendt" not in page.locator(".messages").inner_text()
    assert Gathering.objects.filter(title="Koordinatorsamling om tilbakeknappen").count() == 1
    assert Delivery.objects.filter(occasion=INVITATION).count() == all_invitations  # none for a second one
    assert_accessible(page, "samlingen, lagret fra før")

    # A second gathering on purpose, from the link as before, is a new one.
    page.goto(f"/samlinger/region/{region.pk}/")
    page.get_by_role("link", name="Ny samling").click()
    assert _token(page) != token
    assert page.get_by_label("Tittel").input_value() == ""
    page.get_by_label("Type").select_option(label="Koordinatorsamling")
    page.get_by_label("Tittel").fill("Koordinatorsamling nummer to")
    page.get_by_label("Starter").fill((start + dt.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Slutter").fill((start + dt.timedelta(days=7, hours=5)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Sted").fill("Førde kulturhus")
    page.get_by_role("button", name="Legg inn samlingen").click()
    page.wait_for_load_state("networkidle")
    assert "invitasjonen er sendt" in page.locator(".messages").inner_text()
    assert Gathering.objects.filter(title="Koordinatorsamling nummer to").count() == 1


def test_back_after_logging_a_guidance_session_and_saving_again_counts_the_hours_once(browser_page, demo):
    page = browser_page
    agreement = GuidanceAgreement.objects.get(
        municipality__number="4647", regional_program=demo["guidance_region"]
    )
    form_path = f"/veiledning/avtaler/{agreement.pk}/moter/ny/"
    minutes_before = (
        GuidanceSession.objects.filter(agreement=agreement).aggregate(m=Sum("duration_minutes"))["m"] or 0
    )
    sessions_before = GuidanceSession.objects.filter(agreement=agreement).count()

    browser_login(page, "veileder@example.org")
    page.get_by_test_id("dashboard-guidance").get_by_role("link", name="Registrer møte – Sunnfjord").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(form_path)
    token = _token(page)
    page.get_by_label("Varighet i minutter").fill("75")
    page.get_by_label("Digitalt").check()
    page.get_by_label("Møtemetodikk").check()
    page.get_by_label("Oppsummering").fill(SUMMARY)
    page.get_by_role("button", name="Lagre").click()
    page.wait_for_load_state("networkidle")
    assert "Veiledningsmøtet er ført." in page.locator(".messages").inner_text()
    first_url = page.url

    _back_to_the_form(page, form_path, token)
    assert page.get_by_label("Oppsummering").input_value() == SUMMARY
    assert page.get_by_label("Varighet i minutter").input_value() == "75"
    page.get_by_role("button", name="Lagre").click()
    page.wait_for_load_state("networkidle")

    assert page.url == first_url
    assert ALREADY in page.locator(".messages").inner_text()
    sessions = GuidanceSession.objects.filter(agreement=agreement)
    assert sessions.count() == sessions_before + 1
    assert sessions.filter(summary=SUMMARY).count() == 1
    assert sessions.aggregate(m=Sum("duration_minutes"))["m"] == minutes_before + 75
    assert_accessible(page, "avtalen, lagret fra før")


def test_back_to_a_form_that_came_back_with_an_error_then_reload_and_save_logs_one_session(
    browser_page, demo
):
    """The corrected save came from the page a refused POST drew. Chromium (no bfcache, `no-store`) goes Back to
    that entry with a GET, refills the fields, and a reload draws the form empty: both times the form carries the
    token it was saved with, and saving again logs nothing."""
    page = browser_page
    agreement = GuidanceAgreement.objects.get(
        municipality__number="4647", regional_program=demo["guidance_region"]
    )
    form_path = f"/veiledning/avtaler/{agreement.pk}/moter/ny/"
    sessions_before = GuidanceSession.objects.filter(agreement=agreement).count()

    browser_login(page, "veileder@example.org")
    page.goto(form_path)
    token = _token(page)
    page.get_by_label("Varighet i minutter").fill("0")
    page.get_by_label("Digitalt").check()
    page.get_by_label("Møtemetodikk").check()
    page.get_by_label("Oppsummering").fill(SUMMARY)
    page.get_by_role("button", name="Lagre").click()
    page.wait_for_load_state("networkidle")
    assert _token(page) == token
    page.get_by_label("Varighet i minutter").fill("60")
    page.get_by_role("button", name="Lagre").click()
    page.wait_for_load_state("networkidle")
    assert "Veiledningsmøtet er ført." in page.locator(".messages").inner_text()
    first_url = page.url

    page.go_back()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(form_path)
    assert _token(page) == token
    page.reload()
    page.wait_for_load_state("networkidle")
    assert _token(page) == token  # the history entry keeps it across a reload
    page.get_by_label("Varighet i minutter").fill("60")
    page.get_by_label("Digitalt").check()
    page.get_by_label("Møtemetodikk").check()
    page.get_by_label("Oppsummering").fill(SUMMARY)
    page.get_by_role("button", name="Lagre").click()
    page.wait_for_load_state("networkidle")
    assert page.url == first_url
    assert ALREADY in page.locator(".messages").inner_text()
    assert GuidanceSession.objects.filter(agreement=agreement).count() == sessions_before + 1


@pytest.fixture
def page_without_javascript(_browser_session, live_server):
    context = _browser_session.new_context(
        base_url=live_server.url, locale="nb-NO", timezone_id="Europe/Oslo", java_script_enabled=False
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def _fill_gathering(page, region, title: str, start) -> None:
    page.goto(f"/samlinger/region/{region.pk}/ny/")
    page.get_by_label("Type").select_option(label="Koordinatorsamling")
    page.get_by_label("Tittel").fill(title)
    page.get_by_label("Starter").fill(start.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Slutter").fill((start + dt.timedelta(hours=5)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Sted").fill("Førde kulturhus")


def test_without_javascript_back_and_saving_again_makes_one_gathering(page_without_javascript, demo):
    """No script keeps the token: Back draws the form with a new one, Chromium refills the typed fields, and the
    same fields saved again within minutes lead to the first gathering."""
    page = page_without_javascript
    region = demo["gatherings_region"]
    start = timezone.localtime(timezone.now() + dt.timedelta(days=40)).replace(hour=10, minute=0)
    browser_login(page, "leder@example.org")
    _fill_gathering(page, region, "Samling uten skript", start)
    token = _token(page)
    page.get_by_role("button", name="Legg inn samlingen").click()
    page.wait_for_load_state("networkidle")
    assert "invitasjonen er sendt" in page.locator(".messages").inner_text()
    first_url = page.url
    all_invitations = Delivery.objects.filter(occasion=INVITATION).count()

    page.go_back()
    page.wait_for_load_state("networkidle")
    assert _token(page) != token  # what this test is about: the old token is gone
    assert page.get_by_label("Tittel").input_value() == "Samling uten skript"
    page.get_by_role("button", name="Legg inn samlingen").click()
    page.wait_for_load_state("networkidle")

    assert page.url == first_url
    assert ALREADY in page.locator(".messages").inner_text()
    assert Gathering.objects.filter(title="Samling uten skript").count() == 1
    assert Delivery.objects.filter(occasion=INVITATION).count() == all_invitations


def test_without_javascript_a_double_click_makes_one_gathering(page_without_javascript, demo, monkeypatch):
    """Two quick clicks: Chromium sends the form twice (same token) and drops the first answer. The first request
    is held in the save until the second has arrived, so both run at once every time; the second lands on the
    first one's gathering, with the message."""
    import threading
    import time

    from playwright.sync_api import Error as PlaywrightError

    from core import once
    from gatherings import services

    page = page_without_javascript
    region = demo["gatherings_region"]
    start = timezone.localtime(timezone.now() + dt.timedelta(days=40)).replace(hour=10, minute=0)
    browser_login(page, "leder@example.org")
    _fill_gathering(page, region, "Dobbeltklikket samling", start)

    looked, second_arrived = [], threading.Event()
    saved_before, schedule = once._saved_before, services.gathering_schedule

    def look(request):
        looked.append(request.method)
        if len(looked) == 2:
            second_arrived.set()
        return saved_before(request)

    def held(**kwargs):
        second_arrived.wait(5)
        return schedule(**kwargs)

    monkeypatch.setattr(once, "_saved_before", look)
    monkeypatch.setattr(services, "gathering_schedule", held)
    button = page.get_by_role("button", name="Legg inn samlingen")
    button.scroll_into_view_if_needed()
    box = button.bounding_box()
    middle = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.click(*middle)
    # Clicks closer together than the first request's start are one submission to Chromium (the second
    # replaces the planned first): click again once the first has reached the server, as a slower hand does.
    deadline = time.monotonic() + 5
    while not looked and time.monotonic() < deadline:
        time.sleep(0.01)
    page.mouse.click(*middle)
    try:
        page.wait_for_url("**/samlinger/*/")
    except PlaywrightError as exc:  # the first click's navigation, dropped when the second answer came
        if "ERR_ABORTED" not in str(exc):
            raise
        page.wait_for_url("**/samlinger/*/")
    page.wait_for_load_state("networkidle")

    gathering = Gathering.objects.get(title="Dobbeltklikket samling")
    assert looked[:2] == ["POST", "POST"]  # the second click reached the server
    assert page.url.endswith(f"/samlinger/{gathering.pk}/")
    assert ALREADY in page.locator(".messages").inner_text()
    assert page.locator("h1").inner_text() == "Dobbeltklikket samling"
