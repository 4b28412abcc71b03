"""Browser journey: the demo contact writes, saves and submits; the demo jury member scores; leadership
accepts; the contact sees the decision and the municipal group. axe on every page."""

import pytest

from applications.models import Application, ApplicationStatus, MunicipalGroup, SelectionCriterion
from tests.applications.factories import pdf_bytes
from tests.conftest import assert_accessible, browser_login

pytestmark = pytest.mark.browser


@pytest.fixture
def demo(transactional_db):
    from accounts import demo as accounts_demo
    from applications import demo as applications_demo
    from municipalities.services import reference_data_load
    from programs import demo as programs_demo

    reference_data_load()
    ctx = {"password": "kulturskole"}
    accounts_demo.seed(ctx)
    programs_demo.seed(ctx)
    applications_demo.seed(ctx)
    return ctx


def _logout(page):
    page.get_by_role("button", name="Logg ut").click()
    page.wait_for_load_state("networkidle")


def test_apply_score_decide_and_see_the_group(browser_page, demo):
    page = browser_page
    rp = demo["regional_program"]
    application = demo["sunnfjord_application"]

    # The municipal contact writes, saves and submits.
    browser_login(page, "kommune@example.org")
    assert_accessible(page, "oversikt, kommunekontakt")
    page.get_by_role("link", name="Søknader", exact=True).first.click()
    assert_accessible(page, "søknadslisten")
    page.get_by_role("rowheader", name="Sunnfjord").get_by_role("link").click()
    assert_accessible(page, "søknaden (utkast)")
    assert "mangler" in page.get_by_role("region", name="Sjekkliste").inner_text()
    page.get_by_role("link", name="Skriv søknaden").click()
    assert_accessible(page, "skriv søknaden")
    page.get_by_label("Kulturskolen som utviklingsaktør").fill("Barnehagene og SFO er med fra starten.")
    page.get_by_label("Forankring: hvem har vedtatt").fill("Kommunestyret vedtok deltakelsen.")
    page.get_by_label("Dato for vedtaket").fill("2026-06-12")
    page.get_by_label("Kommunegruppen forplikter seg").check()
    page.get_by_role("button", name="Lagre og gå til kommunegruppen").click()
    assert_accessible(page, "kommunegruppen")
    for name, email, sector, coordinator in (
        ("Kari Koordinator", "kari.koordinator@example.org", "Kulturskole", True),
        ("Berit Barnehage", "berit@example.org", "Barnehage", False),
    ):
        page.get_by_label("Navn").fill(name)
        page.get_by_label("E-post").fill(email)
        page.get_by_label("Sektor/rolle").select_option(label=sector)
        if coordinator:
            page.get_by_label("Koordinator for kommunegruppen").check()
        page.get_by_role("button", name="Legg til").click()
    assert "Kari Koordinator (koordinator)" in page.get_by_role("table").inner_text()
    page.get_by_role("link", name="Tilbake til søknaden").click()
    page.get_by_role("button", name="Send inn søknaden").click()
    assert "Søknaden er sendt inn" in page.locator(".messages").inner_text()
    assert_accessible(page, "søknaden er sendt inn")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    _logout(page)

    # Leadership gives the application to the demo jury member.
    browser_login(page, "leder@example.org")
    page.goto(f"/soknader/program/{rp.pk}/utvelgelse/")
    assert_accessible(page, "utvelgelse")
    page.get_by_role("link", name="Tildel søknader Jens Jury").click()
    assert_accessible(page, "tildel søknader")
    page.get_by_label("Sunnfjord").check()
    page.get_by_role("button", name="Lagre tildelingen").click()
    _logout(page)

    # The jury member answers the conflict question and scores.
    browser_login(page, "jury@example.org")
    page.get_by_role("link", name="Jury", exact=True).first.click()
    assert_accessible(page, "juryens liste")
    page.get_by_role("link", name="Sunnfjord").click()
    assert_accessible(page, "inhabilitet")
    page.get_by_label("Nei, jeg er ikke inhabil").check()
    page.get_by_role("button", name="Svar").click()
    assert_accessible(page, "vurdering")
    for criterion in SelectionCriterion.objects.filter(regional_program=rp):
        page.locator(f'input[name="criterion_{criterion.pk}"][value="4"]').check()
    page.get_by_label("Kommentar").fill("Godt forankret og bred kommunegruppe.")
    page.get_by_role("button", name="Lever vurderingen").click()
    assert "Vurderingen er levert" in page.locator(".messages").inner_text()
    assert_accessible(page, "levert vurdering")
    _logout(page)

    # Leadership sees the ranked list and accepts.
    browser_login(page, "leder@example.org")
    page.goto(f"/soknader/program/{rp.pk}/rangering/")
    assert_accessible(page, "rangering")
    sunnfjord_row = page.get_by_test_id("rank-row").filter(has_text="Sunnfjord")
    assert "4,00" in sunnfjord_row.inner_text()  # Norwegian decimal comma
    sunnfjord_row.get_by_role("link", name="Vedtak").click()
    assert_accessible(page, "vedtak")
    page.get_by_label("tatt opp", exact=True).check()
    page.get_by_role("button", name="Se over vedtaket og brevet").click()
    assert_accessible(page, "bekreft vedtaket")
    assert page.get_by_test_id("letter-preview").is_visible()
    before_deadline = page.get_by_label("Jeg vil fatte vedtak før søknadsfristen er ute")
    if before_deadline.count():
        before_deadline.check()
    page.get_by_role("button", name="Fatt vedtak og send brev").click()
    assert "Vedtaket er lagret" in page.locator(".messages").inner_text()
    assert "tatt opp" in page.get_by_test_id("rank-row").filter(has_text="Sunnfjord").inner_text()
    _logout(page)

    # The contact sees the decision and the municipal group.
    browser_login(page, "kommune@example.org")
    page.goto(f"/soknader/{application.pk}/")
    assert_accessible(page, "søknad med vedtak")
    assert "tatt opp" in page.get_by_role("region", name="Vedtak").inner_text()
    page.get_by_role("link", name="Se kommunegruppen").click()
    assert_accessible(page, "kommunegruppen etter opptak")
    assert "Berit Barnehage" in page.get_by_role("table").inner_text()
    page.get_by_role("link", name="Legg til medlem").click()
    assert_accessible(page, "nytt medlem i kommunegruppen")
    page.get_by_label("Navn").fill("Siri SFO")
    page.get_by_label("E-post").fill("siri@example.org")
    page.get_by_label("Sektor/rolle").select_option(label="SFO")
    page.get_by_role("button", name="Lagre").click()
    assert "Siri SFO" in page.get_by_role("table").inner_text()
    group = MunicipalGroup.objects.get(application=application)
    assert group.coordinator_email == "kari.koordinator@example.org"
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.ACCEPTED


