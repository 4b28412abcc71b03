import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from core.models import CalendarFeed, DraftRecovery
from guidance.models import GuidanceSession
from tests.guidance.factories import SessionFactory, group_for, plan_revision

SECRET = "INTERNT-Rektor-er-skeptisk-7731"


def _get(client, user, url):
    client.force_login(user)
    return client.get(url)


def _session_with_secret(setting, **kwargs):
    return SessionFactory(
        agreement=setting.mine,
        advisor=setting.vera,
        internal_note=SECRET,
        summary="Delt oppsummering om forankring",
        next_steps="Lage møteplan",
        **kwargs,
    )


# --- scope ----------------------------------------------------------------------------------------------


def test_agreement_page_scope(client, setting):
    url = reverse("guidance:agreement_detail", args=[setting.mine.pk])
    assert _get(client, setting.vera, url).status_code == 200
    assert _get(client, setting.contact, url).status_code == 200
    assert _get(client, setting.leader, url).status_code == 200
    assert _get(client, setting.otto, url).status_code == 404  # advisor of another municipality
    assert _get(client, setting.other_contact, url).status_code == 404
    assert _get(client, setting.superuser, url).status_code == 404
    client.logout()
    response = client.get(url)
    assert response.status_code == 302
    assert "/logg-inn/" in response["Location"]


