"""One export and one erasure of a person cover every app (accounts.privacy + <app>/personal_data.py)."""

import json
from pathlib import Path

import pytest
from axes.models import AccessFailureLog
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts import privacy
from accounts.models import Invitation, RoleAssignment, User
from applications.models import ApplicationGroupMember, JuryMember
from audit.models import AuditEntry
from audit.services import audit_log
from guidance.models import GuidanceAgreement
from programs.models import InterestRegistration, MunicipalGroup, MunicipalGroupMember
from reminders.models import Delivery, DeliveryState
from tests.applications.factories import ApplicationFactory, GroupMemberFactory, JuryMemberFactory
from tests.factories import (
    CountyBranchFactory,
    MunicipalityFactory,
    RegionalProgramFactory,
    UserFactory,
    board_member,
    municipal_contact,
)
from tests.gatherings.factories import RegistrationFactory
from tests.guidance.factories import AgreementFactory
from tests.programs.factories import InterestRegistrationFactory
from tests.reminders.factories import DeliveryFactory

pytestmark = pytest.mark.django_db

NAME = "Kari Kulturskole"
EMAIL = "kari.kulturskole@example.org"


@pytest.fixture
def leader(client):
    user = UserFactory(full_name="Liv Leder", leadership=True)
    client.force_login(user)
    return user


@pytest.fixture
def kari(leader):
    """A person with something stored in every app."""
    municipality = MunicipalityFactory(name="Sunnfjord")
    person = municipal_contact(municipality, full_name=NAME, email=EMAIL, phone="+47 911 11 111")
    Invitation.objects.create(
        email=EMAIL.upper(),
        full_name=NAME,
        role="advisor",
        token_hash="x" * 64,
        invited_by=leader,
        expires_at="2099-01-01T00:00:00Z",
    )
    AccessFailureLog.objects.create(username=EMAIL, ip_address="127.0.0.1", user_agent="test")
    InterestRegistrationFactory(contact_name=NAME, contact_email=EMAIL)
    application = ApplicationFactory(municipality=municipality, created_by=person)
    GroupMemberFactory(
        application=application, name=NAME, email=EMAIL, role_title="Rektor", is_coordinator=True
    )
    group = MunicipalGroup.objects.create(
        regional_program=application.regional_program,
        municipality=municipality,
        coordinator_name=NAME,
        coordinator_email=EMAIL,
    )
    MunicipalGroupMember.objects.create(group=group, name=NAME, email=EMAIL, sector="kulturskole")
    JuryMemberFactory(user=person, email=EMAIL, full_name=NAME)
    RegistrationFactory(municipality=municipality, name=NAME, email=EMAIL, dietary_needs="Vegan")
    AgreementFactory(
        regional_program=application.regional_program,
        municipality=municipality,
        municipal_contact_name=NAME,
        municipal_contact_email=EMAIL,
    )
    DeliveryFactory(recipient_email=EMAIL, recipient_name=NAME, recipient_user=person, body=f"Hei {NAME}")
    DeliveryFactory(recipient_email=EMAIL, recipient_name=NAME, sent=True, subject=f"Til {NAME}")
    audit_log(actor=leader, action="accounts.role.added", obj=person, details={"e-post": EMAIL})
    audit_log(actor=person, action="applications.application.created", obj=application)
    audit_log(actor=leader, action="applications.group_member.added", obj=application, details={"name": NAME})
    return person


def test_every_personal_data_module_in_the_code_is_registered():
    apps_with_module = {p.parent.name for p in Path(settings.BASE_DIR).glob("*/personal_data.py")}
    assert {"accounts", "audit", "programs", "applications", "reminders"} <= apps_with_module
    assert apps_with_module == {hook.app for hook in privacy.hooks()}
    assert [h.app for h in privacy.hooks()][-2:] == ["accounts", "audit"]  # the user row and the log last


