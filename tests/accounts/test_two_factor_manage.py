"""Two-factor after it is set up: the person turns it off or replaces the app; leadership resets it for someone
who lost both the phone and the recovery codes."""

import re
import time
from base64 import b32decode

import pytest
from axes.models import AccessAttempt
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import two_factor
from audit.models import AuditEntry
from reminders.models import Delivery
from tests.factories import (
    CountyBranchFactory,
    MunicipalityFactory,
    UserFactory,
    board_member,
    municipal_contact,
)

pytestmark = pytest.mark.django_db


def _code(device: TOTPDevice, *, drift: int = 0) -> str:
    return f"{totp(device.bin_key, drift=drift):06d}"


def _wrong(device: TOTPDevice) -> str:
    valid = {_code(device, drift=d) for d in (-1, 0, 1)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in valid)


def _with_two_factor(user) -> list[str]:
    """A confirmed authenticator and ten recovery codes, as after the setup page."""
    TOTPDevice.objects.create(user=user, name="Autentiseringsapp", confirmed=True)
    return two_factor.recovery_codes_renew(user=user)


def _sign_in(client, user, recovery_code: str) -> None:
    """Password, then the second step with a recovery code (the app's codes stay unused for the test)."""
    assert client.post("/logg-inn/", {"username": user.email, "password": "kulturskole"}).status_code == 302
    assert client.post("/to-trinn/", {"code": recovery_code}).status_code == 302
    assert client.get("/").status_code == 200


def _devices(user) -> int:
    return TOTPDevice.objects.filter(user=user).count() + StaticDevice.objects.filter(user=user).count()


@pytest.fixture
def required(settings):
    settings.TWO_FACTOR_REQUIRED_FOR_LEADERSHIP = True


@pytest.fixture
def kari(required):
    """A municipal contact who turned two-factor on herself (it is not required for her)."""
    return municipal_contact(MunicipalityFactory(), email="kari@example.org", full_name="Kari Kontakt")


# --- the person turns it off ------------------------------------------------------------------------------


def test_the_owner_turns_it_off_with_a_current_code(client, kari):
    codes = _with_two_factor(kari)
    _sign_in(client, kari, codes[0])
    device = TOTPDevice.objects.get(user=kari)
    page = client.get("/to-trinn/oppsett/").content.decode()
    assert 'action="/to-trinn/slaa-av/"' in page

    wrong = client.post("/to-trinn/slaa-av/", {"code": _wrong(device)})
    assert wrong.status_code == 200
    assert "Koden stemmer ikke" in wrong.content.decode()
    assert _devices(kari) == 2

    time.sleep(1.1)  # django-otp makes the next try wait a second after a wrong code
    done = client.post("/to-trinn/slaa-av/", {"code": _code(device)}, follow=True)
    assert "To-trinns innlogging er slått av" in done.content.decode()
    assert _devices(kari) == 0
    entry = AuditEntry.objects.get(action="accounts.two_factor.disabled")
    assert (entry.actor, entry.object_id, entry.details) == (kari, str(kari.pk), {})
    assert client.get("/").status_code == 200

    client.post("/logg-ut/")
    client.post("/logg-inn/", {"username": "kari@example.org", "password": "kulturskole"})
    assert client.get("/").status_code == 200  # the password alone again


def test_a_recovery_code_also_confirms_turning_it_off(client, kari):
    codes = _with_two_factor(kari)
    _sign_in(client, kari, codes[0])
    assert client.post("/to-trinn/slaa-av/", {"code": codes[1]}).status_code == 302
    assert _devices(kari) == 0


def test_leadership_cannot_turn_it_off_where_it_is_required(client, required):
    leader = UserFactory(email="leder@example.org", leadership=True)
    codes = _with_two_factor(leader)
    _sign_in(client, leader, codes[0])
    page = client.get("/to-trinn/oppsett/").content.decode()
    assert "kan ikke slås av" in page
    assert 'action="/to-trinn/slaa-av/"' not in page
    assert 'href="/to-trinn/ny-app/"' in page

    refused = client.post("/to-trinn/slaa-av/", {"code": _code(TOTPDevice.objects.get(user=leader))})
    assert "Programledelsen må bruke to-trinns innlogging" in refused.content.decode()
    assert _devices(leader) == 2
    assert not AuditEntry.objects.filter(action="accounts.two_factor.disabled").exists()


