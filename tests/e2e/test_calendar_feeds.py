"""Browser journey on a 360 px screen: leadership makes a calendar address for a region (offered by default,
since they are registered for no gathering), reads all of it, copies it with «Kopier adressen», and deletes it
after a confirmation that says subscribed calendars stop updating. axe on every page."""

import pytest

from tests.conftest import assert_accessible, browser_login
from tests.factories import UserFactory
from tests.gatherings.factories import GatheringFactory

pytestmark = pytest.mark.browser

SMALL = 360


def test_a_calendar_address_can_be_read_copied_and_deleted_on_a_small_screen(browser_page, transactional_db):
    page = browser_page
    page.set_viewport_size({"width": SMALL, "height": 780})
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    UserFactory(email="leder@example.org", password="kulturskole", leadership=True)
    gathering = GatheringFactory()
    browser_login(page, "leder@example.org")
    page.goto("/samlinger/kalender/")
    choice = page.get_by_label("Hvilke samlinger?")
    assert choice.input_value() == str(gathering.regional_program_id)
    page.get_by_role("button", name="Lag adresse").click()
    page.wait_for_load_state("networkidle")
    field = page.get_by_test_id("feed-url")
    address = field.input_value()
    assert address.startswith("http")
    assert address.endswith(".ics")
    # The whole address shows: the field wraps it instead of cutting it, and the page does not scroll sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= SMALL
    assert field.evaluate("el => el.scrollHeight <= el.clientHeight && el.scrollWidth <= el.clientWidth")
    assert_accessible(page, "kalenderadresse på mobil")
    field.focus()
    assert field.evaluate("el => el.selectionEnd - el.selectionStart") == len(address)
    page.get_by_role("button", name="Kopier adressen").click()
    status = page.locator("[data-copy-status]")
    status.get_by_text("Kopiert").wait_for()
    assert status.get_attribute("aria-live") == "polite"
    assert page.evaluate("navigator.clipboard.readText()") == address
    page.get_by_role("button", name="Slett adressen").click()
    assert "blir ikke lenger oppdatert" in page.locator("main").inner_text()
    assert_accessible(page, "bekreft sletting av kalenderadresse")
    page.get_by_test_id("confirm-form").get_by_role("button", name="Slett adressen").click()
    page.wait_for_load_state("networkidle")
    assert "Adressen er slettet" in page.locator(".messages").inner_text()
    assert page.get_by_test_id("feed-url").count() == 0