def test_the_draft_survives_an_expired_session_in_the_browser(browser_page, demo):
    page = browser_page
    application = demo["sunnfjord_application"]
    browser_login(page, "kommune@example.org")
    page.goto(f"/soknader/{application.pk}/rediger/")
    page.get_by_label("Hvorfor vil kommunen delta").fill("En lang tekst skrevet mens økten gikk ut.")
    # The session runs out while the person is writing.
    cookies = [c for c in page.context.cookies() if c["name"] != "sessionid"]
    page.context.clear_cookies()
    page.context.add_cookies(cookies)
    page.get_by_role("button", name="Lagre utkast").click()
    assert_accessible(page, "innlogging etter utløpt økt")
    page.get_by_label("E-post").fill("kommune@example.org")
    page.get_by_label("Passord").fill("kulturskole")
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_load_state("networkidle")
    assert "Økten din hadde utløpt" in page.locator(".messages").inner_text()
    assert (
        page.get_by_label("Hvorfor vil kommunen delta").input_value()
        == "En lang tekst skrevet mens økten gikk ut."
    )
    assert_accessible(page, "gjenopprettet utkast")
    page.get_by_role("button", name="Lagre utkast").click()
    application.refresh_from_db()
    assert application.motivation == "En lang tekst skrevet mens økten gikk ut."


