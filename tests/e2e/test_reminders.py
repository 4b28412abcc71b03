"""Leadership follows and steers the reminders in the browser; axe on every page of the journey."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from programs.reminders import INTEREST_DEADLINE
from reminders import services
from reminders.models import Delivery, DeliveryState, OccasionSetting
from tests.conftest import assert_accessible, browser_login
from tests.factories import CountyBranchFactory, ProgramFactory, UserFactory, board_member
from tests.reminders.factories import DeliveryFactory

pytestmark = pytest.mark.browser


def test_leadership_sees_pauses_and_edits_reminders(browser_page, transactional_db):
    page = browser_page
    UserFactory(email="leder@example.org", full_name="Liv Leder", leadership=True)
    program = ProgramFactory(
        name="Regionale program 2031", interest_deadline=timezone.now() + dt.timedelta(days=20)
    )
    branch = CountyBranchFactory(name="Norsk kulturskoleråd Vestland", email="vestland@example.org")
    board_member(branch, email="styre@example.org", full_name="Siri Styre")
    services.deliveries_plan(codes=[INTEREST_DEADLINE])
    DeliveryFactory(
        failed=True, recipient_email="feil@example.org", last_error="SMTPRecipientsRefused: 550 ukjent"
    )

    browser_login(page, "leder@example.org")
    assert "Se alle påminnelser" in page.content()
    page.get_by_role("navigation", name="Hovedmeny").get_by_role("button", name="Mer").click()
    page.get_by_role("navigation", name="Hovedmeny").get_by_role(
        "link", name="Påminnelser", exact=True
    ).click()
    assert page.get_by_role("heading", level=1).inner_text() == "Påminnelser"
    assert "styre@example.org" in page.get_by_test_id("upcoming").inner_text()
    assert "1 e-post har feilet" in page.get_by_test_id("failing-alert").inner_text()
    assert_accessible(page, "påminnelser")
    page.get_by_role("link", name="Se hva som gikk galt").click()
    failing = page.get_by_test_id("failing")
    assert "kjenner ikke adressen" in failing.inner_text()
    failing.get_by_text("Teknisk feilmelding").click()
    assert "550 ukjent" in failing.inner_text()
    assert_accessible(page, "påminnelser som feilet")
    page.get_by_label("Mottaker").fill("styre@")
    page.get_by_role("button", name="Vis", exact=True).click()
    assert "Ingen treff" in page.get_by_test_id("failing").inner_text()  # the search keeps the tab
    page.get_by_role("link", name=re.compile("^Kommende")).click()
    assert "styre@example.org" in page.get_by_test_id("upcoming").inner_text()
    assert "vestland@example.org" not in page.get_by_test_id("upcoming").inner_text()
    page.get_by_label("Mottaker").fill("")

    page.get_by_label("Programperiode").select_option(str(program.pk))
    page.get_by_role("button", name="Vis", exact=True).click()
    page.get_by_role("button", name=re.compile(r"^Sett på pause\s*: Frist for interessemelding$")).click()
    assert "er satt på pause" in page.content()
    assert OccasionSetting.objects.get(program=program, occasion=INTEREST_DEADLINE).paused
    assert_accessible(page, "påminnelser for en programperiode")

    page.get_by_role(
        "link", name=re.compile(r"^Endre tekst og tidspunkter\s*: Frist for interessemelding$")
    ).click()
    page.get_by_text("Ren tekst (for e-postprogram uten HTML)").click()
    assert "Hei " in page.get_by_test_id("preview-body").inner_text()
    assert "Norsk kulturskoleråd Vestland" in page.get_by_test_id("preview-body").inner_text()
    html_preview = page.frame_locator("[data-testid=preview-html]")
    assert "Norsk kulturskoleråd Vestland" in html_preview.locator("body").inner_text()
    assert_accessible(page, "innstillinger for påminnelse")
    page.get_by_label("Dager før fristen").fill("sju")
    page.get_by_role("button", name="Lagre").click()
    assert "er ikke et helt tall" in page.content()
    assert page.get_by_label("Dager før fristen").input_value() == "sju"
    assert_accessible(page, "innstillinger med feil")

    page.get_by_label("Dager før fristen").fill("7, 2")
    page.get_by_label("Eget emne (valgfritt)").fill("Husk interessemeldingen innen {frist}")
    page.get_by_role("button", name="Forhåndsvis").click()
    assert page.get_by_test_id("preview-subject").inner_text().startswith("Husk interessemeldingen innen ")
    page.get_by_role("button", name="Lagre").click()
    assert "er lagret" in page.content()
    planned = Delivery.objects.filter(occasion=INTEREST_DEADLINE, state=DeliveryState.PLANNED)
    assert sorted({k.rsplit(":", 1)[1] for k in planned.values_list("key", flat=True)}) == ["d2", "d7"]


def test_on_a_phone_the_not_sent_rows_are_cards_with_whole_words(browser_page, transactional_db):
    page = browser_page
    page.set_viewport_size({"width": 360, "height": 740})
    UserFactory(email="leder@example.org", full_name="Liv Leder", leadership=True)
    program = ProgramFactory(name="Fremtidens kulturskole – regionale program 2024–2026")
    DeliveryFactory(
        program=program,
        state=DeliveryState.SKIPPED,
        recipient_name="Kulturskolen i Sunnfjord",
        recipient_email="kulturskolekoordinator@sunnfjord.kommune.example.org",
        last_error="Samlingen ble avlyst.",
    )
    browser_login(page, "leder@example.org")
    page.goto("/paminnelser/?vis=ikke-sendt")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    table = page.get_by_test_id("not-sent")
    # one card per row: the cells stack, each at the card's full width, so no word breaks in the middle
    email = table.get_by_text("kulturskolekoordinator@sunnfjord.kommune.example.org", exact=True)
    line_height = email.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)")
    assert email.bounding_box()["height"] < 2 * line_height
    status_cell = table.locator("td", has_text="Hoppet over")
    assert "Status" in status_cell.evaluate("e => getComputedStyle(e, '::before').content")  # says what it is
    assert status_cell.bounding_box()["width"] > 300  # a whole line of the card, not a squeezed column
    # still a table with column headers for a screen reader
    assert table.get_by_role("columnheader", name="Status").count() == 1
    assert table.get_by_role("cell", name=re.compile("Samlingen ble avlyst")).count() == 1
    assert_accessible(page, "påminnelser som ikke ble sendt, på telefon")


def test_the_email_preview_shows_the_mail_as_sent_without_breaking_the_pages_policy(
    browser_page, transactional_db
):
    """The mail's inline styles apply in the preview frame (its own response allows them), and neither the page
    nor the frame reports a Content-Security-Policy violation."""
    page = browser_page
    UserFactory(email="leder@example.org", full_name="Liv Leder", leadership=True)
    program = ProgramFactory(interest_deadline=timezone.now() + dt.timedelta(days=20))
    branch = CountyBranchFactory(name="Norsk kulturskoleråd Vestland", email="vestland@example.org")
    board_member(branch, email="styre@example.org", full_name="Siri Styre")
    services.deliveries_plan(codes=[INTEREST_DEADLINE])
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text)
            if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text
            else None
        ),
    )
    browser_login(page, "leder@example.org")
    page.goto(f"/paminnelser/program/{program.pk}/anledning/{INTEREST_DEADLINE}/")
    frame = page.frame_locator("[data-testid=preview-html]")
    assert "Norsk kulturskoleråd Vestland" in frame.locator("body").inner_text()
    font = frame.locator("body").evaluate("body => getComputedStyle(body).fontFamily")
    assert "Arial" in font  # the mail's own inline style, as recipients see it
    page.wait_for_load_state("networkidle")
    assert violations == []
