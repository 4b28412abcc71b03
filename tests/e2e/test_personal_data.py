import json

import pytest

from tests.conftest import assert_accessible, browser_login
from tests.factories import MunicipalityFactory, UserFactory, municipal_contact
from tests.programs.factories import InterestRegistrationFactory
from tests.reminders.factories import DeliveryFactory

pytestmark = pytest.mark.browser


def test_leadership_exports_and_then_anonymises_a_person(browser_page, transactional_db):
    page = browser_page
    UserFactory(email="leder@example.org", full_name="Liv Leder", leadership=True)
    kari = municipal_contact(
        MunicipalityFactory(name="Sunnfjord"), email="kari@example.org", full_name="Kari Kulturskole"
    )
    InterestRegistrationFactory(contact_name="Kari Kulturskole", contact_email="kari@example.org")
    DeliveryFactory(
        recipient_email="kari@example.org", recipient_name="Kari Kulturskole", recipient_user=kari
    )

    browser_login(page, "leder@example.org")
    page.goto(f"/personer/{kari.pk}/")
    page.get_by_role("link", name="Eksporter personopplysninger").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Personopplysninger om Kari Kulturskole"
    main = page.get_by_role("main").inner_text()
    assert "Kommunekontakt" in main
    assert "Program og interessemeldinger" in main
    assert "kari@example.org" in main
    assert_accessible(page, "personopplysninger")

    with page.expect_download() as download_info:
        page.get_by_role("button", name="Last ned som JSON").click()
    data = json.loads(open(download_info.value.path(), encoding="utf-8").read())
    assert data["apper"]["accounts"]["data"]["person"]["navn"] == "Kari Kulturskole"

    page.get_by_role("link", name="Slett eller anonymiser personen").click()
    assert_accessible(page, "anonymiser")
    page.get_by_label("Jeg vil anonymisere Kari Kulturskole for godt").check()
    page.get_by_role("button", name="Anonymiser personen").click()
    page.wait_for_url(f"**/personer/{kari.pk}/")
    assert page.get_by_text("Personen er anonymisert").is_visible()
    assert page.get_by_role("heading", level=1).inner_text() == "Slettet person"
    main = page.get_by_role("main").inner_text()
    assert "Kari" not in main
    assert "Person anonymisert" in main  # the erasure is in the person's history
    assert_accessible(page, "person etter anonymisering")

    page.get_by_role("navigation", name="Hovedmeny").get_by_role("button", name="Mer").click()
    page.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name="Logg", exact=True).click()
    log = page.get_by_role("main").inner_text()
    assert "Person anonymisert" in log
    assert "Personopplysninger eksportert" in log
    assert "kari@example.org" not in log
