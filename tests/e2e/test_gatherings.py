"""Browser journey: leadership schedules a gathering with preparation; the demo contact registers two members
and later hands in between-work and shares it; another municipality of the region reads it; leadership marks
attendance on a 360 px wide screen and exports the list. axe on every page."""

import datetime as dt

import pytest
from django.utils import timezone

from gatherings.models import Gathering, HandIn, Registration, RegistrationStatus
from municipalities.models import Municipality
from tests.conftest import assert_accessible, browser_login
from tests.factories import municipal_contact

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(transactional_db):
    from accounts import demo as accounts_demo
    from gatherings import demo as gatherings_demo
    from municipalities.services import reference_data_load
    from programs import demo as programs_demo

    reference_data_load()
    ctx = {"password": "kulturskole"}
    accounts_demo.seed(ctx)
    programs_demo.seed(ctx)
    gatherings_demo.seed(ctx)
    return ctx


def _logout(page):
    page.get_by_role("button", name="Logg ut").click()
    page.wait_for_load_state("networkidle")


def test_schedule_register_hand_in_share_read_and_mark_attendance(browser_page, demo):
    page = browser_page
    region = demo["gatherings_region"]
    start = timezone.localtime(timezone.now() + dt.timedelta(days=35)).replace(hour=10, minute=0)
    start = start + dt.timedelta(days=(2 - start.weekday()) % 7)

    # Leadership schedules a gathering with preparation.
    browser_login(page, "leder@example.org")
    page.goto(f"/samlinger/region/{region.pk}/")
    assert_accessible(page, "programsiden")
    assert page.get_by_test_id("timeline").is_visible()
    page.get_by_role("link", name="Ny samling").click()
    assert_accessible(page, "ny samling")
    page.get_by_label("Type").select_option(label="Koordinatorsamling")
    page.get_by_label("Tittel").fill("Koordinatorsamling om medvirkning")
    page.get_by_label("Starter").fill(start.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Slutter").fill((start + dt.timedelta(hours=5)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Sted").fill("Ekstrasalen")
    page.get_by_label("Antall plasser").fill("20")
    page.get_by_label("Påmeldingsfrist").fill((start - dt.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Forberedelser").fill("Les kapittelet om medvirkning i pilotrapporten.")
    page.get_by_label("Mellomarbeid etter samlingen").fill("Prøv én medvirkningsmetode i kommunen.")
    page.get_by_role("button", name="Legg inn samlingen").click()
    assert "invitasjonen er sendt" in page.locator(".messages").inner_text()
    assert_accessible(page, "samlingen")
    gathering = Gathering.objects.get(title="Koordinatorsamling om medvirkning")
    _logout(page)

    # The demo contact sees the preparation on the dashboard and registers two members.
    browser_login(page, "kommune@example.org")
    assert "Les kapittelet om medvirkning" in page.get_by_test_id("dashboard-gatherings").text_content()
    assert_accessible(page, "oversikt, kommunekontakt")
    page.goto(f"/samlinger/{gathering.pk}/")
    assert_accessible(page, "samlingen, kommunekontakt")
    page.get_by_role("link", name="Meld på kommunegruppen").click()
    assert_accessible(page, "påmelding")
    fieldsets = page.locator("fieldset")
    fieldsets.nth(0).get_by_label("Kommer", exact=True).check()
    fieldsets.nth(1).get_by_label("Kommer", exact=True).check()
    fieldsets.nth(1).get_by_label("Allergier og kosthold").fill("Glutenfri")
    page.get_by_role("button", name="Lagre svarene", exact=True).click()
    assert "Svarene er lagret" in page.locator(".messages").inner_text()
    assert_accessible(page, "påmelding lagret")
    assert Registration.objects.filter(gathering=gathering, status=RegistrationStatus.ATTENDING).count() == 2

    # Later (the gathering is over) the contact hands in the between-work and shares it.
    Gathering.objects.filter(pk=gathering.pk).update(
        starts_at=timezone.now() - dt.timedelta(days=3),
        ends_at=timezone.now() - dt.timedelta(days=3) + dt.timedelta(hours=5),
        registration_deadline=None,
    )
    group = region.municipal_groups.get(municipality__name="Sunnfjord")
    page.goto(f"/samlinger/{gathering.pk}/mellomarbeid/{group.pk}/")
    assert_accessible(page, "mellomarbeid")
    page.get_by_label("Gjort").fill("Vi prøvde elevråd i kulturskolen.")
    page.get_by_role("button", name="Lagre utkast").click()
    assert "Utkastet er lagret" in page.locator(".messages").inner_text()
    page.get_by_label("Lært").fill("Barna hadde mange gode forslag.")
    page.get_by_label("Lurt").fill("Fast elevråd fra høsten.")
    page.get_by_label("Del med de andre kommunene i regionen").check()
    page.get_by_role("button", name="Lever mellomarbeidet").click()
    assert "levert" in page.locator(".messages").inner_text()
    assert_accessible(page, "mellomarbeid levert")
    assert HandIn.objects.get(gathering=gathering, group=group).shared_with_region
    _logout(page)

    # Another municipality of the region reads it.
    kinn = Municipality.objects.get(name="Kinn")
    municipal_contact(kinn, email="kinn.e2e@example.org")
    browser_login(page, "kinn.e2e@example.org")
    page.goto(f"/samlinger/region/{region.pk}/mellomarbeid/")
    assert_accessible(page, "mellomarbeid i regionen")
    assert "Barna hadde mange gode forslag." in page.get_by_role("main").inner_text()
    _logout(page)

    # Leadership marks attendance at the door, on a phone, and exports the list.
    page.set_viewport_size({"width": 360, "height": 740})
    browser_login(page, "leder@example.org")
    page.goto(f"/samlinger/{gathering.pk}/oppmote/")
    assert_accessible(page, "oppmøte på mobil")
    first = page.get_by_test_id("attendance-list").get_by_role("button").first
    first.click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_test_id("attendance-list").get_by_role("button", pressed=True).count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert Registration.objects.filter(gathering=gathering, attended=True).count() == 1
    page.goto(f"/samlinger/{gathering.pk}/deltakere/")
    assert_accessible(page, "deltakerlisten")
    assert "Glutenfri" in page.get_by_test_id("participant-table").inner_text()
    with page.expect_download() as download:
        page.get_by_role("link", name="Last ned (Excel)").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    assert download.value.suggested_filename.startswith("deltakere-koordinatorsamling-om-medvirkning-")

    # After a tap the page jumps to the row; the sticky header must not cover it (scroll-margin-top).
    page.goto(f"/samlinger/{gathering.pk}/oppmote/")
    first = page.get_by_test_id("attendance-list").get_by_role("button").first
    first.click()
    page.wait_for_load_state("networkidle")
    row_top = page.evaluate(
        "document.querySelector(':target') && document.querySelector(':target').getBoundingClientRect().top"
    )
    header_bottom = page.evaluate(
        "Math.max(0, ...[...document.querySelectorAll('header, nav.navbar')]"
        ".filter(e => ['sticky', 'fixed'].includes(getComputedStyle(e).position))"
        ".map(e => e.getBoundingClientRect().bottom))"
    )
    assert row_top is not None
    assert row_top >= header_bottom
    assert page.evaluate("getComputedStyle(document.querySelector(':target')).scrollMarginTop") != "0px"

    # The region page at 360 px: gathering rows stack, dates stay whole, the timeline's labels are readable.
    page.goto(f"/samlinger/region/{region.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    cell = page.get_by_test_id("gathering-table").locator("td").first
    assert cell.evaluate("e => getComputedStyle(e).display") == "block"
    when = page.get_by_test_id("gathering-table").locator(".text-nowrap-sm").first
    assert when.evaluate("e => e.getClientRects().length") == 1  # one line, not a syllable per line
    label_px = (
        page.get_by_test_id("timeline")
        .locator("text")
        .first.evaluate("e => e.getBoundingClientRect().height")
    )
    assert label_px >= 10
    assert_accessible(page, "programsiden på mobil")

    # A cancelled gathering with a long unbroken reason: the text stays inside its box.
    page.set_viewport_size({"width": 1280, "height": 900})
    Gathering.objects.filter(pk=gathering.pk).update(status="cancelled", cancel_reason="x" * 600)
    page.goto(f"/samlinger/{gathering.pk}/")
    box = page.get_by_test_id("cancel-reason")
    assert box.evaluate("e => e.scrollWidth <= e.clientWidth")
    assert page.get_by_role("link", name="Oppmøte").count() == 0
    assert page.get_by_role("link", name="Navnelapper").count() == 0


def test_a_hand_in_typed_while_the_session_expired_comes_back_after_login(browser_page, demo):
    from tests.gatherings.factories import GatheringFactory

    page = browser_page
    region = demo["gatherings_region"]
    gathering = GatheringFactory(regional_program=region, number=9, past=True)
    group = region.municipal_groups.get(municipality__name="Sunnfjord")
    browser_login(page, "kommune@example.org")
    page.goto(f"/samlinger/{gathering.pk}/mellomarbeid/{group.pk}/")
    page.get_by_label("Gjort").fill("Vi prøvde elevråd mens økten gikk ut.")
    # The session runs out while the person is writing; the browser keeps its other cookies.
    cookies = [c for c in page.context.cookies() if c["name"] != "sessionid"]
    page.context.clear_cookies()
    page.context.add_cookies(cookies)
    page.get_by_role("button", name="Lagre utkast").click()
    assert "Det du skrev er tatt vare på" in page.get_by_test_id("draft-kept").inner_text()
    page.get_by_label("E-post").fill("kommune@example.org")
    page.get_by_label("Passord").fill("kulturskole")
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_load_state("networkidle")
    assert "Økten din hadde utløpt" in page.locator(".messages").inner_text()
    assert page.get_by_label("Gjort").input_value() == "Vi prøvde elevråd mens økten gikk ut."
    assert not HandIn.objects.filter(gathering=gathering).exists()  # nothing saved before the person saves
    assert_accessible(page, "gjenopprettet mellomarbeid")
    page.get_by_role("button", name="Lagre utkast").click()
    assert "Utkastet er lagret" in page.locator(".messages").inner_text()
    assert (
        HandIn.objects.get(gathering=gathering, group=group).done == "Vi prøvde elevråd mens økten gikk ut."
    )


def test_a_new_gathering_with_warnings_is_shown_for_confirmation_before_anyone_is_invited(browser_page, demo):
    from reminders.models import Delivery

    page = browser_page
    region = demo["gatherings_region"]
    start = timezone.localtime(timezone.now() + dt.timedelta(days=30)).replace(hour=10, minute=0)
    start = start + dt.timedelta(days=(2 - start.weekday()) % 7)
    invitations = Delivery.objects.filter(occasion="gatherings.invitation").count()

    browser_login(page, "leder@example.org")
    page.goto(f"/samlinger/region/{region.pk}/ny/")
    page.get_by_label("Samling nr. (1–6)").fill("4")  # the demo programme has its Samling 4
    page.get_by_label("Tittel").fill("Samling 4: Ekstra")
    page.get_by_label("Starter").fill(start.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Slutter").fill((start + dt.timedelta(hours=5)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Sted").fill("Ekstrasalen")
    page.get_by_role("button", name="Legg inn samlingen").click()
    page.wait_for_load_state("networkidle")
    assert "Samling nr. 4 finnes allerede" in page.get_by_test_id("warnings").inner_text()
    assert "Ingenting er lagret eller sendt ennå" in page.get_by_test_id("confirm-help").inner_text()
    assert page.get_by_label("Sted").input_value() == "Ekstrasalen"  # nothing typed is lost
    assert not Gathering.objects.filter(venue="Ekstrasalen", number=4).exists()
    assert Delivery.objects.filter(occasion="gatherings.invitation").count() == invitations
    assert_accessible(page, "ny samling med advarsler")

    page.get_by_role("button", name="Lagre likevel og send invitasjonen").click()
    page.wait_for_load_state("networkidle")
    assert "invitasjonen er sendt" in page.locator(".messages").inner_text()
    made = Gathering.objects.get(venue="Ekstrasalen", number=4)
    assert made.display_title == "Samling 4: Ekstra"
    assert page.get_by_role("heading", level=1).inner_text().count("Samling 4") == 1