def test_wrong_codes_lock_like_wrong_passwords_and_are_not_stored(client, kari, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    codes = _with_two_factor(kari)
    _sign_in(client, kari, codes[0])
    wrong = _wrong(TOTPDevice.objects.get(user=kari))
    for _ in range(3):
        client.post("/to-trinn/slaa-av/", {"code": wrong})
    time.sleep(1.1)  # past django-otp's own wait, so only the sign-in limit is left to refuse it
    locked = client.post("/to-trinn/slaa-av/", {"code": codes[1]})
    assert locked.status_code == 429
    assert "For mange feil koder herfra" in locked.content.decode()
    assert _devices(kari) == 2
    assert StaticToken.objects.filter(token=codes[1]).exists()  # not even tried
    attempts = list(AccessAttempt.objects.values_list("post_data", flat=True))
    assert attempts
    assert not any(wrong in data for data in attempts)

    client.post("/logg-ut/")
    again = client.post("/logg-inn/", {"username": "kari@example.org", "password": "kulturskole"})
    assert again.status_code == 429  # the same counter as signing in


# --- a new authenticator ---------------------------------------------------------------------------------------


def _secret_key(page: str) -> bytes:
    raw = re.search(r'data-testid="totp-secret">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
    return b32decode(raw + "=" * (-len(raw) % 8))


def test_a_new_authenticator_replaces_the_old_only_when_a_code_from_it_works(client, required):
    leader = UserFactory(email="leder@example.org", leadership=True)
    codes = _with_two_factor(leader)
    old = TOTPDevice.objects.get(user=leader, confirmed=True)
    _sign_in(client, leader, codes[0])
    page = client.get("/to-trinn/ny-app/").content.decode()
    assert "Sett opp ny autentiseringsapp" in page
    new_key = _secret_key(page)

    wrong = client.post("/to-trinn/ny-app/", {"current_code": _wrong(old), "code": f"{totp(new_key):06d}"})
    assert "Koden stemmer ikke" in wrong.content.decode()
    assert TOTPDevice.objects.get(user=leader, confirmed=True).pk == old.pk

    time.sleep(1.1)
    done = client.post(
        "/to-trinn/ny-app/", {"current_code": codes[1], "code": f"{totp(new_key):06d}"}, follow=True
    )
    new_codes = re.findall(r"<li>([a-z0-9]{8})</li>", done.content.decode())
    assert len(new_codes) == 10
    current = TOTPDevice.objects.get(user=leader)
    assert (current.confirmed, current.bin_key, current.pk != old.pk) == (True, new_key, True)
    assert not StaticToken.objects.filter(token__in=codes).exists()
    assert AuditEntry.objects.filter(action="accounts.two_factor.replaced", actor=leader).count() == 1
    assert client.get("/personer/").status_code == 200  # still signed in with the new app


def test_opening_the_new_app_page_stores_nothing_and_a_wrong_code_keeps_the_qr_code(client, kari):
    codes = _with_two_factor(kari)
    old = TOTPDevice.objects.get(user=kari)
    _sign_in(client, kari, codes[0])
    rows = (TOTPDevice.objects.count(), StaticDevice.objects.count(), StaticToken.objects.count())
    page = client.get("/to-trinn/ny-app/").content.decode()
    assert _secret_key(client.get("/to-trinn/ny-app/").content.decode()) == _secret_key(page)
    assert (TOTPDevice.objects.count(), StaticDevice.objects.count(), StaticToken.objects.count()) == rows
    new_key = _secret_key(page)

    # A wrong code from the new app (the current one right): the same secret, nothing changed.
    wrong_new = next(c for c in ("000000", "111111", "222222") if c != f"{totp(new_key):06d}")
    wrong = client.post("/to-trinn/ny-app/", {"current_code": codes[1], "code": wrong_new}).content.decode()
    assert "Koden fra den nye appen stemmer ikke" in wrong
    assert _secret_key(wrong) == new_key
    assert list(TOTPDevice.objects.values_list("pk", flat=True)) == [old.pk]
    assert StaticToken.objects.filter(token=codes[1]).exists()  # not used up by the typo

    client.post("/to-trinn/ny-app/", {"current_code": codes[1], "code": f"{totp(new_key):06d}"})
    assert TOTPDevice.objects.get(user=kari).bin_key == new_key


def _signed_in_twice(kari) -> tuple:
    """Kari on her laptop (`here`) and on another machine (`elsewhere`), both past the second step."""
    from django.test import Client

    codes = _with_two_factor(kari)
    here, elsewhere = Client(), Client()
    _sign_in(here, kari, codes[0])
    _sign_in(elsewhere, kari, codes[1])
    return here, elsewhere, codes


def test_turning_it_off_ends_the_persons_other_sessions(kari):
    here, elsewhere, codes = _signed_in_twice(kari)
    device = TOTPDevice.objects.get(user=kari)
    here.post("/to-trinn/slaa-av/", {"code": _wrong(device)})
    assert elsewhere.get("/").status_code == 200  # a wrong code ends nothing

    time.sleep(1.1)  # django-otp makes the next try wait a second after a wrong code
    assert here.post("/to-trinn/slaa-av/", {"code": codes[2]}).status_code == 302
    assert here.get("/").status_code == 200
    assert elsewhere.get("/").url.startswith("/logg-inn/")
    elsewhere.post("/logg-inn/", {"username": "kari@example.org", "password": "kulturskole"})
    assert elsewhere.get("/").status_code == 200


def test_a_new_authenticator_ends_the_persons_other_sessions(kari):
    here, elsewhere, codes = _signed_in_twice(kari)
    new_key = _secret_key(here.get("/to-trinn/ny-app/").content.decode())
    here.post("/to-trinn/ny-app/", {"current_code": codes[2], "code": f"{totp(new_key):06d}"})
    assert TOTPDevice.objects.get(user=kari).bin_key == new_key
    assert here.get("/").status_code == 200
    assert here.get("/to-trinn/oppsett/").status_code == 200  # still past the second step, with the new app
    assert elsewhere.get("/").url.startswith("/logg-inn/")


# --- leadership resets it for someone else --------------------------------------------------------------------


@pytest.fixture
def leader(client, required):
    user = UserFactory(full_name="Liv Leder", email="leder@example.org", leadership=True)
    _sign_in(client, user, _with_two_factor(user)[0])
    return user


def test_leadership_resets_another_persons_two_factor(client, leader):
    from django.test import Client

    per = UserFactory(full_name="Per Programleder", email="per@example.org", leadership=True)
    codes = _with_two_factor(per)
    per_client = Client()
    _sign_in(per_client, per, codes[0])

    page = client.get(f"/personer/{per.pk}/").content.decode()
    assert f'action="/personer/{per.pk}/to-trinn/nullstill/"' in page
    confirm = client.post(f"/personer/{per.pk}/to-trinn/nullstill/").content.decode()
    assert "Nullstille to-trinns innloggingen til Per Programleder?" in confirm
    assert 'name="reason"' in confirm
    assert _devices(per) == 2

    empty = client.post(f"/personer/{per.pk}/to-trinn/nullstill/", {"confirm": "yes", "reason": "  "})
    assert "Skriv hvorfor to-trinns innloggingen nullstilles" in empty.content.decode()
    assert _devices(per) == 2

    done = client.post(
        f"/personer/{per.pk}/to-trinn/nullstill/",
        {"confirm": "yes", "reason": "Mistet telefonen, ringte i dag"},
        follow=True,
    )
    assert "er nullstilt" in done.content.decode()
    assert _devices(per) == 0

    # Per's open session is gone; signing in again asks him to set it up (it is required for him).
    assert per_client.get("/").url.startswith("/logg-inn/")
    per_client.post("/logg-inn/", {"username": "per@example.org", "password": "kulturskole"})
    assert per_client.get("/").url.startswith("/to-trinn/oppsett/")

    mail = Delivery.objects.get(occasion="accounts.two_factor_reset")
    assert mail.recipient_email == "per@example.org"
    assert "Liv Leder" in mail.body
    assert "Mistet telefonen, ringte i dag" in mail.body
    assert "Ba du ikke om dette?" in mail.body
    entry = AuditEntry.objects.get(action="accounts.two_factor.reset")
    assert (entry.actor, entry.object_id) == (leader, str(per.pk))
    assert entry.details == {"reason": "Mistet telefonen, ringte i dag"}

    # Sent again (a double click, a second tab): nothing more to reset, no second mail.
    again = client.post(
        f"/personer/{per.pk}/to-trinn/nullstill/", {"confirm": "yes", "reason": "igjen"}, follow=True
    )
    assert "har ikke to-trinns innlogging slått på" in again.content.decode()
    assert Delivery.objects.filter(occasion="accounts.two_factor_reset").count() == 1
    # The leader's own session is untouched.
    assert client.get("/personer/").status_code == 200


def test_the_reset_mail_says_what_to_do_where_it_is_not_required(client, leader, kari):
    _with_two_factor(kari)
    client.post(f"/personer/{kari.pk}/to-trinn/nullstill/", {"confirm": "yes", "reason": "Ny telefon"})
    body = Delivery.objects.get(occasion="accounts.two_factor_reset").body
    assert "Du logger inn med e-post og passord" in body
    assert "må du sette opp" not in body


def test_leadership_cannot_reset_their_own_this_way(client, leader):
    page = client.get(f"/personer/{leader.pk}/").content.decode()
    assert "/to-trinn/nullstill/" not in page
    response = client.post(
        f"/personer/{leader.pk}/to-trinn/nullstill/", {"confirm": "yes", "reason": "Prøver"}, follow=True
    )
    assert "Du kan ikke nullstille din egen to-trinns innlogging her" in response.content.decode()
    assert _devices(leader) == 2
    assert not AuditEntry.objects.filter(action="accounts.two_factor.reset").exists()


def test_nobody_but_leadership_reaches_the_reset(client, required):
    target = UserFactory(email="maal@example.org")
    _with_two_factor(target)
    url = f"/personer/{target.pk}/to-trinn/nullstill/"
    data = {"confirm": "yes", "reason": "Forsøk"}
    assert client.post(url, data).url.startswith("/logg-inn/")
    others = {
        "board": board_member(CountyBranchFactory()),
        "contact": municipal_contact(MunicipalityFactory()),
        "superuser": UserFactory(is_superuser=True, is_staff=True),
    }
    for who, user in others.items():
        client.force_login(user)
        assert client.post(url, data).status_code == 404, who
    assert _devices(target) == 2
    assert not Delivery.objects.filter(occasion="accounts.two_factor_reset").exists()


def test_sessions_signed_in_before_the_deploy_stay_signed_in(client):
    """Until a reset raises it, the session hash is Django's own: the new field signs nobody out."""
    from django.contrib.auth.base_user import AbstractBaseUser

    user = UserFactory(email="kari@example.org")
    assert user.get_session_auth_hash() == AbstractBaseUser.get_session_auth_hash(user)
    client.force_login(user)
    user.session_generation = 1
    user.save(update_fields=["session_generation"])
    assert user.get_session_auth_hash() != AbstractBaseUser.get_session_auth_hash(user)
    assert client.get("/").url.startswith("/logg-inn/")


# --- what the usability test found ------------------------------------------------------------------------------


def test_opening_the_reset_address_directly_shows_the_confirmation_not_a_blank_page(client, leader, kari):
    _with_two_factor(kari)
    url = f"/personer/{kari.pk}/to-trinn/nullstill/"
    page = client.get(url)  # a reload, a new tab, the back button
    assert page.status_code == 200
    text = page.content.decode()
    assert "Nullstille to-trinns innloggingen til Kari Kontakt?" in text
    assert 'name="reason"' in text
    assert _devices(kari) == 2
    assert not Delivery.objects.filter(occasion="accounts.two_factor_reset").exists()

    # Once it is reset, the same address goes back to the person page and says why.
    client.post(url, {"confirm": "yes", "reason": "Mistet telefonen"})
    again = client.get(url, follow=True)
    assert again.redirect_chain == [(f"/personer/{kari.pk}/", 302)]
    assert "Kari Kontakt har ikke to-trinns innlogging slått på." in again.content.decode()


def test_opening_the_turn_off_address_directly_shows_the_security_page(client, kari):
    codes = _with_two_factor(kari)
    _sign_in(client, kari, codes[0])
    response = client.get("/to-trinn/slaa-av/", follow=True)
    assert response.redirect_chain == [("/to-trinn/oppsett/", 302)]
    assert 'action="/to-trinn/slaa-av/"' in response.content.decode()
    assert _devices(kari) == 2


def test_a_code_already_used_is_told_apart_from_a_wrong_one(client, kari):
    """Signed in with the app's code, then turning it off with the same code (within its 30 seconds)."""
    _with_two_factor(kari)
    device = TOTPDevice.objects.get(user=kari)
    code = _code(device)
    client.post("/logg-inn/", {"username": kari.email, "password": "kulturskole"})
    assert client.post("/to-trinn/", {"code": code}).status_code == 302

    reused = client.post("/to-trinn/slaa-av/", {"code": code}).content.decode()
    assert "Denne koden er allerede brukt. Vent til appen viser en ny kode, og skriv den inn." in reused
    assert "Koden stemmer ikke" not in reused
    assert _devices(kari) == 2

    time.sleep(1.1)  # django-otp's wait after a refused code
    wrong = client.post("/to-trinn/slaa-av/", {"code": _wrong(device)}).content.decode()
    assert "Koden stemmer ikke" in wrong
    assert "allerede brukt" not in wrong


def test_new_recovery_codes_ask_first_and_the_old_ones_stop_working(client, kari):
    codes = _with_two_factor(kari)
    _sign_in(client, kari, codes[0])
    page = client.get("/to-trinn/oppsett/").content.decode()
    assert "Du har 9 ubrukte gjenopprettingskoder." in page
    assert "Last ned som tekstfil" not in page  # only where codes are shown

    confirm = client.post("/to-trinn/oppsett/", {"action": "recovery_codes"}).content.decode()
    assert "Lage nye gjenopprettingskoder?" in confirm
    assert "Du har 9 ubrukte gjenopprettingskoder. De slutter å virke med en gang." in confirm
    assert 'name="action" value="recovery_codes"' in confirm
    assert StaticToken.objects.filter(token__in=codes[1:]).count() == 9  # nothing replaced yet

    done = client.post(
        "/to-trinn/oppsett/", {"action": "recovery_codes", "confirm": "yes"}, follow=True
    ).content.decode()
    new_codes = re.findall(r"<li>([a-z0-9]{8})</li>", done)
    assert len(new_codes) == 10
    assert "De gamle virker ikke lenger." in done
    assert not StaticToken.objects.filter(token__in=codes).exists()
    assert AuditEntry.objects.filter(action="accounts.two_factor.recovery_codes_renewed", actor=kari).exists()
    # Keeping them: download, copy and print from the codes on the page (a static script, as the CSP wants),
    # and a print sheet with just the codes.
    assert "Last ned som tekstfil" in done
    assert "Kopier kodene" in done
    assert '<script src="/static/accounts/recovery_codes.js">' in done
    assert 'href="/static/accounts/recovery_codes.css" media="print"' in done


def test_the_code_help_names_recovery_codes_only_where_they_exist_and_count(client, kari):
    client.force_login(kari)
    page = client.get("/to-trinn/oppsett/").content.decode()
    assert "Seks sifre fra autentiseringsappen." in page
    assert "gjenopprettingskodene dine" not in page

    from django.test import Client

    codes = _with_two_factor(kari)
    other = Client()
    other.post("/logg-inn/", {"username": kari.email, "password": "kulturskole"})
    assert "eller en av gjenopprettingskodene dine" in other.get("/to-trinn/").content.decode()
    StaticToken.objects.filter(token__in=codes).delete()  # all used
    used_up = other.get("/to-trinn/").content.decode()
    assert "gjenopprettingskodene dine" not in used_up
    assert "kan programledelsen nullstille to-trinns innloggingen for deg" in used_up


def test_turning_it_off_sends_a_security_notice(client, kari):
    codes = _with_two_factor(kari)
    _sign_in(client, kari, codes[0])
    client.post("/to-trinn/slaa-av/", {"code": codes[1]})
    mail = Delivery.objects.get(occasion="accounts.two_factor_changed")
    assert mail.recipient_email == "kari@example.org"
    assert mail.subject == "To-trinns innlogging er slått av for kontoen din"
    assert "Var det ikke deg? Bytt passord med en gang med «Glemt passordet?»" in mail.body
    assert "/glemt-passord/" in mail.body


def test_a_new_authenticator_sends_a_security_notice(client, kari):
    codes = _with_two_factor(kari)
    _sign_in(client, kari, codes[0])
    new_key = _secret_key(client.get("/to-trinn/ny-app/").content.decode())
    client.post("/to-trinn/ny-app/", {"current_code": codes[1], "code": f"{totp(new_key):06d}"})
    mail = Delivery.objects.get(occasion="accounts.two_factor_changed")
    assert mail.subject == "Ny autentiseringsapp for kontoen din"
    assert "Den gamle appen og de gamle gjenopprettingskodene virker ikke lenger." in mail.body


def test_the_reset_mail_names_the_password_link_as_the_login_page_does(client, leader, kari):
    _with_two_factor(kari)
    client.post(f"/personer/{kari.pk}/to-trinn/nullstill/", {"confirm": "yes", "reason": "Ny telefon"})
    body = Delivery.objects.get(occasion="accounts.two_factor_reset").body
    assert "«Glemt passordet?»" in body
    client.post("/logg-ut/")
    assert ">Glemt passordet?</a>" in client.get("/logg-inn/").content.decode()
