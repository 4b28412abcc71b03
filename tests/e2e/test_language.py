"""An English browser sees Norwegian until the person picks English in the footer; and back again."""

import pytest

from tests.conftest import assert_accessible, browser_login
from tests.factories import UserFactory

pytestmark = pytest.mark.browser


def test_language_comes_from_the_footer_choice_not_the_browser(browser_page, transactional_db):
    UserFactory(email="leder@example.org", full_name="Liv Leder", leadership=True)
    page = browser_page
    page.context.set_extra_http_headers({"Accept-Language": "en-GB,en;q=0.9"})

    page.goto("/logg-inn/")
    assert page.locator("html").get_attribute("lang") == "nb"
    assert page.get_by_role("heading", level=1).inner_text() == "Logg inn"

    page.get_by_label("Språk").select_option("en")
    page.get_by_role("button", name="Bytt").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == "Log in"
    assert_accessible(page, "login page in English")

    page.get_by_label("Email").fill("leder@example.org")
    page.get_by_label("Password").fill("kulturskole")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", level=1).inner_text() == "Hello, Liv"
    assert "Programme leadership" in page.get_by_test_id("user-roles").inner_text()
    assert_accessible(page, "dashboard in English")

    page.get_by_label("Language").select_option("nb")
    page.get_by_role("button", name="Change").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == "nb"
    assert page.get_by_role("heading", level=1).inner_text() == "Hei, Liv"


def test_login_helper_still_works_for_english_browsers(browser_page, transactional_db):
    UserFactory(email="leder@example.org", full_name="Liv Leder", leadership=True)
    browser_page.context.set_extra_http_headers({"Accept-Language": "en"})
    browser_login(browser_page, "leder@example.org")
    assert browser_page.get_by_role("heading", level=1).inner_text() == "Hei, Liv"
