"""The top menu fits the screen: no sideways scrolling on a 1280 px desktop nor on a 360 px phone, and the
administration pages stay reachable by keyboard through the "Mer" menu."""

import pytest

from accounts.models import Role
from tests.conftest import assert_accessible, browser_login
from tests.factories import RoleAssignmentFactory, UserFactory

pytestmark = pytest.mark.browser

# Widths from the smallest phone up to the desktop the tester used; 1200 is where the bar unfolds.
WIDTHS = [360, 768, 1199, 1200, 1280, 1440]


def _page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_leadership_menu_fits_every_width(browser_page, transactional_db):
    # The widest menu: leadership who also sits on the jury and advises.
    leader = UserFactory(email="leder@example.org", full_name="Liv Leder", leadership=True)
    RoleAssignmentFactory(user=leader, role=Role.JURY_MEMBER)
    RoleAssignmentFactory(user=leader, role=Role.ADVISOR)
    page = browser_page
    page.set_viewport_size({"width": 1280, "height": 800})
    browser_login(page, "leder@example.org")
    menu = page.get_by_role("navigation", name="Hovedmeny")

    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        assert _page_width(page) <= width, f"{width} px: siden er {_page_width(page)} px bred"

    # Desktop: the menu is one line, every entry visible, the admin pages behind "Mer".
    page.set_viewport_size({"width": 1280, "height": 800})
    for name in ["Oversikt", "Programperioder", "Søknader", "Jury", "Samlinger", "Veiledning"]:
        assert menu.get_by_role("link", name=name, exact=True).is_visible(), f"menyen mangler «{name}»"
    tops = page.evaluate(
        "[...document.querySelectorAll('#main-nav > ul > li')].map(li => li.getBoundingClientRect().top)"
    )
    assert len(set(tops)) == 1, f"menyen går over flere linjer: {tops}"
    assert not menu.get_by_role("link", name="Logg", exact=True).is_visible()
    more = menu.get_by_role("button", name="Mer")
    assert more.get_attribute("aria-expanded") == "false"
    more.focus()
    page.keyboard.press("Enter")
    assert more.get_attribute("aria-expanded") == "true"
    for name in ["Personer", "Fylkesavdelinger", "Kommuner", "Påminnelser", "Logg"]:
        assert menu.get_by_role("link", name=name, exact=True).is_visible(), f"«Mer» mangler «{name}»"
    assert _page_width(page) <= 1280
    assert_accessible(page, "åpen meny på 1280 px")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.textContent") == "Personer"
    menu.get_by_role("link", name="Logg", exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text() == "Logg"
    assert "active" in (more.get_attribute("class") or "")
    assert _page_width(page) <= 1280

    # Phone: the menu folds behind the toggler; opened, it still fits.
    page.set_viewport_size({"width": 360, "height": 800})
    assert not menu.get_by_role("link", name="Samlinger", exact=True).is_visible()
    toggler = menu.get_by_role("button", name="Vis meny")
    toggler.click()
    expect_visible = menu.get_by_role("link", name="Samlinger", exact=True)
    expect_visible.wait_for(state="visible")
    assert toggler.get_attribute("aria-expanded") == "true"
    # Wait for the fold-out animation to end: a click during it can land on a moving button.
    page.locator(".navbar-collapse.collapse.show").wait_for(state="visible")
    more = menu.get_by_role("button", name="Mer")
    more.click()
    page.wait_for_function("b => b.getAttribute('aria-expanded') === 'true'", arg=more.element_handle())
    menu.get_by_role("link", name="Påminnelser", exact=True).wait_for(state="visible")
    assert _page_width(page) <= 360, f"360 px: siden er {_page_width(page)} px bred"
    assert_accessible(page, "åpen meny på 360 px")