@pytest.mark.parametrize(
    ("name", "args_of"),
    [
        ("guidance:session_create", lambda s: [s.mine.pk]),
        ("guidance:plan_detail", lambda s: [s.mine.pk]),
    ],
)
def test_advisor_pages_scope(client, setting, name, args_of):
    url = reverse(name, args=args_of(setting))
    assert _get(client, setting.vera, url).status_code == 200
    assert _get(client, setting.otto, url).status_code == 404
    assert _get(client, setting.superuser, url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_contact_cannot_log_sessions(client, setting):
    assert (
        _get(client, setting.contact, reverse("guidance:session_create", args=[setting.mine.pk])).status_code
        == 404
    )


@pytest.mark.parametrize("name", ["guidance:overview", "guidance:region_assign", "guidance:agreement_create"])
def test_leadership_pages_scope(client, setting, name):
    url = reverse(name, args=[setting.rp.pk])
    assert _get(client, setting.leader, url).status_code == 200
    assert _get(client, setting.vera, url).status_code == 404
    assert _get(client, setting.contact, url).status_code == 404
    assert _get(client, setting.superuser, url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_home_lists_only_own_agreements(client, setting):
    url = reverse("guidance:home")
    body = _get(client, setting.vera, url).content.decode()
    assert "Hjemkommune" in body
    assert "Annenkommune" not in body
    body = _get(client, setting.other_contact, url).content.decode()
    assert "Annenkommune" in body
    assert "Hjemkommune" not in body
    assert _get(client, setting.superuser, url).status_code == 404


def test_session_edit_and_delete_only_own(client, setting):
    session = _session_with_secret(setting)
    setting.mine.advisors.add(setting.otto)
    for name in ("guidance:session_update", "guidance:session_delete"):
        url = reverse(name, args=[session.pk])
        assert _get(client, setting.vera, url).status_code == 200
        assert _get(client, setting.otto, url).status_code == 404  # a colleague on the same agreement
        assert _get(client, setting.contact, url).status_code == 404
        assert _get(client, setting.superuser, url).status_code == 404
    client.force_login(setting.vera)
    response = client.post(reverse("guidance:session_delete", args=[session.pk]))
    assert response.status_code == 302
    assert not GuidanceSession.objects.exists()


# --- logging a session ------------------------------------------------------------------------------------


def _form(**overrides):
    held = timezone.localdate() - dt.timedelta(days=1)
    data = {
        "held_on": held.isoformat(),
        "duration_minutes": "90",
        "form": "fysisk",
        "themes": ["forankring", "motemetodikk"],
        "summary": "Vi jobbet med forankring i kommunegruppen.",
        "next_steps": "Koordinator inviterer skolene.",
        "internal_note": SECRET,
        "next_date": (timezone.localdate() + dt.timedelta(days=14)).isoformat(),
        "next_time": "13:00",
    }
    data.update(overrides)
    return data


def test_advisor_logs_session_through_the_form(client, setting):
    group = group_for(setting.mine)
    client.force_login(setting.vera)
    member = group.members.first()
    response = client.post(
        reverse("guidance:session_create", args=[setting.mine.pk]),
        _form(participants=[member.pk]),
        follow=True,
    )
    assert response.status_code == 200
    session = GuidanceSession.objects.get()
    assert list(session.participants.all()) == [member]
    assert timezone.localtime(session.next_session_at).hour == 13
    body = response.content.decode()
    assert "Veiledningsmøtet er ført." in body
    assert SECRET in body  # the advisor sees their internal note


def test_a_session_typed_after_the_login_ran_out_comes_back_after_logging_in(client, setting):
    """Nothing typed is lost: «Lagre» after the session expired leads through the login back to the filled form."""
    url = reverse("guidance:session_create", args=[setting.mine.pk])
    client.force_login(setting.vera)
    assert client.get(url).status_code == 200  # the advisor opens the form
    del client.cookies["sessionid"]  # … and the session runs out while they write
    response = client.post(url, _form(summary="Lang oppsummering skrevet i en time"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert not GuidanceSession.objects.exists()
    login = client.post(response.url, {"username": setting.vera.email, "password": "kulturskole"})
    assert login.status_code == 302
    page = client.get(login.url)
    html = page.content.decode()
    assert "Lang oppsummering skrevet i en time" in html
    assert 'value="90"' in html
    assert "Økten din hadde utløpt" in html
    form = page.context["form"]
    assert form.initial["themes"] == ["forankring", "motemetodikk"]  # every ticked theme, not the last one
    assert form.initial["form"] == "fysisk"
    # Saving from the recovered form logs the session once and clears what was kept.
    client.post(login.url, _form(summary="Lang oppsummering skrevet i en time"))
    assert GuidanceSession.objects.get().summary == "Lang oppsummering skrevet i en time"
    assert not DraftRecovery.objects.exists()


def test_a_changed_session_typed_after_the_login_ran_out_comes_back_after_logging_in(client, setting):
    session = SessionFactory(agreement=setting.mine, advisor=setting.vera, summary="Gammel")
    url = reverse("guidance:session_update", args=[session.pk])
    client.force_login(setting.vera)
    assert client.get(url).status_code == 200
    del client.cookies["sessionid"]
    response = client.post(url, _form(summary="Ny og lengre oppsummering"))
    login = client.post(response.url, {"username": setting.vera.email, "password": "kulturskole"})
    html = client.get(login.url).content.decode()
    assert "Ny og lengre oppsummering" in html
    session.refresh_from_db()
    assert session.summary == "Gammel"


def test_a_plan_version_typed_after_the_login_ran_out_comes_back_after_logging_in(client, setting):
    url = reverse("guidance:plan_revise", args=[setting.mine.pk])
    client.force_login(setting.contact)
    assert client.get(url).status_code == 200
    del client.cookies["sessionid"]
    response = client.post(
        url, {"where_we_are": "Lang beskrivelse av dagens situasjon", "how_we_get_there": "Tiltak"}
    )
    login = client.post(response.url, {"username": setting.contact.email, "password": "kulturskole"})
    html = client.get(login.url).content.decode()
    assert "Lang beskrivelse av dagens situasjon" in html
    assert "Økten din hadde utløpt" in html
    assert not setting.mine.municipality.development_plans.exists()


def test_form_refuses_date_outside_period(client, setting):
    client.force_login(setting.vera)
    outside = (
        setting.mine.starts_on - dt.timedelta(days=3)
    ).isoformat()  # past: a future date is refused first
    response = client.post(reverse("guidance:session_create", args=[setting.mine.pk]), _form(held_on=outside))
    assert response.status_code == 200
    assert "innenfor avtaleperioden" in response.content.decode()
    assert not GuidanceSession.objects.exists()


def test_over_frame_warning_is_shown(client, setting):
    setting.mine.agreed_hours = Decimal("1")
    setting.mine.save()
    client.force_login(setting.vera)
    response = client.post(reverse("guidance:session_create", args=[setting.mine.pk]), _form(), follow=True)
    body = response.content.decode()
    assert GuidanceSession.objects.count() == 1
    assert "over rammen: 1,5 av 1,0 timer er brukt" in body


# --- the internal note never reaches the municipality -----------------------------------------------------


def test_internal_note_absent_from_municipality_pages(client, setting):
    session = _session_with_secret(setting, next_session_at=timezone.now() + dt.timedelta(days=5))
    revision = plan_revision(setting.mine, by=setting.contact)
    session.plan_revision = revision
    session.save()
    client.force_login(setting.contact)
    for url in (
        reverse("guidance:agreement_detail", args=[setting.mine.pk]),
        reverse("guidance:plan_detail", args=[setting.mine.pk]),
        reverse("guidance:home"),
        reverse("accounts:dashboard"),
    ):
        body = client.get(url).content.decode()
        assert SECRET not in body, url
        assert "Internt notat" not in body, url
    body = client.get(reverse("guidance:agreement_detail", args=[setting.mine.pk])).content.decode()
    assert "Delt oppsummering om forankring" in body
    assert "Lage møteplan" in body


def test_internal_note_shown_to_advisor_and_leadership(client, setting):
    _session_with_secret(setting)
    url = reverse("guidance:agreement_detail", args=[setting.mine.pk])
    assert SECRET in _get(client, setting.vera, url).content.decode()
    assert SECRET in _get(client, setting.leader, url).content.decode()


def test_internal_note_not_in_exports_or_audit_log(client, setting):
    client.force_login(setting.vera)
    client.post(reverse("guidance:session_create", args=[setting.mine.pk]), _form())
    session = GuidanceSession.objects.get()
    client.post(
        reverse("guidance:session_update", args=[session.pk]), _form(internal_note=SECRET + " endret")
    )
    client.force_login(setting.leader)
    for fmt in ("csv", "xlsx"):
        response = client.get(reverse("guidance:overview_export", args=[setting.rp.pk, fmt]))
        assert response.status_code == 200
        assert SECRET.encode() not in response.content
    log = client.get(reverse("audit:entry_list")).content.decode()
    assert "Veiledningsmøte endret" in log
    assert SECRET not in log
    assert SECRET not in str(list(AuditEntry.objects.values_list("details", "object_repr")))


def test_csv_export_has_hours(client, setting):
    SessionFactory(agreement=setting.mine, duration_minutes=90, themes=["forankring", "medvirkning"])
    response = _get(client, setting.leader, reverse("guidance:overview_export", args=[setting.rp.pk, "csv"]))
    text = response.content.decode("utf-8-sig")
    assert "Hjemkommune;Vera Veileder;20,0;1,5;8;1;Innenfor rammen" in text
    assert "Tema;Forankring og begrunnelser;;;0,8;;1" in text


# --- overview -----------------------------------------------------------------------------------------------


def test_overview_shows_hours_chart_and_declined(client, setting):
    from guidance import services

    SessionFactory(agreement=setting.mine, advisor=setting.vera, duration_minutes=17 * 60)
    services.agreement_decline(
        actor=setting.leader, agreement=setting.theirs, declined_on=dt.date(2026, 2, 3)
    )
    body = _get(client, setting.leader, reverse("guidance:overview", args=[setting.rp.pk])).content.decode()
    assert 'data-testid="hours-chart"' in body
    assert "Brukt 17,0 av 20,0 avtalte timer." in body
    assert 'class="frame-near"' in body  # 85 % of the frame
    assert "Nær rammen" in body
    assert "3. februar 2026" in body  # the declined municipality with its date
    assert "fordeles likt på temaene" in body


# --- calendar feed ------------------------------------------------------------------------------------------


def test_calendar_feed_by_secret_token(client, setting):
    nxt = timezone.now() + dt.timedelta(days=10)
    _session_with_secret(setting, next_session_at=nxt)
    client.force_login(setting.vera)
    client.post(reverse("guidance:calendar_settings"), {"action": "renew"})
    feed = CalendarFeed.objects.get(owner=setting.vera)
    client.logout()
    url = reverse("guidance:calendar_feed", args=[feed.token])
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "BEGIN:VTIMEZONE" in body
    assert "Europe/Oslo" in body
    assert "Veiledningsmøte: Hjemkommune" in body
    assert SECRET not in body
    # revoked: the address stops working
    client.force_login(setting.vera)
    asked = client.post(reverse("guidance:calendar_settings"), {"action": "revoke"}).content.decode()
    assert "Kalendere som abonnerer på den, blir ikke lenger oppdatert" in asked
    assert client.get(url).status_code == 200  # nothing happens before the person confirms
    client.post(reverse("guidance:calendar_settings"), {"action": "revoke", "confirm": "yes"})
    client.logout()
    assert client.get(url).status_code == 404
    assert client.get(reverse("guidance:calendar_feed", args=["feil"])).status_code == 404


def test_calendar_settings_scope(client, setting):
    url = reverse("guidance:calendar_settings")
    assert _get(client, setting.vera, url).status_code == 200
    assert _get(client, setting.contact, url).status_code == 404
    assert _get(client, setting.superuser, url).status_code == 404


# --- plan ----------------------------------------------------------------------------------------------------


def test_contact_revises_plan_and_history_is_shown(client, setting):
    client.force_login(setting.contact)
    url = reverse("guidance:plan_revise", args=[setting.mine.pk])
    fields = {"where_we_are": "Start-situasjon", "where_we_want_to_go": "Mål", "how_we_get_there": "Tiltak"}
    client.post(url, fields)
    client.post(url, {**fields, "where_we_are": "Ny situasjon", "change_note": "Oppdatert etter samling 2"})
    body = client.get(reverse("guidance:plan_detail", args=[setting.mine.pk])).content.decode()
    assert "Planen ved start og nå" in body
    assert "Start-situasjon" in body
    assert "Ny situasjon" in body
    assert body.count('data-testid="plan-revision"') == 2
    # the advisor comments; the contact reads the comment
    client.force_login(setting.vera)
    revision = setting.mine.municipality.development_plans.get().revisions.get(number=2)
    client.post(
        reverse("guidance:plan_comment", args=[setting.mine.pk, revision.pk]), {"text": "Fin framgang"}
    )
    client.force_login(setting.contact)
    assert (
        "Fin framgang" in client.get(reverse("guidance:plan_detail", args=[setting.mine.pk])).content.decode()
    )
    assert _get(client, setting.vera, url).status_code == 404  # the advisor does not write the plan


# --- leadership's region page -----------------------------------------------------------------------------------


def test_region_assign_page_saves_advisors_and_hours(client, setting):
    client.force_login(setting.leader)
    url = reverse("guidance:region_assign", args=[setting.rp.pk])
    response = client.post(
        url,
        {
            "save": "1",
            f"advisors-{setting.home.pk}": [str(setting.vera.pk), str(setting.otto.pk)],
            f"hours-{setting.home.pk}": "12,5",
            f"advisors-{setting.other.pk}": [str(setting.otto.pk)],
            f"hours-{setting.other.pk}": "20",
        },
    )
    assert response.status_code == 302
    setting.mine.refresh_from_db()
    assert setting.mine.agreed_hours == Decimal("12.5")
    assert set(setting.mine.advisors.all()) == {setting.vera, setting.otto}
    body = client.get(url).content.decode()
    assert "Veiledernes avtaler i regionen" in body


def test_region_assign_rejects_bad_hours(client, setting):
    client.force_login(setting.leader)
    response = client.post(
        reverse("guidance:region_assign", args=[setting.rp.pk]),
        {"save": "1", f"hours-{setting.home.pk}": "mange"},
    )
    assert response.status_code == 200
    assert "Timer må være et tall" in response.content.decode()
    setting.mine.refresh_from_db()
    assert setting.mine.agreed_hours == Decimal("20")


# --- query counts -------------------------------------------------------------------------------------------------


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _add_sessions(setting, n):
    from guidance.models import DevelopmentPlanRevision
    from programs.models import MunicipalGroup

    group = MunicipalGroup.objects.filter(municipality=setting.home).first() or group_for(setting.mine)
    member = group.members.first()
    revision = DevelopmentPlanRevision.objects.first() or plan_revision(setting.mine)
    for i in range(n):
        s = SessionFactory(
            agreement=setting.mine,
            advisor=setting.vera,
            held_on=timezone.localdate() - dt.timedelta(days=i + 1),
            themes=["forankring", "medvirkning"] if i % 2 else ["struktur"],
            next_session_at=timezone.now() + dt.timedelta(days=3) if i == 0 else None,
            plan_revision=revision if i % 3 == 0 else None,
        )
        s.participants.add(member)


QUERY_COUNTS: dict[str, list[int]] = {}


@pytest.mark.parametrize(
    ("who", "url_of"),
    [
        ("vera", lambda s: reverse("accounts:dashboard")),
        ("contact", lambda s: reverse("guidance:agreement_detail", args=[s.mine.pk])),
        ("vera", lambda s: reverse("guidance:agreement_detail", args=[s.mine.pk])),
        ("leader", lambda s: reverse("guidance:overview", args=[s.rp.pk])),
    ],
)
def test_query_counts_constant_5_vs_100_sessions(client, setting, who, url_of):
    from tests.factories import MunicipalityFactory
    from tests.guidance.factories import AgreementFactory

    user = getattr(setting, who)
    client.force_login(user)
    url = url_of(setting)
    _add_sessions(setting, 5)
    few = _count(client, url)
    _add_sessions(setting, 95)
    # more municipalities with their own sessions, too
    for _ in range(3):
        extra = AgreementFactory(
            regional_program=setting.rp, municipality=MunicipalityFactory(), advisors=[setting.vera]
        )
        SessionFactory(agreement=extra, advisor=setting.vera)
    many = _count(client, url)
    print(f"queries {who} {url}: {few} vs {many}")
    assert few == many


# --- leadership's agreement forms ---------------------------------------------------------------------------------


def test_leadership_creates_updates_and_records_decline(client, setting):
    from guidance.models import GuidanceAgreement
    from tests.factories import CountyFactory, MunicipalityFactory

    county = CountyFactory()
    setting.rp.branches.add(county.branch)
    newcomer = MunicipalityFactory(county=county, name="Nykommune")
    client.force_login(setting.leader)
    response = client.post(
        reverse("guidance:agreement_create", args=[setting.rp.pk]),
        {
            "municipality": newcomer.pk,
            "advisors": [setting.vera.pk],
            "agreed_hours": "15",
            "starts_on": "2026-08-15",
            "ends_on": "2027-12-15",
            "focus_themes": ["prosessledelse"],
            "municipal_contact_name": "Nina Ny",
        },
    )
    created = GuidanceAgreement.objects.get(municipality=newcomer)
    assert response.status_code == 302
    assert created.focus_themes == ["prosessledelse"]
    assert list(created.advisors.all()) == [setting.vera]

    edit = reverse("guidance:agreement_update", args=[created.pk])
    form_page = client.get(edit).content.decode()
    assert 'value="15,0"' in form_page  # the decimal comma the UI uses everywhere
    client.post(
        edit,
        {
            "advisors": [setting.otto.pk],
            "agreed_hours": "18,5",
            "starts_on": "2026-08-15",
            "ends_on": "2026-08-01",
        },
    )
    created.refresh_from_db()
    assert created.agreed_hours == Decimal("15")  # the period ended before it began: refused
    client.post(
        edit,
        {
            "advisors": [setting.otto.pk],
            "agreed_hours": "18.5",
            "starts_on": "2026-08-15",
            "ends_on": "2027-12-15",
        },
    )
    created.refresh_from_db()
    assert created.agreed_hours == Decimal("18.5")
    assert list(created.advisors.all()) == [setting.otto]

    decline = reverse("guidance:agreement_decline", args=[created.pk])
    assert _get(client, setting.vera, decline).status_code == 404
    client.force_login(setting.leader)
    client.post(decline, {"declined_on": "2026-09-01", "note": "Ikke nå"})
    created.refresh_from_db()
    assert created.declined_on == dt.date(2026, 9, 1)
    body = client.get(reverse("guidance:agreement_detail", args=[created.pk])).content.decode()
    assert "takket nei til veiledning 1. september 2026" in body
    assert _get(client, setting.vera, decline).status_code == 404


@pytest.mark.parametrize("value", ["²", "9223372036854775808", "-1", "1 OR 1=1"])
def test_region_page_survives_hostile_ids(client, setting, value):
    client.force_login(setting.leader)
    url = reverse("guidance:region_assign", args=[setting.rp.pk])
    response = client.post(
        url, {"save": "1", f"advisors-{setting.home.pk}": [value], "add_municipality": value}
    )
    assert response.status_code in (200, 302)
    assert client.get(url + f"?legg_til={value}").status_code == 200
    assert (
        client.get(
            reverse("guidance:agreement_create", args=[setting.rp.pk]) + f"?kommune={value}"
        ).status_code
        == 200
    )


# --- usability fixes -------------------------------------------------------------------------------------------


def test_advisor_buttons_say_registrer_not_for(client, setting):
    """'Før møte' read as 'before the meeting'; the advisor sees 'Registrer møte'."""
    client.force_login(setting.vera)
    pages = [
        client.get(reverse("accounts:dashboard")).content.decode(),
        client.get(reverse("guidance:agreement_detail", args=[setting.mine.pk])).content.decode(),
        client.get(reverse("guidance:session_create", args=[setting.mine.pk])).content.decode(),
    ]
    assert "Registrer møte" in pages[0]
    assert "Registrer veiledningsmøte" in pages[1]
    assert "<h1>Registrer veiledningsmøte</h1>" in pages[2]
    for body in pages:
        assert "Før møte" not in body
        assert "Før veiledningsmøte" not in body


def _region_municipality(setting, name):
    from tests.factories import CountyFactory, MunicipalityFactory

    county = CountyFactory()
    setting.rp.branches.add(county.branch)
    return MunicipalityFactory(county=county, name=name)


def test_region_assign_hours_without_advisor_is_a_field_error(client, setting):
    """Kinn got 12 hours without an advisor and an agreement 'Veiledere: –' appeared with no warning."""
    from guidance.models import GuidanceAgreement

    kinn = _region_municipality(setting, "Kinn")
    client.force_login(setting.leader)
    url = reverse("guidance:region_assign", args=[setting.rp.pk])
    response = client.post(
        f"{url}?legg_til={kinn.pk}",
        {
            "save": "1",
            "starts_on": "2027-01-01",
            "ends_on": "2027-06-30",
            f"advisors-{setting.home.pk}": [str(setting.vera.pk)],
            f"hours-{setting.home.pk}": "20",
            f"advisors-{setting.other.pk}": [str(setting.otto.pk)],
            f"hours-{setting.other.pk}": "20",
            f"hours-{kinn.pk}": "12",
        },
    )
    assert response.status_code == 200
    assert "Velg minst én veileder når kommunen får timer." in response.content.decode()
    assert not GuidanceAgreement.objects.filter(municipality=kinn).exists()


def test_region_page_flags_agreement_without_advisor(client, setting):
    setting.mine.advisors.clear()
    body = _get(
        client, setting.leader, reverse("guidance:region_assign", args=[setting.rp.pk])
    ).content.decode()
    assert body.count('data-testid="no-advisor"') == 1
    assert "uten veileder" in body


def test_region_assign_shows_period_and_hours_errors_in_one_round(client, setting):
    client.force_login(setting.leader)
    response = client.post(
        reverse("guidance:region_assign", args=[setting.rp.pk]),
        {
            "save": "1",
            "starts_on": "2027-06-01",
            "ends_on": "2027-01-01",
            f"advisors-{setting.home.pk}": [str(setting.vera.pk)],
            f"hours-{setting.home.pk}": "abc",
        },
    )
    body = response.content.decode()
    assert "Perioden må slutte etter at den begynner." in body
    assert "Timer må være et tall" in body


def test_agreement_period_beyond_last_semester_is_warned(client, setting):
    from gatherings.models import Semester

    Semester.objects.create(
        regional_program=setting.rp,
        name="vår 2027",
        starts_on=dt.date(2027, 1, 1),
        ends_on=dt.date(2027, 7, 30),
    )
    client.force_login(setting.leader)
    url = reverse("guidance:region_assign", args=[setting.rp.pk])
    kinn = _region_municipality(setting, "Kinn")
    response = client.post(
        f"{url}?legg_til={kinn.pk}",
        {
            "save": "1",
            "starts_on": "2027-06-01",
            "ends_on": "2027-12-31",
            f"advisors-{setting.home.pk}": [str(setting.vera.pk)],
            f"hours-{setting.home.pk}": "20",
            f"advisors-{setting.other.pk}": [str(setting.otto.pk)],
            f"hours-{setting.other.pk}": "20",
            f"advisors-{kinn.pk}": [str(setting.vera.pk)],
            f"hours-{kinn.pk}": "12",
        },
        follow=True,
    )
    body = response.content.decode()
    assert "Lagret." in body
    from core.dates import date_display

    assert f"programmets siste semester slutter {date_display(dt.date(2027, 7, 30))}" in body


def test_next_session_after_agreement_end_is_saved_with_a_warning(client, setting):
    client.force_login(setting.vera)
    after_end = (setting.mine.ends_on + dt.timedelta(days=5)).isoformat()
    response = client.post(
        reverse("guidance:session_create", args=[setting.mine.pk]), _form(next_date=after_end), follow=True
    )
    body = response.content.decode()
    assert GuidanceSession.objects.count() == 1
    assert "Veiledningsmøtet er ført." in body
    assert "er etter at avtalen slutter" in body
    assert 'data-testid="next-after-end"' in body
    # shown again on a later visit, not only in the one-off message
    again = client.get(reverse("guidance:agreement_detail", args=[setting.mine.pk])).content.decode()
    assert 'data-testid="next-after-end"' in again


def test_next_session_within_agreement_has_no_warning(client, setting):
    client.force_login(setting.vera)
    response = client.post(reverse("guidance:session_create", args=[setting.mine.pk]), _form(), follow=True)
    body = response.content.decode()
    assert "Veiledningsmøtet er ført." in body
    assert 'data-testid="next-after-end"' not in body


def test_impossible_next_date_gives_one_error(client, setting):
    client.force_login(setting.vera)
    response = client.post(
        reverse("guidance:session_create", args=[setting.mine.pk]), _form(next_date="31.02.2027")
    )
    body = response.content.decode()
    assert "Datoen finnes ikke." in body
    assert "Oppgi datoen for neste møte" not in body
    assert "Oppgi en gyldig dato" not in body
    assert not GuidanceSession.objects.exists()


def test_identical_plan_revision_is_refused(client, setting):
    """Back + 'Lagre ny versjon' again silently made a version identical to the previous one."""
    client.force_login(setting.contact)
    url = reverse("guidance:plan_revise", args=[setting.mine.pk])
    fields = {"where_we_are": "Start", "where_we_want_to_go": "Mål", "how_we_get_there": "Tiltak"}
    assert client.post(url, fields).status_code == 302
    response = client.post(url, {**fields, "change_note": "igjen"})
    assert response.status_code == 200
    assert (
        "Planen er lik versjon 1. Endre noe i planen før du lagrer en ny versjon."
        in response.content.decode()
    )
    plan = setting.mine.municipality.development_plans.get()
    assert plan.revisions.count() == 1
    # a real change is a new version
    assert client.post(url, {**fields, "how_we_get_there": "Nye tiltak"}).status_code == 302
    assert plan.revisions.count() == 2


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_file_name_has_the_programme_name_not_its_id(client, setting, fmt):
    setting.rp.name = "Vestland – Sunnfjord og Førde"
    setting.rp.save()
    response = _get(client, setting.leader, reverse("guidance:overview_export", args=[setting.rp.pk, fmt]))
    stamp = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="veiledning-vestland-sunnfjord-og-forde-{stamp}.{fmt}"'
    )


def test_xlsx_export_has_one_sheet_per_part_with_hours_as_numbers(client, setting):
    import io

    from openpyxl import load_workbook

    SessionFactory(agreement=setting.mine, duration_minutes=90, themes=["forankring"])
    response = _get(client, setting.leader, reverse("guidance:overview_export", args=[setting.rp.pk, "xlsx"]))
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["Kommuner", "Veiledere", "Tema", "Takket nei"]
    row = next(r for r in wb["Kommuner"].iter_rows(min_row=2, values_only=True) if r[1] == "Hjemkommune")
    assert row[3] == 20.0
    assert row[4] == 1.5


def test_hours_chart_legend_names_every_bar_colour(client, setting):
    from guidance.models import GuidanceAgreement

    setting.theirs.agreed_hours = Decimal("1")
    setting.theirs.save()
    SessionFactory(agreement=setting.theirs, advisor=setting.otto, duration_minutes=120, themes=["struktur"])
    body = _get(client, setting.leader, reverse("guidance:overview", args=[setting.rp.pk])).content.decode()
    assert GuidanceAgreement.objects.count() == 2
    assert 'class="used over"' in body
    legend = body[body.index('data-testid="chart-legend"') :]
    legend = legend[: legend.index("</figcaption>")]
    for swatch, text in [
        ("legend-agreed", "avtalte timer"),
        ("legend-used", "brukte timer, innenfor rammen"),
        ("legend-near", "brukte timer, nær rammen"),
        ("legend-over", "brukte timer, over rammen"),
    ]:
        assert swatch in legend
        assert text in legend


def test_hours_fields_show_a_decimal_comma(client, setting):
    setting.mine.agreed_hours = Decimal("12.5")
    setting.mine.save()
    client.force_login(setting.leader)
    region = client.get(reverse("guidance:region_assign", args=[setting.rp.pk])).content.decode()
    assert f'name="hours-{setting.home.pk}" id="hours-{setting.home.pk}" value="12,5"' in region
    assert f'name="hours-{setting.other.pk}" id="hours-{setting.other.pk}" value="20,0"' in region
    form = client.get(reverse("guidance:agreement_update", args=[setting.mine.pk])).content.decode()
    assert 'value="12,5"' in form
    assert 'value="12.5"' not in form


# --- a booked next meeting is kept; a held session is not in the future; odd input --------------------------


def _booked_meeting(setting):
    from core.dates import datetime_display

    next_at = dt.datetime.combine(
        timezone.localdate() + dt.timedelta(days=9), dt.time(13, 0), tzinfo=timezone.get_current_timezone()
    )
    SessionFactory(
        agreement=setting.mine,
        advisor=setting.vera,
        held_on=timezone.localdate() - dt.timedelta(days=10),
        next_session_at=next_at,
    )
    return datetime_display(next_at)


def _no_next(**overrides):
    held = (timezone.localdate() - dt.timedelta(days=2)).isoformat()
    return {**_form(next_date="", next_time="", held_on=held), **overrides}


def test_forgotten_session_logged_without_next_meeting_keeps_the_booked_one(client, setting):
    """Logging a forgotten session with the next-meeting fields empty made the booked meeting «ikke avtalt»."""
    when = _booked_meeting(setting)
    client.force_login(setting.vera)
    url = reverse("guidance:session_create", args=[setting.mine.pk])
    form = client.get(url).content.decode()
    assert f"Neste møte er avtalt {when} – la feltene stå tomme for å beholde det." in form

    body = client.post(url, _no_next(), follow=True).content.decode()
    assert "Veiledningsmøtet er ført." in body
    assert f"Neste møte er fortsatt {when}." in body
    assert GuidanceSession.objects.count() == 2
    detail = client.get(reverse("guidance:agreement_detail", args=[setting.mine.pk])).content.decode()
    assert f'data-testid="next-session">{when}' in detail
    dashboard = client.get(reverse("accounts:dashboard")).content.decode()
    assert f"{when} – Hjemkommune" in dashboard  # still under «Neste møter»


def test_booked_meeting_is_removed_only_when_the_advisor_says_so(client, setting):
    when = _booked_meeting(setting)
    client.force_login(setting.vera)
    url = reverse("guidance:session_create", args=[setting.mine.pk])
    assert f"Møtet {when} er avlyst" in client.get(url).content.decode()
    # a new date and «avlyst» at once is ambiguous: said at the box, nothing saved, nothing typed lost
    both = client.post(
        url, _no_next(cancel_booked_next="on", next_date=_form()["next_date"])
    ).content.decode()
    assert "Et nytt neste møte erstatter det avtalte" in both
    assert "Vi jobbet med forankring i kommunegruppen." in both
    assert GuidanceSession.objects.count() == 1

    client.post(url, _no_next(cancel_booked_next="on"))
    detail = client.get(reverse("guidance:agreement_detail", args=[setting.mine.pk])).content.decode()
    assert 'data-testid="next-session">ikke avtalt' in detail


def test_form_without_a_booked_meeting_has_no_call_off_box(client, setting):
    client.force_login(setting.vera)
    body = client.get(reverse("guidance:session_create", args=[setting.mine.pk])).content.decode()
    assert "cancel_booked_next" not in body
    assert f'max="{timezone.localdate().isoformat()}"' in body  # the date picker offers no future day
    assert "Neste møte er avtalt" not in body


def test_session_dated_in_the_future_is_a_field_error_pointing_to_next_meeting(client, setting):
    """01.05.2027 was accepted as held: its hours counted as used and the report showed a meeting in May."""
    client.force_login(setting.vera)
    future = (timezone.localdate() + dt.timedelta(days=150)).strftime("%d.%m.%Y")
    response = client.post(
        reverse("guidance:session_create", args=[setting.mine.pk]), _form(held_on=future, next_date="")
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Datoen kan ikke være etter i dag" in body
    assert "Oppgi datoen for neste møte." in body  # with the form's other errors, in one round
    assert "skriver du under «Neste møte»" in body
    assert f'value="{future}"' in body  # what was typed stays
    assert "Vi jobbet med forankring i kommunegruppen." in body
    assert not GuidanceSession.objects.exists()


def test_changing_a_session_to_a_future_date_is_a_field_error(client, setting):
    session = SessionFactory(agreement=setting.mine, advisor=setting.vera)
    client.force_login(setting.vera)
    future = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = client.post(reverse("guidance:session_update", args=[session.pk]), _form(held_on=future))
    assert "Datoen kan ikke være etter i dag" in response.content.decode()
    session.refresh_from_db()
    assert session.held_on == timezone.localdate() - dt.timedelta(days=7)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"duration_minutes": "0"}, "Varigheten må være minst 1 minutt."),
        ({"duration_minutes": "-30"}, "Varigheten må være minst 1 minutt."),
        ({"duration_minutes": "90 min"}, "Skriv varigheten i hele minutter, f.eks. 90."),
        ({"duration_minutes": "100000000000000000000"}, "Varigheten kan være høyst 1440 minutter (et døgn)."),
        ({"held_on": "1900-01-01"}, "Datoen må være innenfor avtaleperioden"),
        ({"next_date": "2207-03-01"}, "Neste møte må være innen ett år etter dette møtet."),
        ({"summary": "Vi jobbet 🎻" + "x" * 10000}, "Teksten er for lang: maks 10000 tegn"),
        ({"other_participants": "Rektor 🥁\n" * 400}, "Teksten er for lang: maks 2000 tegn"),
    ],
)
def test_odd_input_is_a_norwegian_field_error_and_nothing_typed_is_lost(client, setting, fields, message):
    client.force_login(setting.vera)
    data = _form(next_steps="Neste steg med emoji 🎶 og æøå", **fields)
    response = client.post(reverse("guidance:session_create", args=[setting.mine.pk]), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert message in body
    assert "Neste steg med emoji 🎶 og æøå" in body
    assert not GuidanceSession.objects.exists()


def test_emoji_and_norwegian_letters_are_saved_as_typed(client, setting):
    client.force_login(setting.vera)
    text = "Kulturskolen 🎻 og skolen 🥁 planla «Åpen dag» sammen"
    client.post(reverse("guidance:session_create", args=[setting.mine.pk]), _form(summary=text))
    assert GuidanceSession.objects.get().summary == text
    detail = client.get(reverse("guidance:agreement_detail", args=[setting.mine.pk])).content.decode()
    assert text.replace("«", "&laquo;").replace("»", "&raquo;") in detail or text in detail
