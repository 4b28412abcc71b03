"""The interest journey in Chromium: invitation → registration → edit → temperaturmåling → export."""

import csv
import io

import pytest
from django.core.management import call_command

from programs.models import DialogueMeeting, InterestRegistration, Program
from tests.conftest import assert_accessible, browser_login

pytestmark = pytest.mark.browser


def _logout(page):
    page.get_by_role("button", name="Logg ut").click()
    page.wait_for_load_state("networkidle")


def test_board_registers_interest_and_leadership_follows_it(browser_page, transactional_db):
    call_command("seed_demo", force=True)
    program = Program.objects.order_by("-interest_deadline").first()
    # Start from a branch that has not answered yet: remove Vestland's demo answer for the current edition.
    InterestRegistration.objects.filter(
        program=program, branch__name="Norsk kulturskoleråd Vestland"
    ).delete()
    DialogueMeeting.objects.filter(program=program, branch__name="Norsk kulturskoleråd Vestland").delete()
    page = browser_page

    # The public invitation needs no login.
    page.goto(f"/program/{program.slug}/")
    assert page.get_by_role("heading", level=1).inner_text() == program.name
    assert "Organiseringen" in page.get_by_test_id("invitation-text").inner_text()
    assert_accessible(page, "offentlig invitasjon")

    browser_login(page, "styre@example.org")
    panel = page.get_by_test_id("board-edition-panel").filter(has_text=program.name)
    assert "igjen" in panel.get_by_test_id("countdown").inner_text()
    assert_accessible(page, "oversikt for fylkesstyret")
    panel.get_by_role("link", name="Meld interesse").click()
    page.wait_for_load_state("networkidle")
    assert "Interessemelding – Vestland" in page.get_by_role("heading", level=1).inner_text()
    assert_accessible(page, "interessemelding (ny)")

    page.get_by_label("Kanskje, vi vil vite mer").check()
    search = page.get_by_label("Søk etter kommune")
    search.fill("sunnf")
    assert page.get_by_label("Bergen", exact=True).is_hidden()
    page.get_by_label("Sunnfjord", exact=True).check()
    search.fill("kinn")
    page.get_by_label("Kinn", exact=True).check()
    assert "2 valgt" in page.locator("#municipality-count").inner_text()
    page.get_by_label("Kommentar").fill("Styret behandler saken i neste møte.")
    page.get_by_role("button", name="Lagre interessemeldingen").click()
    page.wait_for_load_state("networkidle")
    assert "Interessemeldingen er lagret" in page.locator(".messages").inner_text()
    assert_accessible(page, "interessemelding (lagret)")

    # Edit: the board has decided.
    assert page.get_by_label("Sunnfjord", exact=True).is_checked()
    page.get_by_label("Ja, vi vil delta").check()
    page.get_by_label("Kommentar").fill("Styret vil delta med Sunnfjord og Kinn.")
    page.get_by_role("button", name="Lagre interessemeldingen").click()
    page.wait_for_load_state("networkidle")
    registration = InterestRegistration.objects.get(
        program=program, branch__name="Norsk kulturskoleråd Vestland"
    )
    assert registration.level == "yes"
    assert registration.version == 2
    _logout(page)

    # Leadership follows it on the temperaturmåling.
    browser_login(page, "leder@example.org")
    assert_accessible(page, "oversikt for programledelsen")
    page.get_by_test_id("leadership-edition-panel").filter(has_text=program.name).get_by_role(
        "link", name="Temperaturmåling"
    ).click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", level=1).inner_text() == "Temperaturmåling"
    totals = page.get_by_test_id("totals")
    assert totals.locator("[data-status=yes] strong").inner_text() == "3"
    assert totals.locator("[data-status=maybe] strong").inner_text() == "3"
    assert totals.locator("[data-status=no] strong").inner_text() == "2"
    assert totals.locator("[data-status=none] strong").inner_text() == "2"
    assert "8 av 10 fylkesavdelinger har svart" in page.get_by_test_id("answered").inner_text()
    row = page.get_by_test_id("temperature-table").locator("tr[data-branch=Vestland]")
    assert "Ja, vi vil delta" in row.inner_text()
    assert "Kinn, Sunnfjord" in row.inner_text()
    assert "Stian Styre" in row.inner_text()
    assert (
        page.get_by_test_id("county-grid").locator("li", has_text="Vestland").get_attribute("data-status")
        == "yes"
    )
    assert_accessible(page, "temperaturmåling")

    page.get_by_label("Status").select_option("none")
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_load_state("networkidle")
    shown = page.get_by_test_id("temperature-table").locator("tbody tr")
    assert shown.count() == 2
    assert_accessible(page, "temperaturmåling filtrert")

    with page.expect_download() as info:
        page.get_by_role("link", name="Last ned CSV").click()
    content = open(info.value.path(), encoding="utf-8-sig").read()  # noqa: PTH123, SIM115
    rows = list(csv.reader(io.StringIO(content), delimiter=";"))
    vestland = next(r for r in rows if r[0] == "Norsk kulturskoleråd Vestland")
    assert vestland[2] == "Ja, vi vil delta"
    assert vestland[3] == "Kinn, Sunnfjord"
    assert len(rows) == 11  # header + ten branches
