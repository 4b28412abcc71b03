"""Each demo person logs in and sees their own dashboard, and nothing of the programme leadership's."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from tests.conftest import assert_accessible, browser_login

pytestmark = pytest.mark.browser

LEADERSHIP_LINKS = ["Personer", "Fylkesavdelinger", "Logg"]
LEADERSHIP_URLS = [
    "municipalities:branch_list",
    "municipalities:branch_create",
    "accounts:people_list",
    "audit:entry_list",
]

DEMO_PEOPLE = [
    # email, greeting, role shown in the header, what their own panels show
    ("leder@example.org", "Hei, Liv", "Programledelse", []),
    (
        "styre@example.org",
        "Hei, Stian",
        "Fylkesstyre – Norsk kulturskoleråd Vestland",
        ["Din fylkesavdeling", "Norsk kulturskoleråd Vestland", "Vestland"],
    ),
    (
        "kommune@example.org",
        "Hei, Kari",
        "Kommunekontakt – Sunnfjord",
        ["Din kommune", "Sunnfjord", "Vestland", "Norsk kulturskoleråd Vestland"],
    ),
    ("veileder@example.org", "Hei, Vera", "Veileder", []),
    ("jury@example.org", "Hei, Jens", "Jurymedlem", []),
]


@pytest.fixture
def demo(transactional_db):
    call_command("seed_demo", force=True, verbosity=0)


@pytest.mark.parametrize(("email", "greeting", "role", "panel"), DEMO_PEOPLE, ids=[p[0] for p in DEMO_PEOPLE])
def test_demo_person_sees_their_own_dashboard(browser_page, demo, email, greeting, role, panel):
    page = browser_page
    browser_login(page, email)

    assert page.get_by_role("heading", level=1).inner_text() == greeting
    assert role in page.get_by_test_id("user-roles").inner_text()
    main = page.locator("main").inner_text()
    for text in panel:
        assert text in main, f"{email} skulle sett «{text}» på oversikten"
    assert_accessible(page, f"oversikten til {email}")

    menu = page.get_by_role("navigation", name="Hovedmeny")
    if email == "leder@example.org":
        menu.get_by_role("button", name="Mer").click()  # the administration pages sit behind "Mer"
        for name in LEADERSHIP_LINKS:
            assert menu.get_by_role("link", name=name, exact=True).is_visible(), f"lederen mangler «{name}»"
        assert "Din fylkesavdeling" not in main
        assert "Din kommune" not in main
        response = page.goto(reverse(LEADERSHIP_URLS[0]))
        assert response.status == 200
        assert "Norsk kulturskoleråd Vestland" in page.locator("main").inner_text()
        assert_accessible(page, "fylkesavdelinger")
        return

    for name in LEADERSHIP_LINKS:
        assert menu.get_by_role("link", name=name, exact=True).count() == 0, f"{email} ser lenken «{name}»"
    for url in map(reverse, LEADERSHIP_URLS):
        response = page.goto(url)
        assert response.status == 404, f"{email} fikk {response.status} på {url}"

    if email == "styre@example.org":
        # The board member may look up the municipalities their branch covers, read-only.
        page.goto(reverse("accounts:dashboard"))
        menu.get_by_role("button", name="Mer").click()
        menu.get_by_role("link", name="Kommuner", exact=True).click()
        table = page.locator("table").inner_text()
        assert "Sunnfjord" in table
        assert "Bergen" in table  # Vestland's 43 municipalities fit on one page of 50
        assert "Alver" in table
        assert "Oslo" not in table
        assert page.get_by_role("link", name="Sunnfjord").count() == 0
        assert_accessible(page, "kommunene til fylkesstyret")
