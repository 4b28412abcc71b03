"""Browser journey: the demo advisor logs a session with two themes and an internal note; the demo municipal
contact reads the shared summary, sees no internal note and revises the plan; leadership sees the hours and
the chart. axe on every page."""

import pytest

from guidance.models import DevelopmentPlanRevision, GuidanceAgreement, GuidanceSession
from tests.conftest import assert_accessible, browser_login

pytestmark = pytest.mark.browser

NOTE = "Internt: kommunalsjefen virker lite engasjert"
SUMMARY = "Vi kartla hvem som må med i forankringen, og prøvde en ny møtestruktur."


@pytest.fixture
def demo(transactional_db):
    from accounts import demo as accounts_demo
    from applications import demo as applications_demo
    from guidance import demo as guidance_demo
    from municipalities.services import reference_data_load
    from programs import demo as programs_demo

    reference_data_load()
    ctx = {"password": "kulturskole"}
    for module in (accounts_demo, programs_demo, applications_demo, guidance_demo):
        module.seed(ctx)
    return ctx


def _logout(page):
    page.get_by_role("button", name="Logg ut").click()
    page.wait_for_load_state("networkidle")


def test_log_read_revise_and_overview(browser_page, demo):
    page = browser_page
    sunnfjord = GuidanceAgreement.objects.get(
        municipality__number="4647", regional_program=demo["guidance_region"]
    )
    revisions_before = DevelopmentPlanRevision.objects.filter(plan__municipality__number="4647").count()

    # The advisor: dashboard, then log a session with two themes and an internal note.
    browser_login(page, "veileder@example.org")
    panel = page.get_by_test_id("dashboard-guidance")
    assert "Sunnfjord" in panel.inner_text()
    assert "Over rammen" in panel.inner_text()
    assert_accessible(page, "oversikt, veileder")
    panel.get_by_role("link", name="Registrer møte – Sunnfjord").click()
    assert_accessible(page, "før veiledningsmøte")
    page.get_by_label("Varighet i minutter").fill("90")
    page.get_by_label("Digitalt").check()
    page.get_by_label("Forankring og begrunnelser").check()
    page.get_by_label("Møtemetodikk").check()
    page.get_by_label("Berit Barnehage").check()
    page.get_by_label("Oppsummering").fill(SUMMARY)
    page.get_by_label("Avtalte neste steg").fill("Koordinator sender ut møteplan.")
    page.get_by_label("Internt notat").fill(NOTE)
    page.get_by_role("button", name="Lagre").click()
    page.wait_for_load_state("networkidle")
    assert "Veiledningsmøtet er ført." in page.content()
    assert NOTE in page.content()
    assert_accessible(page, "avtalen, veileder")
    session = GuidanceSession.objects.get(summary=SUMMARY)
    assert sorted(session.theme_rows.values_list("theme", flat=True)) == ["forankring", "motemetodikk"]
    _logout(page)

    # The municipal contact: reads the summary, never the note; revises the plan.
    browser_login(page, "kommune@example.org")
    assert_accessible(page, "oversikt, kommunekontakt")
    page.get_by_role("link", name="Veiledning", exact=True).first.click()
    assert_accessible(page, "veiledning, kommunekontakt")
    page.get_by_role("link", name="Sunnfjord").first.click()
    assert SUMMARY in page.content()
    assert NOTE not in page.content()
    assert "Internt notat" not in page.content()
    assert_accessible(page, "veiledningssiden til kommunen")
    page.get_by_role("link", name="Revider planen").click()
    assert_accessible(page, "revider planen")
    page.get_by_label("Hvor er vi?").fill("Fire barnehager er med, og SFO er i gang igjen.")
    page.get_by_label("Hva er endret i denne versjonen?").fill("Etter veiledningsmøtet")
    page.get_by_role("button", name="Lagre ny versjon").click()
    page.wait_for_load_state("networkidle")
    assert "Planen ved start og nå" in page.content()
    assert_accessible(page, "utviklingsplanen med historikk")
    assert (
        DevelopmentPlanRevision.objects.filter(plan__municipality__number="4647").count()
        == revisions_before + 1
    )
    _logout(page)

    # Leadership: the region's hours, table and chart.
    browser_login(page, "leder@example.org")
    page.goto(f"/veiledning/regionalt-program/{sunnfjord.regional_program_id}/oversikt/")
    assert page.get_by_test_id("hours-chart").is_visible()
    table = page.get_by_test_id("municipality-hours").inner_text()
    assert "Sunnfjord" in table
    assert "9,5" in table  # hours used by the over-frame municipality
    assert NOTE not in page.content()
    assert_accessible(page, "oversikt over timer")
    page.goto(f"/veiledning/regionalt-program/{sunnfjord.regional_program_id}/veiledere/")
    assert_accessible(page, "tildel veiledere")


# Words split across lines inside the element (e.g. «Veilede r»): for each word of its text, the number of
# line boxes the word lands on.
_SPLIT_WORDS = """(el) => {
  const out = [];
  const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const re = /\\S+/g;
    let m;
    while ((m = re.exec(node.data))) {
      const range = document.createRange();
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
      if (tops.size > 1) out.push(m[0]);
    }
  }
  return out;
}"""

# After scrolling the element into view: is its middle the topmost thing there (not covered or cut off)?
_SEEN = """(el) => {
  el.scrollIntoView({block: "center", inline: "center", behavior: "instant"});
  const r = el.getBoundingClientRect();
  const x = r.left + r.width / 2, y = r.top + r.height / 2;
  if (x < 0 || x > window.innerWidth) return false;
  const hit = document.elementFromPoint(x, y);
  return hit !== null && (el.contains(hit) || hit.contains(el));
}"""

# Does the text inside the element fit on one line?
_ONE_LINE = """(el) => {
  const range = document.createRange();
  range.selectNodeContents(el);
  return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size <= 1;
}"""


def test_dashboard_and_assign_page_on_a_phone(browser_page, demo):
    page = browser_page
    page.set_viewport_size({"width": 360, "height": 740})
    browser_login(page, "veileder@example.org")
    table = page.get_by_test_id("dashboard-agreements")
    assert table.evaluate(_SPLIT_WORDS) == []
    dates = page.get_by_test_id("date-cell")
    assert dates.count() >= 8
    for i in range(dates.count()):
        assert dates.nth(i).evaluate(_ONE_LINE), dates.nth(i).inner_text()
    hours = page.locator('[data-testid="hours-cell"] .small')
    assert hours.count() >= 4
    for i in range(hours.count()):
        assert hours.nth(i).evaluate(_SEEN), hours.nth(i).inner_text()
    if table.evaluate("t => t.scrollWidth > t.clientWidth"):
        assert page.get_by_test_id("scroll-hint").first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    _logout(page)

    browser_login(page, "leder@example.org")
    rp = demo["guidance_region"]
    page.goto(f"/veiledning/regionalt-program/{rp.pk}/veiledere/")
    assign = page.get_by_test_id("assign-table")
    assert assign.evaluate(_SPLIT_WORDS) == []
    used = assign.get_by_role("columnheader", name="Brukt")
    assert used.evaluate(_SEEN)
    assert assign.evaluate("t => t.scrollWidth > t.clientWidth")
    assert page.get_by_test_id("scroll-hint").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(page, "tildel veiledere, 360 px")