def test_the_export_holds_what_every_app_stores_about_the_person(kari):
    data = privacy.person_export(kari)
    assert set(data) == {h.app for h in privacy.hooks()}
    for app, part in data.items():
        text = json.dumps(part["data"], ensure_ascii=False)
        assert EMAIL in text.lower() or NAME in text, app
    accounts = data["accounts"]["data"]
    assert accounts["person"]["telefon"] == "+47 911 11 111"
    assert accounts["roller"] == [{"rolle": "Kommunekontakt", "gjelder": "Sunnfjord"}]
    assert len(accounts["invitasjoner"]) == 1
    assert len(accounts["mislykkede innlogginger"]) == 1
    applications = data["applications"]["data"]
    assert applications["foreslått kommunegruppe"][0]["stilling"] == "Rektor"
    assert len(data["programs"]["data"]["kommunegruppe"]) == 1
    assert len(applications["jury"]) == 1
    assert len(applications["søknader personen har skrevet eller sendt inn"]) == 1
    assert len(data["reminders"]["data"]["e-poster"]) == 2
    assert data["programs"]["data"]["kontaktperson for interessemelding"][0]["navn"] == NAME
    assert len(data["audit"]["data"]["logg"]) == 3


def test_the_export_of_an_address_without_account_finds_the_same_rows(kari):
    data = privacy.person_export(EMAIL.upper())
    assert data["accounts"]["data"]["person"]["e-post"] == EMAIL


def test_erasure_anonymises_the_person_in_every_app_and_keeps_the_rows(kari, leader):
    counts_before = {m: m.objects.count() for m in (ApplicationGroupMember, MunicipalGroupMember, Delivery)}
    audit_before = AuditEntry.objects.count()

    changed = privacy.person_erase(actor=leader, user=kari)

    assert all(
        changed[app] > 0 for app in ("accounts", "programs", "applications", "guidance", "reminders", "audit")
    )
    kari.refresh_from_db()
    assert kari.full_name == "Slettet person"
    assert kari.email.endswith("@invalid.example")
    assert kari.phone == ""
    assert not kari.is_active
    assert not kari.has_usable_password()
    assert not RoleAssignment.objects.filter(user=kari).exists()
    assert not AccessFailureLog.objects.filter(username__iexact=EMAIL).exists()
    assert {m: m.objects.count() for m in counts_before} == counts_before  # rows stay, anonymised
    # Nowhere in the database: the address and the name, in any table these apps own.
    for model in (
        User,
        Invitation,
        InterestRegistration,
        ApplicationGroupMember,
        MunicipalGroup,
        MunicipalGroupMember,
        JuryMember,
        GuidanceAgreement,
        Delivery,
        AuditEntry,
    ):
        for row in model.objects.all():
            text = json.dumps({f.attname: str(getattr(row, f.attname)) for f in model._meta.concrete_fields})
            assert EMAIL not in text.lower(), model
            assert NAME not in text, model
    planned = Delivery.objects.exclude(state=DeliveryState.SENT).get()
    assert planned.state == DeliveryState.CANCELLED
    assert planned.body == "Hei Slettet person"
    # The trail stays: every entry is still there, the person still the actor of theirs.
    assert AuditEntry.objects.count() == audit_before + 1  # the erasure, one row for every app
    assert AuditEntry.objects.filter(actor=kari, action="applications.application.created").exists()
    erased = AuditEntry.objects.get(action="accounts.personal_data.erased")
    assert erased.actor == leader
    assert erased.object_id == str(kari.pk)
    assert erased.details["rows"] == sum(changed.values())


def test_erasure_removes_text_kept_from_the_persons_expired_sessions(kari, leader):
    from core.drafts import draft_recovery_store
    from core.models import DraftRecovery

    for person in (kari, leader):
        draft_recovery_store(
            form_key="applications.application:1",
            user=person,
            browser_key="b" * 20,
            data={"motivation": f"Skrevet av {person.pk}"},
            fields=("motivation",),
        )
    privacy.person_erase(actor=leader, user=kari)
    assert list(DraftRecovery.objects.values_list("user", flat=True)) == [leader.pk]


