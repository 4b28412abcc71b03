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
    assert "2 valgt." in page.locator("#municipality-count").inner_text()
    assert page.locator("#municipality-chosen-list li").all_inner_texts() == ["Kinn", "Sunnfjord"]
    assert page.locator("#municipality-chosen-none").is_hidden()
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


def test_edition_dialogue_meeting_annual_meeting_and_region(browser_page, transactional_db):
    call_command("seed_demo", force=True)
    page = browser_page

    # Leadership creates and publishes a new edition.
    browser_login(page, "leder@example.org")
    page.goto("/program/ny/")
    assert_accessible(page, "ny programperiode")
    page.locator("#id_name").fill("Fremtidens kulturskole – regionale program 2030–2032")
    page.get_by_label("Kortnavn i lenker").fill("regionale-program-2030")
    page.get_by_label("Invitasjonstekst").fill("Velkommen.\n\n- Tre semestre\n- Seks samlinger")
    page.get_by_label("Frist for interessemelding (dato)").fill("2030-09-15")
    page.get_by_role("button", name="Lagre").click()
    page.wait_for_load_state("networkidle")
    assert "Programperioden er opprettet" in page.locator(".messages").inner_text()
    assert "15. september 2030 kl. 23:59" in page.locator("main").inner_text()
    assert_accessible(page, "programperiode")
    page.get_by_role("button", name="Publiser").click()
    page.wait_for_load_state("networkidle")
    # the confirmation step says the invitation goes out; only its button publishes
    assert "Invitasjonen sendes nå på e-post" in page.locator("main").inner_text()
    assert_accessible(page, "bekreft publisering")
    page.get_by_test_id("confirm-form").get_by_role("button", name="Publiser").click()
    page.wait_for_load_state("networkidle")
    assert "Programperioden er publisert" in page.locator(".messages").inner_text()
    page.get_by_role("link", name="Rediger").click()
    page.wait_for_load_state("networkidle")
    page.locator("#id_name").fill("")
    page.get_by_role("button", name="Lagre").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#error-summary").is_visible()
    assert_accessible(page, "rediger programperiode med feil")
    _logout(page)

    current = Program.objects.exclude(slug="regionale-program-2030").order_by("-interest_deadline").first()
    # the demo's previous edition (the gatherings demo adds an older one of its own)
    earlier = Program.objects.get(slug=f"regionale-program-{current.interest_deadline.year - 1}")

    # The board asks for a dialogue meeting and records the annual meeting's decision.
    browser_login(page, "styre@example.org")
    page.goto(f"/program/{current.pk}/dialogmoter/ny/")
    assert_accessible(page, "be om dialogmøte")
    page.get_by_label("Hva vil dere snakke om?").fill("Hvordan vi involverer politisk ledelse.")
    page.get_by_role("button", name="Send ønsket").click()
    page.wait_for_load_state("networkidle")
    assert_accessible(page, "dialogmøter (styret)")
    page.goto(f"/program/{current.pk}/")
    page.get_by_role("link", name="Registrer årsmøtets vedtak").click()
    page.wait_for_load_state("networkidle")
    assert_accessible(page, "årsmøtets vedtak")
    page.get_by_label("Dato for fylkesårsmøtet").fill("2026-11-01")
    page.get_by_label("Fylkesavdelingen deltar", exact=True).check()
    page.get_by_role("button", name="Lagre vedtaket").click()
    page.wait_for_load_state("networkidle")
    assert "Årsmøtets vedtak er registrert" in page.locator(".messages").inner_text()
    _logout(page)

    # Leadership schedules the meeting, grants an extension and creates the regional programme.
    browser_login(page, "leder@example.org")
    page.goto(f"/program/{current.pk}/dialogmoter/")
    assert_accessible(page, "dialogmøter (programledelsen)")
    page.get_by_role("link", name="Avtal – Vestland").first.click()
    page.wait_for_load_state("networkidle")
    assert_accessible(page, "avtal dialogmøte")
    page.locator("#id_date").fill("2027-01-12")
    page.locator("#id_time").fill("10:00")
    page.get_by_label("Videolenke").fill("https://video.example.org/vestland")
    page.get_by_role("button", name="Lagre avtalen").click()
    page.wait_for_load_state("networkidle")
    assert "12. januar 2027 kl. 10:00" in page.get_by_test_id("meeting-table").inner_text()
    with page.expect_download() as info:
        page.get_by_role("link", name="Legg i kalender (.ics) – Vestland").first.click()
    assert b"BEGIN:VEVENT" in open(info.value.path(), "rb").read()  # noqa: PTH123, SIM115

    page.goto(f"/program/{current.pk}/temperaturmaling/")
    page.get_by_role("link", name="Gi ny frist – Agder").click()
    page.wait_for_load_state("networkidle")
    assert_accessible(page, "ny frist")
    page.get_by_label("Ny frist (dato)").fill("2027-09-30")
    page.get_by_role("button", name="Gi ny frist").click()
    page.wait_for_load_state("networkidle")
    assert "Agder har fått ny frist" in page.locator(".messages").inner_text()
    assert "30. september 2027 kl. 23:59" in page.locator("tr[data-branch=Agder]").inner_text()

    page.goto(f"/program/{current.pk}/regionale-program/")
    assert_accessible(page, "regionale program")
    page.get_by_label("Navn på det regionale programmet").fill("Vestland 2028")
    page.get_by_label("Norsk kulturskoleråd Vestland").check()
    page.get_by_role("button", name="Opprett").click()
    page.wait_for_load_state("networkidle")
    assert "Vestland 2028" in page.get_by_test_id("regional-programs").inner_text()
    assert current.regional_programs.get().branches.get().name == "Norsk kulturskoleråd Vestland"
    assert earlier.regional_programs.get().name == "Vestland"
    assert_accessible(page, "regionale program (opprettet)")
