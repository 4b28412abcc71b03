import pytest

from tests.conftest import assert_accessible, browser_login
from tests.factories import UserFactory

pytestmark = pytest.mark.browser


def test_a_person_logs_in_and_lands_on_the_dashboard(browser_page, transactional_db):
    UserFactory(email="leder@example.org", full_name="Liv Leder", leadership=True)
    browser_page.goto("/logg-inn/")
    assert_accessible(browser_page, "innlogging")
    browser_login(browser_page, "leder@example.org")
    assert browser_page.get_by_role("heading", level=1).inner_text() == "Hei, Liv"
    assert "Programledelse" in browser_page.get_by_test_id("user-roles").inner_text()
    assert_accessible(browser_page, "oversikt")
