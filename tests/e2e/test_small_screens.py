"""On a phone (390 px wide) pages with tables do not scroll sideways: a wide table scrolls in its own box."""

import datetime as dt

import pytest
from django.utils import timezone

from accounts import services as account_services
from accounts.models import Role
from programs.reminders import INTEREST_DEADLINE
from reminders import services as reminder_services
from tests.conftest import assert_accessible, browser_login
from tests.factories import (
    CountyBranchFactory,
    MunicipalityFactory,
    ProgramFactory,
    UserFactory,
    board_member,
)

pytestmark = pytest.mark.browser

PHONE_WIDTH = 390


def _assert_fits_the_screen(page, what: str) -> None:
    page.wait_for_load_state("networkidle")
    page_width = page.evaluate("document.documentElement.scrollWidth")
    assert page_width <= PHONE_WIDTH, f"{what}: siden er {page_width} px bred og kan rulles sidelengs"
    # The premise: the table is wider than the screen, and scrolls inside its own box instead.
    content_width, box_width = page.evaluate(
        """() => {
          const box = [...document.querySelectorAll('main table')]
            .sort((a, b) => b.scrollWidth - a.scrollWidth)[0];
          return [box.scrollWidth, box.clientWidth];
        }"""
    )
    assert box_width <= PHONE_WIDTH < content_width, (
        f"{what}: {content_width} px tabell i {box_width} px boks"
    )
    assert_accessible(page, f"{what} på mobil")


def test_pages_with_tables_fit_a_phone_screen(browser_page, transactional_db):
    page = browser_page
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 844})
    leader = UserFactory(email="leder@example.org", full_name="Liv Leder", leadership=True)
    UserFactory(email="kari.kommunekontakt@example.org", full_name="Kari Kommunekontakt")
    program = ProgramFactory(
        name="Regionale program 2031", interest_deadline=timezone.now() + dt.timedelta(days=20)
    )
    branch = CountyBranchFactory(name="Norsk kulturskoleråd Møre og Romsdal", email="mr@example.org")
    board_member(branch, email="styre@example.org", full_name="Siri Styre")
    reminder_services.deliveries_plan(codes=[INTEREST_DEADLINE])
    account_services.invitation_create(
        actor=leader,
        email="nora.nyberg@example.org",
        full_name="Nora Nyberg",
        role=Role.MUNICIPAL_CONTACT,
        municipality=MunicipalityFactory(name="Sunnfjord"),
    )

    browser_login(page, "leder@example.org")
    page.goto("/paminnelser/")
    # The settings table of an edition has buttons whose full name is a visually hidden label.
    page.get_by_label("Programperiode").select_option(str(program.pk))
    page.get_by_role("button", name="Vis", exact=True).click()
    _assert_fits_the_screen(page, "påminnelser for en programperiode")

    page.goto("/personer/")
    _assert_fits_the_screen(page, "personer")
    page.goto("/personer/invitasjoner/")
    _assert_fits_the_screen(page, "ventende invitasjoner")


# The box a table scrolls in (its .table-responsive wrapper, or the table itself on a phone), and what of the
# cells is drawn inside it: [left, right] of each, relative to the box.
_IN_BOX = """(t) => {
  const box = (t.closest('.table-responsive') || t).getBoundingClientRect();
  const r = (el) => { const b = el.getBoundingClientRect(); return [b.left - box.left, b.right - box.left]; };
  return {width: box.width, scroll: (t.closest('.table-responsive') || t).scrollWidth,
          heads: [...t.querySelectorAll('thead th')].map(r), cut: [...t.querySelectorAll('td, tbody th')]
            .filter((c) => c.getClientRects().length && c.scrollWidth > c.clientWidth + 1).map((c) => c.innerText)};
}"""


@pytest.fixture
def seeded(transactional_db):
    from django.core.management import call_command

    call_command("seed_demo", force=True, verbosity=0)