def test_leadership_and_board_pages_are_accessible(browser_page, demo, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    page = browser_page
    rp = demo["regional_program"]
    application = demo["sunnfjord_application"]

    browser_login(page, "kommune@example.org")
    page.goto(f"/soknader/{application.pk}/vedlegg/")
    assert_accessible(page, "vedlegg")
    pdf = tmp_path / "vedtak.pdf"
    pdf.write_bytes(pdf_bytes())
    page.get_by_label("Vedlegg").set_input_files(str(pdf))
    page.get_by_role("button", name="Last opp").click()
    assert "vedtak.pdf" in page.get_by_role("main").inner_text()
    fake = tmp_path / "bilde.pdf"
    fake.write_bytes(b"GIF89a not a pdf")
    page.get_by_label("Vedlegg").set_input_files(str(fake))
    page.get_by_role("button", name="Last opp").click()
    assert "stemmer ikke med filtypen" in page.locator("#error-summary").inner_text()
    assert_accessible(page, "vedlegg med feil")
    page.goto(f"/soknader/{application.pk}/utskrift/")
    assert_accessible(page, "utskrift av søknaden")
    _logout(page)

    browser_login(page, "styre@example.org")
    page.get_by_role("link", name="Søknader", exact=True).first.click()
    assert_accessible(page, "søknadslisten, fylkesstyret")
    submitted = Application.objects.filter(regional_program=rp, status=ApplicationStatus.SUBMITTED).first()
    page.goto(f"/soknader/{submitted.pk}/")
    page.get_by_role("link", name="Skriv anbefaling").click()
    assert_accessible(page, "anbefaling")
    page.get_by_label("Anbefaling").fill("Sterk forankring og bred gruppe.")
    page.get_by_label("Prioritet").fill("1")
    page.get_by_role("button", name="Lagre anbefalingen").click()
    assert "Sterk forankring og bred gruppe." in page.get_by_role("main").inner_text()
    _logout(page)

    browser_login(page, "leder@example.org")
    page.goto(f"/soknader/program/{rp.pk}/soknadsvindu/")
    assert_accessible(page, "søknadsvindu")
    page.get_by_label("Antall plasser").fill("-3")
    page.get_by_role("button", name="Lagre").click()
    assert page.locator("#error-summary").is_visible()
    assert_accessible(page, "søknadsvindu med feil")
    for path, what in (
        (f"/soknader/program/{rp.pk}/kriterier/ny/", "nytt kriterium"),
        (f"/soknader/program/{rp.pk}/frister/ny/", "egen frist"),
        (f"/soknader/program/{rp.pk}/jury/ny/", "nytt jurymedlem"),
        (f"/soknader/program/{rp.pk}/brevmaler/accepted/", "brevmal"),
        (f"/soknader/program/{rp.pk}/utskrift/", "utskrift til jurymøtet"),
        (f"/soknader/?program={rp.pk}", "søknader i programmet"),
        (f"/soknader/{submitted.pk}/vedtak/", "vedtak"),
        (f"/soknader/{submitted.pk}/", "søknad med anbefaling og historikk, programledelsen"),
    ):
        page.goto(path)
        assert_accessible(page, what)
    page.goto(f"/soknader/program/{rp.pk}/jury/ny/")
    page.get_by_label("E-post").fill("ny.jurist@example.org")
    page.get_by_label("Navn").fill("Nina Jurist")
    page.get_by_role("button", name="Lagre").click()
    assert "Nina Jurist" in page.get_by_role("region", name="Jury").inner_text()


def test_editing_a_submitted_application_withdrawing_and_the_confirm_pages(browser_page, demo):
    page = browser_page
    rp = demo["regional_program"]
    submitted = Application.objects.filter(regional_program=rp, status=ApplicationStatus.SUBMITTED).first()

    # A board member edits a submitted application: it stays submitted.
    browser_login(page, "styre@example.org")
    page.goto(f"/soknader/{submitted.pk}/rediger/")
    assert (
        "Endringer du lagrer før fristen blir med i søknaden."
        in page.get_by_test_id("submitted-notice").inner_text()
    )
    assert_accessible(page, "endre innsendt søknad")
    page.get_by_label("Hvorfor vil kommunen delta").fill("Oppdatert begrunnelse fra styret.")
    page.get_by_role("button", name="Lagre endringer").click()
    assert "fortsatt sendt inn" in page.locator(".messages").inner_text()
    submitted.refresh_from_db()
    assert submitted.status == ApplicationStatus.SUBMITTED
    assert submitted.motivation == "Oppdatert begrunnelse fra styret."

    # Withdrawing asks first, and then names the button that sends it in again.
    page.get_by_role("link", name="Trekk søknaden").click()
    assert_accessible(page, "trekke søknaden?")
    page.get_by_role("button", name="Ja, trekk søknaden").click()
    assert "«Send inn på nytt»" in page.locator(".messages").inner_text()
    assert page.get_by_role("button", name="Send inn på nytt").is_visible()
    assert_accessible(page, "trukket søknad")
    _logout(page)

    # Deleting a criterion has its own confirm page.
    criterion = SelectionCriterion.objects.filter(regional_program=rp).first()
    if criterion is not None:
        browser_login(page, "leder@example.org")
        page.goto(f"/soknader/program/{rp.pk}/kriterier/{criterion.pk}/slett/")
        assert_accessible(page, "slette kriterium?")
        _logout(page)

    # The contact's dashboard shows the status and the next step.
    browser_login(page, "kommune@example.org")
    page.goto("/")
    panel = page.get_by_test_id("dashboard-applications")
    # Sunnfjord's demo application is a draft and its window is open
    assert "Fortsett utkastet" in panel.inner_text()
    assert_accessible(page, "oversikten med søknader")
