"""Two-factor sign-in in Chromium, with real TOTP codes computed from the secret the page shows."""

from base64 import b32decode

import pytest
from django_otp.oath import totp

from tests.conftest import assert_accessible, browser_login
from tests.factories import UserFactory

pytestmark = pytest.mark.browser


def _code(secret: str, *, drift: int = 0) -> str:
    raw = secret.replace(" ", "")
    return f"{totp(b32decode(raw + '=' * (-len(raw) % 8)), drift=drift):06d}"


def test_leadership_sets_up_two_factor_on_first_sign_in_and_uses_it_next_time(
    browser_page, transactional_db, settings
):
    settings.TWO_FACTOR_REQUIRED_FOR_LEADERSHIP = True
    UserFactory(email="leder@example.org", full_name="Liv Leder", leadership=True)
    page = browser_page

    browser_login(page, "leder@example.org")
    assert page.get_by_role("heading", level=1).inner_text() == "Slå på to-trinns innlogging"
    assert page.get_by_text("Programledelsen ser alle personopplysninger").is_visible()
    assert_accessible(page, "oppsett av to-trinns innlogging")
    secret = page.get_by_test_id("totp-secret").inner_text()
    page.get_by_label("Kode").fill(_code(secret))
    page.get_by_role("button", name="Slå på").click()
    codes = page.get_by_test_id("recovery-codes").locator("li").all_inner_texts()
    assert len(codes) == 10
    assert_accessible(page, "gjenopprettingskoder")
    page.reload()  # shows the same codes again, and makes no new ones
    assert page.get_by_test_id("recovery-codes").locator("li").all_inner_texts() == codes
    page.get_by_role("button", name="Ferdig – jeg har tatt vare på kodene").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Hei, Liv"
    page.go_back()  # the codes are not shown again
    assert page.get_by_test_id("recovery-codes").count() == 0
    page.get_by_role("button", name="Logg ut").click()

    # Next sign-in: the password, then the code of the next 30-second step (the current one is used).
    browser_login(page, "leder@example.org")
    assert page.get_by_role("heading", level=1).inner_text() == "To-trinns innlogging"
    assert_accessible(page, "kode ved innlogging")
    page.get_by_label("Kode").fill("000000" if _code(secret, drift=1) != "000000" else "111111")
    page.get_by_role("button", name="Bekreft").click()
    assert page.get_by_text("Koden stemmer ikke").first.is_visible()
    page.wait_for_timeout(1100)  # a wrong code makes the next try wait a second
    page.get_by_label("Kode").fill(_code(secret, drift=1))
    page.get_by_role("button", name="Bekreft").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Hei, Liv"
    page.get_by_role("button", name="Logg ut").click()

    # Without the phone: one recovery code, once.
    browser_login(page, "leder@example.org")
    page.get_by_label("Kode").fill(codes[0])
    page.get_by_role("button", name="Bekreft").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Hei, Liv"


def test_demo_leadership_signs_in_with_the_password_alone_on_the_embedded_default(
    browser_page, transactional_db
):
    UserFactory(email="leder@example.org", full_name="Liv Leder", leadership=True)
    browser_login(browser_page, "leder@example.org")
    assert browser_page.get_by_role("heading", level=1).inner_text() == "Hei, Liv"


