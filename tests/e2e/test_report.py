"""Browser journey: leadership opens the programme's report on the demo data, at desktop width and at 360 px,
and in the print layout; axe on each; Chromium's PDF has a page per section (page breaks between them)."""

import re

import pytest

from tests.conftest import assert_accessible, browser_login

pytestmark = pytest.mark.browser

SECTIONS = 6


@pytest.fixture
def demo(transactional_db):
    from accounts.management.commands.seed_demo import demo_seed
    from municipalities.services import reference_data_load

    reference_data_load()
    ctx = {"password": "kulturskole"}
    demo_seed(ctx)
    return ctx


def test_leadership_reads_the_report_on_screen_on_a_phone_and_in_print(browser_page, demo):
    page = browser_page
    region = demo["gatherings_region"]
    browser_login(page, "leder@example.org")

    page.goto(f"/program/{region.program_id}/")
    page.get_by_role("link", name="Rapport", exact=True).click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Rapport for")
    page.get_by_role("link", name=region.name).first.click()
    page.wait_for_load_state("networkidle")

    # The demo data fills the report: a heat map with municipalities, hand-ins, a timeline.
    assert page.get_by_test_id("attendance-grid").locator("tbody tr").count() >= 2
    assert page.get_by_test_id("hand-in-table").count() >= 1
    assert page.get_by_test_id("timeline-table").locator("tbody tr").count() >= 3
    assert page.locator("section.report-section").count() == SECTIONS
    # The groups came from accepted applications: the funnel says so.
    assert "5 søkte, 5 ble tatt opp." in page.locator("#deltakelse").inner_text()
    assert_accessible(page, "rapport (skjerm)")

    page.set_viewport_size({"width": 360, "height": 800})
    assert_accessible(page, "rapport (360 px)")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0  # wide tables scroll inside their own box, the page does not

    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.locator("form.report-filter").is_visible()
    assert_accessible(page, "rapport (utskrift)")
    pdf = page.pdf(format="A4", print_background=True)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert pages >= SECTIONS

    page.set_viewport_size({"width": 1280, "height": 900})
    assert_accessible(page, "rapport (utskrift, skjermbredde)")

    # The guidance demo's region shows its hours.
    guidance_region = demo["guidance_region"]
    page.emulate_media(media="screen")
    page.goto(f"/program/region/{guidance_region.pk}/rapport/")
    assert page.get_by_test_id("guidance-hours").locator("tbody tr").count() >= 2
    assert "Brukt 0,0 av" not in page.get_by_test_id("guidance-total").inner_text()
    assert_accessible(page, "rapport med veiledning")
