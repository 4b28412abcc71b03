import re
from email.utils import parseaddr

import pytest
from django.core import mail

from tests.conftest import assert_accessible, browser_login
from tests.factories import MunicipalityFactory, UserFactory

pytestmark = pytest.mark.browser


def test_leadership_invites_a_municipal_contact_who_sets_a_password(browser_page, transactional_db):
    page = browser_page
    UserFactory(email="leder@example.org", full_name="Liv Leder", leadership=True)
    municipality = MunicipalityFactory(name="Sunnfjord", number="4647")

    browser_login(page, "leder@example.org")
    assert_accessible(page, "oversikt (programledelsen)")
    assert page.get_by_role("heading", name="Personer og roller").is_visible()

    page.get_by_role("navigation", name="Hovedmeny").get_by_role("button", name="Mer").click()
    page.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name="Personer", exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text() == "Personer"
    assert_accessible(page, "personer")

    page.get_by_role("link", name="Inviter en person").first.click()
    assert_accessible(page, "inviter")
    # First a mismatch: a municipal contact without a municipality is explained, and what was typed stays.
    page.get_by_label("E-post").fill("nora@example.org")
    page.get_by_label("Navn").fill("Nora Nyberg")
    assert page.get_by_label("Kommune", exact=True).is_hidden()  # only shown for the roles that need it
    page.get_by_label("Rolle").select_option(label="Kommunekontakt")
    assert page.get_by_label("Kommune", exact=True).is_visible()
    assert page.get_by_label("Fylkesavdeling").is_hidden()
    page.get_by_role("button", name="Send invitasjon").click()
    assert page.get_by_text("Velg hvilken kommune").first.is_visible()
    assert page.get_by_label("E-post").input_value() == "nora@example.org"
    assert_accessible(page, "inviter med feil")

    page.get_by_label("Kommune", exact=True).select_option(str(municipality.pk))
    page.get_by_role("button", name="Send invitasjon").click()
    page.wait_for_url("**/personer/invitasjoner/")
    assert page.get_by_text("Invitasjonen er sendt til nora@example.org").is_visible()
    assert page.get_by_role("cell", name="Kommunekontakt – Sunnfjord").is_visible()
    assert_accessible(page, "ventende invitasjoner")

    page.get_by_role("button", name="Logg ut").click()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert [parseaddr(a) for a in message.to] == [("Nora Nyberg", "nora@example.org")]
    path = re.search(r"https?://[^/\s]+(/invitasjon/[^/\s]+/)", message.body).group(1)

    page.goto(path)
    assert "Kommunekontakt – Sunnfjord" in page.get_by_role("main").inner_text()
    assert page.get_by_label("Navn").input_value() == "Nora Nyberg"
    assert_accessible(page, "invitasjon")
    page.get_by_label("Velg passord").fill("kort")
    page.get_by_label("Gjenta passordet").fill("kort")
    page.get_by_role("button", name="Lagre og logg inn").click()
    assert page.get_by_text("Passordet er for kort").first.is_visible()
    assert_accessible(page, "invitasjon med feil")

    page.get_by_label("Velg passord").fill("Fiolin-og-tromme-2026")
    page.get_by_label("Gjenta passordet").fill("Fiolin-og-tromme-2026")
    page.get_by_role("button", name="Lagre og logg inn").click()
    page.wait_for_url("**/")
    assert page.get_by_role("heading", level=1).inner_text() == "Hei, Nora"
    assert "Kommunekontakt – Sunnfjord" in page.get_by_test_id("user-roles").inner_text()
    # nothing of leadership's
    assert page.get_by_role("link", name="Personer", exact=True).count() == 0
    assert page.get_by_role("link", name="Logg", exact=True).count() == 0
    assert_accessible(page, "oversikt (ny kommunekontakt)")
    assert page.goto("/personer/").status == 404

    # The link works once.
    page.goto("/")
    page.get_by_role("button", name="Logg ut").click()
    response = page.goto(path)
    assert response.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "Invitasjonen kan ikke brukes"


def test_leadership_reads_the_log_and_a_person_page(browser_page, transactional_db):
    from accounts import services
    from accounts.models import Role

    page = browser_page
    leader = UserFactory(email="leder@example.org", full_name="Liv Leder", leadership=True)
    person = UserFactory(email="vera@example.org", full_name="Vera Veileder")
    services.role_add(actor=leader, user=person, role=Role.ADVISOR)

    browser_login(page, "leder@example.org")
    page.goto(f"/personer/{person.pk}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Vera Veileder"
    assert_accessible(page, "personside")
    page.get_by_role("button", name="Deaktiver personen").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Deaktivere Vera Veileder?"
    assert_accessible(page, "bekreft deaktivering")
    page.get_by_test_id("confirm-form").get_by_role("button", name="Deaktiver personen").click()
    assert page.get_by_text("er deaktivert og kan ikke logge inn").is_visible()
    assert_accessible(page, "personside etter deaktivering")

    page.get_by_role("navigation", name="Hovedmeny").get_by_role("button", name="Mer").click()
    page.get_by_role("navigation", name="Hovedmeny").get_by_role("link", name="Logg", exact=True).click()
    assert page.get_by_role("heading", level=1).inner_text() == "Logg"
    assert page.get_by_role("cell", name=re.compile("Person deaktivert")).is_visible()
    assert_accessible(page, "logg")
    page.goto("/logg/?date_from=2026-13-45")
    assert page.get_by_text("Noe må rettes").is_visible()
    assert_accessible(page, "logg med ugyldig dato")

    page.goto("/logg/")
    page.get_by_role("link", name="Vera Veileder").first.click()
    assert "Historikk for Vera Veileder" in page.get_by_role("heading", level=1).inner_text()
    assert_accessible(page, "historikk for et objekt")


def test_forgotten_password_and_login_lock(browser_page, transactional_db, settings):
    settings.LOGIN_FAILURE_LIMIT = 2
    page = browser_page
    UserFactory(email="kari@example.org", full_name="Kari Kommune", password="gammelt-passord-1")

    page.goto("/logg-inn/")
    page.get_by_role("link", name="Glemt passordet?").click()
    assert_accessible(page, "glemt passord")
    page.get_by_label("E-post").fill("kari@example.org")
    page.get_by_role("button", name="Send lenke").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Sjekk e-posten din"
    assert_accessible(page, "lenke sendt")

    path = re.search(r"https?://[^/\s]+(/nytt-passord/\S+/)", mail.outbox[0].body).group(1)
    page.goto(path)
    assert_accessible(page, "nytt passord")
    page.locator("#id_new_password1").fill("Helt-nytt-passord-7")
    page.locator("#id_new_password2").fill("Helt-nytt-passord-7")
    page.get_by_role("button", name="Lagre passord").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Passordet er lagret"
    assert_accessible(page, "passord lagret")

    # Two wrong passwords lock the address; then even the right one is refused, with a time to try again.
    for _ in range(2):
        browser_login(page, "kari@example.org", "feil-passord")
    browser_login(page, "kari@example.org", "Helt-nytt-passord-7")
    assert page.get_by_role("alert").get_by_text("For mange mislykkede innlogginger").is_visible()
    assert page.get_by_text("For mange mislykkede innlogginger").count() == 1  # said once, in the summary
    assert_accessible(page, "innlogging sperret")