def test_region_page_dashboard_and_report_at_360(browser_page, seeded):
    """The usability test at 360 px on the demo data: gathering times, «Mellomarbeid levert», the advisor's
    hours and the report's heat map and sector table were cut off or a screen wide each."""
    from programs.models import RegionalProgram

    page = browser_page
    page.set_viewport_size({"width": 360, "height": 740})
    region = RegionalProgram.objects.filter(gatherings__isnull=False).order_by("pk").first()

    browser_login(page, "leder@example.org")
    page.goto(f"/samlinger/region/{region.pk}/")
    gatherings = page.get_by_test_id("gathering-table").evaluate(_IN_BOX)
    assert gatherings["cut"] == [], "tider som er kuttet i samlingstabellen"
    assert gatherings["scroll"] <= gatherings["width"]
    overview = page.get_by_test_id("overview-table").evaluate(_IN_BOX)
    assert overview["scroll"] <= overview["width"], "«Deltakelse per kommune» må rulles for å se alt"
    assert max(right for _left, right in overview["heads"]) <= overview["width"] + 1  # Mellomarbeid levert
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(page, "samlinger i regionen, 360 px")

    page.goto(f"/program/region/{region.pk}/rapport/")
    grid = page.get_by_test_id("attendance-grid").first
    drawn = grid.evaluate(_IN_BOX)
    in_view = [h for h in drawn["heads"][1:-1] if h[1] <= drawn["width"]]
    assert len(in_view) >= 2, f"bare {len(in_view)} samling(er) synlig i varmekartet ved 360 px"
    assert page.get_by_test_id("heatmap-scroll-hint").first.is_visible()
    # scrolled to its end, the municipality is still in view (it stays at the left edge)
    first = grid.evaluate("""(t) => { const box = t.closest('.table-responsive'); box.scrollLeft = box.scrollWidth;
      return t.querySelector('tbody th').getBoundingClientRect().left - box.getBoundingClientRect().left; }""")
    assert 0 <= first <= 1
    # still a table for a screen reader: its caption names it, each gathering is a column heading
    table = page.get_by_role("table", name="Oppmøte per kommune og samling").first
    assert table.get_by_role("columnheader").count() == len(drawn["heads"])
    sectors = page.get_by_test_id("attendance-sectors").first.evaluate(_IN_BOX)
    assert sectors["scroll"] <= sectors["width"], "sektortabellen skjuler «Møtte ikke» og «Oppmøte»"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(page, "rapport, 360 px")
    page.set_viewport_size({"width": 1280, "height": 800})
    wide = grid.evaluate(_IN_BOX)
    assert wide["scroll"] < 1600, f"varmekartet er {wide['scroll']} px bredt ved 1280 px"
    page.get_by_role("button", name="Logg ut").click()

    # Very long municipality names (one word, many words) and a very long person name (the user bar, «Hei, …»):
    # nothing widens the page, and the first column keeps its width, so its text never runs
    # under the hours, nor the hours under «Registrer møte» (the columns are shifted by fixed widths on a phone).
    from guidance.models import GuidanceAgreement
    from municipalities.models import Municipality

    mine = GuidanceAgreement.objects.filter(advisors__email="veileder@example.org").order_by("pk")
    long_names = {"K" * 80: mine[0].municipality_id, ("Langnavn " * 9)[:80]: mine[1].municipality_id}
    for name, pk in long_names.items():
        Municipality.objects.filter(pk=pk).update(name=name)
    UserFactory._meta.model.objects.filter(email="veileder@example.org").update(full_name="V" * 80)
    page.set_viewport_size({"width": 360, "height": 740})
    browser_login(page, "veileder@example.org")
    rows = page.get_by_test_id("dashboard-agreements").evaluate(
        """(t) => { const box = t.getBoundingClientRect();
          const x = (r) => [r.left - box.left, r.right - box.left];
          const drawn = (c) => { const r = document.createRange(); r.selectNodeContents(c);
            return x(r.getBoundingClientRect()); };
          return [...t.querySelectorAll('tbody tr')].map((tr) => {
            const [name, , , hours, action] = tr.children;
            return {name: tr.querySelector('th a').innerText, cell: x(name.getBoundingClientRect()),
                    text: drawn(name), hours: x(hours.getBoundingClientRect()), hoursText: drawn(hours),
                    button: x(action.querySelector('.btn').getBoundingClientRect())}; }); }"""
    )
    assert {r["name"] for r in rows} >= set(long_names)
    for r in rows:
        what = r["name"][:20]
        assert r["text"][0] >= 0, f"{what}: navnet ligger utenfor boksen"
        assert r["text"][1] <= r["cell"][1] + 1, f"{what}: navnet renner ut av kolonnen"
        assert r["text"][1] <= r["hours"][0] + 1, f"{what}: navnet ligger under timene"
        assert r["hoursText"][1] <= r["button"][0] + 1, f"{what}: timene ligger bak «Registrer møte»"
    assert page.get_by_test_id("dashboard-guidance").evaluate("(s) => s.scrollWidth <= s.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