def test_one_cannot_erase_oneself(leader):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        privacy.person_erase(actor=leader, user=leader)
    assert leader.full_name == "Liv Leder"


# --- pages ----------------------------------------------------------------------------------------------


def test_the_person_page_links_to_export_and_erasure(client, leader, kari):
    html = client.get(f"/personer/{kari.pk}/").content.decode()
    assert f'href="/personer/{kari.pk}/personopplysninger/"' in html
    assert "Eksporter personopplysninger" in html
    assert f'href="/personer/{kari.pk}/anonymiser/"' in html
    own = client.get(f"/personer/{leader.pk}/").content.decode()
    assert f'href="/personer/{leader.pk}/anonymiser/"' not in own


def test_the_export_page_shows_every_apps_data_readably(client, leader, kari):
    response = client.get(f"/personer/{kari.pk}/personopplysninger/")
    html = response.content.decode()
    assert response.status_code == 200
    for hook in privacy.hooks():
        assert f">{hook.label}</h2>" in html
    assert "Rektor" in html
    assert "+47 911 11 111" in html
    assert "Kommunekontakt" in html
    assert not AuditEntry.objects.filter(
        action="accounts.personal_data.exported"
    ).exists()  # a GET writes nothing


def test_the_json_download_is_complete_and_logged(client, leader, kari):
    response = client.post(f"/personer/{kari.pk}/personopplysninger/last-ned/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert set(data["apper"]) == {h.app for h in privacy.hooks()}
    assert data["apper"]["accounts"]["data"]["person"]["e-post"] == EMAIL
    entry = AuditEntry.objects.get(action="accounts.personal_data.exported")
    assert (entry.actor, entry.object_id, entry.details) == (leader, str(kari.pk), {"format": "json"})
    # A GET (a pasted link) exports nothing and lands on the export page instead of a blank 405.
    response = client.get(f"/personer/{kari.pk}/personopplysninger/last-ned/")
    assert response.url == f"/personer/{kari.pk}/personopplysninger/"
    assert AuditEntry.objects.filter(action="accounts.personal_data.exported").count() == 1


def test_erasure_asks_first_then_anonymises_on_post(client, leader, kari):
    page = client.get(f"/personer/{kari.pk}/anonymiser/")
    assert page.status_code == 200
    assert "Dette kan ikke angres" in page.content.decode()
    kari.refresh_from_db()
    assert kari.full_name == NAME  # the GET changed nothing

    unconfirmed = client.post(f"/personer/{kari.pk}/anonymiser/")
    assert unconfirmed.status_code == 302
    kari.refresh_from_db()
    assert kari.full_name == NAME

    done = client.post(f"/personer/{kari.pk}/anonymiser/", {"confirm": "yes"}, follow=True)
    assert done.redirect_chain[-1][0] == f"/personer/{kari.pk}/"
    html = done.content.decode()
    assert "Personen er anonymisert" in html
    assert "Person anonymisert" in html  # the log on the person page names the erasure
    assert NAME not in html
    assert EMAIL not in html


def test_erasing_oneself_is_refused_on_the_page(client, leader):
    assert (
        "Du kan ikke anonymisere deg selv"
        in client.get(f"/personer/{leader.pk}/anonymiser/").content.decode()
    )
    client.post(f"/personer/{leader.pk}/anonymiser/", {"confirm": "yes"})
    leader.refresh_from_db()
    assert leader.full_name == "Liv Leder"


def _outsider(kind):
    if kind == "board":
        return board_member(CountyBranchFactory())
    if kind == "contact":
        return municipal_contact(MunicipalityFactory())
    if kind == "advisor":
        return UserFactory(advisor=True)
    if kind == "jury":
        return UserFactory(jury=True)
    return UserFactory(is_superuser=True, is_staff=True)


@pytest.mark.parametrize("kind", ["board", "contact", "advisor", "jury", "superuser"])
def test_anyone_but_leadership_gets_404_and_changes_nothing(client, kind):
    person = UserFactory(full_name=NAME)
    client.force_login(_outsider(kind))
    assert client.get(f"/personer/{person.pk}/personopplysninger/").status_code == 404
    assert client.post(f"/personer/{person.pk}/personopplysninger/last-ned/").status_code == 404
    assert client.get(f"/personer/{person.pk}/anonymiser/").status_code == 404
    assert client.post(f"/personer/{person.pk}/anonymiser/", {"confirm": "yes"}).status_code == 404
    person.refresh_from_db()
    assert person.full_name == NAME
    assert not AuditEntry.objects.filter(action__startswith="accounts.personal_data").exists()


def test_anonymous_is_sent_to_login(client):
    person = UserFactory(full_name=NAME)
    for method, url in [
        ("get", f"/personer/{person.pk}/personopplysninger/"),
        ("post", f"/personer/{person.pk}/personopplysninger/last-ned/"),
        ("get", f"/personer/{person.pk}/anonymiser/"),
        ("post", f"/personer/{person.pk}/anonymiser/"),
    ]:
        response = getattr(client, method)(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/logg-inn/")
    person.refresh_from_db()
    assert person.full_name == NAME


def test_an_unknown_person_is_404(client, leader):
    assert client.get("/personer/999999/personopplysninger/").status_code == 404
    assert client.get("/personer/999999/anonymiser/").status_code == 404


def test_the_export_page_costs_the_same_queries_with_few_and_many_rows(client, leader, kari):
    url = f"/personer/{kari.pk}/personopplysninger/"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(15):
        application = ApplicationFactory(created_by=kari, regional_program=RegionalProgramFactory())
        GroupMemberFactory(application=application, name=NAME, email=EMAIL)
        DeliveryFactory(recipient_email=EMAIL, recipient_user=kari)
        InterestRegistrationFactory(contact_name=NAME, contact_email=EMAIL)
        Invitation.objects.create(
            email=EMAIL, role="advisor", token_hash=f"{i:064d}", expires_at="2099-01-01T00:00:00Z"
        )
        audit_log(actor=kari, action="accounts.user.changed", obj=kari)
        JuryMemberFactory(user=kari, email=EMAIL, regional_program=application.regional_program)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.content.decode().count("Rektor") >= 1
    assert len(many.captured_queries) == len(few.captured_queries), [q["sql"] for q in many.captured_queries]


def test_the_export_says_whether_two_factor_is_on_and_never_holds_its_secrets(kari, leader):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.two_factor import recovery_codes_renew

    assert privacy.person_export(kari)["accounts"]["data"]["person"]["to-trinns innlogging"] is False
    device = TOTPDevice.objects.create(user=kari, name="Autentiseringsapp", confirmed=True)
    codes = recovery_codes_renew(user=kari)
    data = privacy.person_export(kari)
    assert data["accounts"]["data"]["person"]["to-trinns innlogging"] is True
    text = json.dumps(data, ensure_ascii=False)
    assert device.key not in text
    assert not any(code in text for code in codes)


def test_erasure_removes_the_persons_authenticator_and_recovery_codes(kari, leader):
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.two_factor import recovery_codes_renew

    for person in (kari, leader):
        TOTPDevice.objects.create(user=person, name="Autentiseringsapp", confirmed=True)
        recovery_codes_renew(user=person)
    privacy.person_erase(actor=leader, user=kari)
    assert not TOTPDevice.objects.filter(user=kari).exists()
    assert not StaticDevice.objects.filter(user=kari).exists()
    assert not StaticToken.objects.filter(device__user=kari).exists()
    # Only hers: the leader's own second factor is untouched.
    assert TOTPDevice.objects.filter(user=leader).count() == 1
    assert StaticToken.objects.filter(device__user=leader).count() == 10
