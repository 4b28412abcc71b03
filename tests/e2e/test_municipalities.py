"""Programme leadership splits a branch and keeps the municipality register, in the browser."""

import pytest

from audit.models import AuditEntry
from municipalities.models import County, Municipality
from municipalities.services import reference_data_load
from tests.conftest import assert_accessible, browser_login
from tests.factories import UserFactory

pytestmark = pytest.mark.browser


def test_leadership_splits_a_branch_and_edits_a_municipality(browser_page, transactional_db):
    reference_data_load()
    UserFactory(email="leder@example.org", full_name="Liv Leder", leadership=True)
    page = browser_page
    browser_login(page, "leder@example.org")

    page.get_by_role("navigation", name="Hovedmeny").get_by_role("button", name="Mer").click()
    page.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name="Fylkesavdelinger").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Fylkesavdelinger"
    assert_accessible(page, "fylkesavdelinger")

    page.get_by_role("link", name="Ny fylkesavdeling").click()
    page.get_by_label("E-post").fill("ikke en adresse")
    page.get_by_role("button", name="Opprett fylkesavdeling").click()
    assert page.locator("#error-summary").is_visible()
    assert page.get_by_label("E-post").input_value() == "ikke en adresse"
    assert_accessible(page, "ny fylkesavdeling med feil")

    page.get_by_label("Navn").fill("Norsk kulturskoleråd Telemark")
    page.get_by_label("E-post").fill("telemark@example.org")
    page.get_by_role("button", name="Opprett fylkesavdeling").click()
    assert "er opprettet" in page.locator(".messages").inner_text()

    page.get_by_role("link", name="Flytt Telemark").click()
    assert_accessible(page, "flytt fylke")
    page.get_by_label("Fylkesavdeling").select_option(label="Norsk kulturskoleråd Telemark")
    page.get_by_role("button", name="Flytt fylket").click()
    assert "Telemark hører nå til Norsk kulturskoleråd Telemark" in page.locator(".messages").inner_text()
    assert County.objects.get(number="40").branch.name == "Norsk kulturskoleråd Telemark"
    assert AuditEntry.objects.filter(action="municipalities.county.moved").count() == 1

    page.get_by_role("navigation", name="Hovedmeny").get_by_role("button", name="Mer").click()
    page.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name="Kommuner").click()
    assert "357 kommuner" in page.locator("caption").inner_text()
    assert_accessible(page, "kommuner")
    page.get_by_label("Søk på navn eller kommunenummer").fill("sunnfjord")
    page.get_by_role("button", name="Vis").click()
    page.get_by_role("link", name="Sunnfjord").click()
    assert_accessible(page, "kommune")
    page.get_by_label("Medlemskommune i Norsk kulturskoleråd").uncheck()
    page.get_by_label("E-post (kulturskolen)").fill("kulturskolen@example.org")
    page.get_by_role("button", name="Lagre").click()
    assert "Sunnfjord er oppdatert" in page.locator(".messages").inner_text()
    sunnfjord = Municipality.objects.get(number="4647")
    assert (sunnfjord.is_member, sunnfjord.email) == (False, "kulturskolen@example.org")