def test_a_person_turns_it_off_and_leadership_resets_it_for_someone_who_lost_the_phone(
    browser_page, transactional_db, settings
):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.two_factor import recovery_codes_renew
    from reminders.models import Delivery

    settings.TWO_FACTOR_REQUIRED_FOR_LEADERSHIP = True
    kari = UserFactory(email="kari@example.org", full_name="Kari Kontakt")
    TOTPDevice.objects.create(user=kari, name="Autentiseringsapp", confirmed=True)
    kari_codes = recovery_codes_renew(user=kari)
    leader = UserFactory(email="leder@example.org", full_name="Liv Leder", leadership=True)
    TOTPDevice.objects.create(user=leader, name="Autentiseringsapp", confirmed=True)
    leader_codes = recovery_codes_renew(user=leader)
    page = browser_page

    # Kari turned it on herself and turns it off on her security page, with a recovery code.
    browser_login(page, "kari@example.org")
    page.get_by_label("Kode").fill(kari_codes[0])
    page.get_by_role("button", name="Bekreft").click()
    page.get_by_role("link", name="To-trinns innlogging", exact=True).click()
    assert_accessible(page, "sikkerhetssiden")
    page.get_by_role("textbox", name="Kode").fill(kari_codes[1])
    page.get_by_role("button", name="Slå av").click()
    assert page.get_by_text("To-trinns innlogging er slått av").is_visible()
    page.get_by_role("button", name="Logg ut").click()

    # Leadership cannot turn theirs off, and resets Per's after a phone call, with a reason.
    per = UserFactory(email="per@example.org", full_name="Per Person")
    TOTPDevice.objects.create(user=per, name="Autentiseringsapp", confirmed=True)
    browser_login(page, "leder@example.org")
    page.get_by_label("Kode").fill(leader_codes[0])
    page.get_by_role("button", name="Bekreft").click()
    page.goto("/to-trinn/oppsett/")
    assert page.get_by_test_id("two-factor-required").is_visible()
    assert page.get_by_role("button", name="Slå av").count() == 0
    page.goto(f"/personer/{per.pk}/")
    page.get_by_role("button", name="Nullstill to-trinns innlogging").click()
    assert_accessible(page, "bekreft nullstilling")
    page.get_by_role("button", name="Nullstill to-trinns innlogging").click()
    assert page.get_by_text("Skriv hvorfor to-trinns innloggingen nullstilles").first.is_visible()
    page.get_by_label("Begrunnelse").fill("Mistet telefonen og kodene, ringte i dag")
    page.get_by_role("button", name="Nullstill to-trinns innlogging").click()
    assert page.get_by_text("er nullstilt").is_visible()
    assert page.get_by_test_id("person-two-factor").inner_text() == "Ikke slått på."
    assert (
        Delivery.objects.filter(
            occasion="accounts.two_factor_reset", recipient_email="per@example.org"
        ).count()
        == 1
    )


def test_new_recovery_codes_are_confirmed_first_and_can_be_downloaded_and_printed(
    browser_page, transactional_db
):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.two_factor import recovery_codes_renew

    kari = UserFactory(email="kari@example.org", full_name="Kari Kontakt")
    TOTPDevice.objects.create(user=kari, name="Autentiseringsapp", confirmed=True)
    old_codes = recovery_codes_renew(user=kari)
    page = browser_page
    browser_login(page, "kari@example.org")
    page.get_by_label("Kode").fill(old_codes[0])
    page.get_by_role("button", name="Bekreft").click()
    page.goto("/to-trinn/oppsett/")
    page.get_by_role("button", name="Lag nye gjenopprettingskoder").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Lage nye gjenopprettingskoder?"
    page.get_by_role("button", name="Lag nye gjenopprettingskoder").click()
    codes = page.get_by_test_id("recovery-codes").locator("li").all_inner_texts()
    assert len(codes) == 10
    assert set(codes).isdisjoint(old_codes)
    assert_accessible(page, "nye gjenopprettingskoder")
    # A reload (the page is a GET after the POST) shows the same codes: the ones kept stay the ones that work.
    page.reload()
    assert page.get_by_test_id("recovery-codes").locator("li").all_inner_texts() == codes

    with page.expect_download() as info:
        page.get_by_role("button", name="Last ned som tekstfil").click()
    download = info.value
    assert download.suggested_filename == "gjenopprettingskoder-kulturskoleprogram.txt"
    with open(download.path(), encoding="utf-8") as saved:
        text = saved.read()
    assert "kari@example.org" in text
    assert [line for line in text.splitlines() if line in codes] == codes

    # Printed, the sheet shows the codes and not the menu around them.
    page.emulate_media(media="print")
    assert page.get_by_test_id("recovery-codes").is_visible()
    assert page.get_by_text(codes[0]).is_visible()
    assert not page.locator("header").is_visible()
    assert not page.get_by_role("button", name="Last ned som tekstfil").is_visible()
    assert not page.get_by_role("button", name="Ferdig – jeg har tatt vare på kodene").is_visible()

    page.emulate_media(media="screen")
    page.get_by_role("button", name="Ferdig – jeg har tatt vare på kodene").click()
    assert page.get_by_role("heading", level=1).inner_text() == "To-trinns innlogging"
    assert (
        page.get_by_test_id("recovery-codes-left").inner_text() == "Du har 10 ubrukte gjenopprettingskoder."
    )
