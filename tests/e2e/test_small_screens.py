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
