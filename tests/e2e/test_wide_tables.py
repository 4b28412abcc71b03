"""Wide tables keep their row actions in view (issue 12): the ranking's «Vedtak» was clipped at 1280 px, and
on a phone the action column was out of sight with no hint."""

import pytest

from tests.applications.factories import (
    ApplicationFactory,
    SelectionCriterionFactory,
    open_region,
)
from tests.conftest import assert_accessible, browser_login
from tests.factories import UserFactory

pytestmark = pytest.mark.browser

# The share of the button that can be clicked where it is drawn: 1.0 when nothing covers or clips it.
VISIBLE_BUTTON = """(name) => {
  const el = [...document.querySelectorAll('main table a.btn, main table button')]
    .find(b => b.textContent.trim().startsWith(name));
  const r = el.getBoundingClientRect();
  let box = el.closest('.table-responsive') || el.closest('table');
  const b = box.getBoundingClientRect();
  const left = Math.max(r.left, b.left, 0), right = Math.min(r.right, b.right, window.innerWidth);
  const hit = document.elementFromPoint((left + right) / 2, (r.top + r.bottom) / 2);
  return [Math.max(0, right - left) / r.width, !!hit && (hit === el || el.contains(hit))];
}"""


@pytest.mark.parametrize("width", [1280, 360])
def test_the_ranking_keeps_the_decision_button_in_view(browser_page, transactional_db, width):
    page = browser_page
    page.set_viewport_size({"width": width, "height": 900})
    rp, _branch, _county, municipalities = open_region(municipalities=2)
    for n in range(7):
        SelectionCriterionFactory(
            regional_program=rp, name=f"Forankring og samhandling i kommunen, del {n + 1}", weight=2
        )
    for municipality in municipalities:
        ApplicationFactory(
            regional_program=rp,
            municipality=municipality,
            submitted=True,
            recommendation="Godt forankret i kommunestyret og i kulturskolens egen plan for utvikling.",
        )
    UserFactory(email="leder@example.org", leadership=True)
    browser_login(page, "leder@example.org")
    page.goto(f"/soknader/program/{rp.pk}/rangering/")
    page.wait_for_load_state("networkidle")
    shown, clickable = page.evaluate(VISIBLE_BUTTON, "Vedtak")
    assert shown == 1.0, f"{width} px: bare {shown:.0%} av «Vedtak» vises"
    assert clickable, f"{width} px: «Vedtak» er dekket"
    wide = page.evaluate("""() => [...document.querySelectorAll('body *')]
      .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
      .slice(0, 5).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))""")
    assert page.evaluate("document.documentElement.scrollWidth") <= width, wide
    assert_accessible(page, f"rangering {width} px")
    page.get_by_role("link", name="Vedtak").first.click()
    page.wait_for_load_state("networkidle")
    assert "/vedtak/" in page.url


def test_the_logs_details_column_is_not_cut_at_1280(browser_page, transactional_db):
    from audit.services import audit_log

    page = browser_page
    page.set_viewport_size({"width": 1280, "height": 900})
    leader = UserFactory(email="leder@example.org", full_name="Liv Leder", leadership=True)
    rp, _branch, _county, _municipalities = open_region()
    audit_log(
        actor=leader,
        action="applications.window.updated",
        obj=rp,
        details={
            # addresses joined without spaces are one long word: it must wrap, not push the column out of the box
            "mottakere": ",".join(f"kommunekontakt{n}@kulturskole.kommune.no" for n in range(12)),
        },
    )
    browser_login(page, "leder@example.org")
    page.goto("/logg/")
    page.wait_for_load_state("networkidle")
    overflow = page.evaluate(
        """() => {
          const cell = document.querySelector('main table tbody tr td:last-child');
          const box = cell.closest('.table-responsive') || cell.closest('table');
          return cell.getBoundingClientRect().right - box.getBoundingClientRect().right;
        }"""
    )
    assert overflow <= 1, f"detaljkolonnen går {overflow:.0f} px utenfor tabellens boks"
