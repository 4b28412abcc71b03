"""The programme's report: every figure against the seeded rows, scope, the filter, XLSX and query counts."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from gatherings.models import Registration, RegistrationStatus
from guidance.models import GuidanceSession
from programs.report.selectors import Period, report_build, report_regions, report_semesters
from tests.factories import ProgramFactory, UserFactory, board_member, municipal_contact
from tests.guidance.factories import advisor
from tests.programs.report_seed import SECRET_NOTE, seed_region
from tests.superuser import assert_superuser_without_roles_gets_404

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_cached_report")]


@pytest.fixture
def leader():
    return UserFactory(leadership=True, email="leder-rapport@example.org")


def _build(program, period=None, branch=None, region=None):
    regions = report_regions(program=program, region_id=region.pk if region else None)
    return report_build(
        program=program,
        regions=regions,
        semesters=report_semesters(regions=regions),
        period=period or Period(),
        branch=branch,
    )


# --- figures --------------------------------------------------------------------------------------------


def test_participation_counts_match_the_rows(program, seeded):
    report = _build(program)
    region = report.participation["regions"][0]
    assert (region["interested"], region["applied"], region["accepted"]) == (3, 3, 2)
    assert (region["groups"], region["members"]) == (2, 5)
    sectors = dict(zip(report.participation["sector_codes"], region["sectors"], strict=True))
    assert sectors == {
        "kulturskole": 2,
        "skole": 1,
        "barnehage": 1,
        "sfo": 0,
        "politisk_ledelse": 1,
        "administrasjon": 0,
        "frivillighet": 0,
        "annet": 0,
    }
    declined = next(r for r in region["rows"] if r["municipality"].endswith("-C"))
    assert declined["interested"]
    assert declined["applied"]
    assert not declined["accepted"]
    assert declined["status_label"] == "ikke tatt opp"


def test_attendance_grid_cells_totals_and_rates_match_the_registrations(program, seeded):
    report = _build(program)
    grid = report.attendance["regions"][0]
    titles = [c["gathering"].title for c in grid["columns"]]
    assert titles == ["Forankring", "Struktur", "Medvirkning"]  # the cancelled gathering is no column
    a, b = grid["rows"][0], grid["rows"][1]
    assert [c["state"] for c in a["cells"]] == ["attended", "attended", "registered"]
    assert [c["state"] for c in b["cells"]] == ["absent", "none", "registered"]
    assert [(c["attended"], c["registered"]) for c in a["cells"]] == [(2, 2), (1, 2), (0, 1)]
    assert (a["attended"], a["registered"], a["rate"]) == (3, 4, 75)
    assert (b["attended"], b["registered"], b["rate"], b["missed"]) == (0, 1, 0, 1)
    g1, g2, g3 = grid["columns"]
    assert (g1["attended"], g1["registered"], g1["rate"]) == (2, 3, 67)
    assert (g2["attended"], g2["registered"], g2["rate"]) == (1, 2, 50)
    assert (g3["registered"], g3["rate"]) == (2, None)  # ahead: no rate yet
    # The region's figures agree with a count of the underlying rows of the gatherings that have been.
    past = [seeded.gatherings["g1"], seeded.gatherings["g2"]]
    rows = Registration.objects.filter(gathering__in=past)
    assert grid["registered"] == rows.filter(status=RegistrationStatus.ATTENDING).count() == 5
    assert grid["attended"] == rows.filter(attended=True).count() == 3
    assert grid["rate"] == 60
    sectors = {s["label"]: (s["attended"], s["registered"]) for s in grid["sectors"]}
    assert sectors == {"Kulturskole": (3, 4), "Skole": (0, 1)}


def test_guidance_hours_per_municipality_theme_and_month_match_the_sessions(program, seeded):
    report = _build(program)
    g = report.guidance
    rows = {r["municipality"]: r for r in g["regions"][0]["rows"]}
    a, b = (rows[grp.municipality.name] for grp in seeded.groups)
    assert (a["agreed_hours"], a["used_hours"], a["sessions"], a["percent"]) == (
        Decimal("20.0"),
        Decimal("2.5"),
        2,
        12,
    )
    assert (b["agreed_hours"], b["used_hours"], b["sessions"]) == (Decimal("10.0"), Decimal("0.5"), 1)
    total_minutes = sum(GuidanceSession.objects.values_list("duration_minutes", flat=True))
    assert g["used_minutes"] == total_minutes == 180
    assert (g["agreed_hours"], g["used_hours"], g["sessions"]) == (Decimal("30.0"), Decimal("3.0"), 3)
    themes = {t["code"]: (t["minutes"], t["sessions"]) for t in g["themes"]}
    # 90 minutes with two themes give 45 to each; the theme sums add up to the total.
    assert themes["forankring"] == (105.0, 2)
    assert themes["struktur"] == (45.0, 1)
    assert themes["medvirkning"] == (30.0, 1)
    assert sum(m for m, _n in themes.values()) == total_minutes
    assert g["theme_total_hours"] == Decimal("3.0")
    assert sum(m["sessions"] for m in g["months"]) == 3
    assert sum(m["minutes"] for m in g["months"]) == 180


def test_hand_ins_side_by_side_with_shared_late_and_missing(program, seeded):
    report = _build(program)
    h = report.hand_ins
    assert (h["expected"], h["submitted"]) == (4, 3)
    first, second = h["gatherings"]
    assert [i["shared_with_region"] for i in first["items"]] == [True, False]
    assert (first["shared"], first["late"], first["missing"]) == (1, 1, 0)
    assert (second["submitted"], second["missing"]) == (1, 1)  # B's draft is not handed in
    a, b = seeded.groups
    assert [(m["municipality"], m["gathering"].title) for m in h["missing"]] == [
        (b.municipality.name, "Struktur")
    ]
    assert [(x["municipality"], x["gathering"].title) for x in h["late"]] == [
        (b.municipality.name, "Forankring")
    ]


def test_plans_first_and_latest_revision(program, seeded):
    report = _build(program)
    a, b = seeded.groups
    plans = {p["municipality"]: p for p in report.plans}
    assert (
        plans[a.municipality.name]["first"]["number"],
        plans[a.municipality.name]["latest"]["number"],
    ) == (1, 2)
    assert plans[a.municipality.name]["latest"]["where_we_are"] == f"Her 2 {a.municipality.name}"
    assert plans[b.municipality.name]["same"] is True


def test_timeline_has_the_editions_dates_in_order(program, seeded):
    report = _build(program)
    labels = [e["label"] for e in report.timeline]
    assert "Frist for interessemelding" in labels
    assert "Første vedtak" in labels
    assert "Siste vedtak" in labels
    assert "vår begynner" in labels
    assert any("Forankring" in label for label in labels)
    cancelled = [e for e in report.timeline if e["cancelled"]]
    assert [e["label"] for e in cancelled] == ["Samling 4: Avlyst samling"]
    dates = [e["date"] for e in report.timeline]
    assert dates == sorted(dates)


def test_period_filter_keeps_only_what_falls_in_it(program, seeded):
    today = timezone.localdate()
    period = Period(start=today - dt.timedelta(days=30), end=today, label="siste 30 dager")
    report = _build(program, period=period)
    titles = [c["gathering"].title for c in report.attendance["regions"][0]["columns"]]
    assert titles == ["Struktur"]
    assert report.guidance["used_minutes"] == 90  # the 60 + 30 minute sessions ten days ago
    assert [b["gathering"].title for b in report.hand_ins["gatherings"]] == ["Struktur"]
    assert all(period.contains(e["date"]) for e in report.timeline)
    # Participation is about the whole edition.
    assert report.participation["totals"]["accepted"] == 2


def test_branch_filter_narrows_the_edition_to_that_branch(program, seeded):
    other = seed_region(program, index=2)
    report = _build(program, branch=other.branch)
    assert [r.pk for r in report.regions] == [other.region.pk]
    assert report.participation["totals"]["interested"] == 3
    assert all(
        row["municipality"].startswith("Kommune 02") for row in report.participation["regions"][0]["rows"]
    )


# --- pages ----------------------------------------------------------------------------------------------


def test_leadership_reads_the_region_report_with_its_figures(client, leader, seeded):
    client.force_login(leader)
    response = client.get(reverse("programs:region_report", kwargs={"rp_id": seeded.region.pk}))
    assert response.status_code == 200
    html = response.content.decode()
    for section in ("participation", "attendance", "guidance", "hand_ins", "plans", "timeline"):
        assert f'data-section="{section}"' in html
    assert "3 kommuner meldt inn av fylkesavdelingene, 3 søkte, 2 ble tatt opp." in html
    assert "3 av 5 påmeldte møtte på samlingene som har vært (60 %)." in html
    assert "Brukt 3,0 av 30,0 avtalte timer i 3 møter." in html
    assert "3 av 4 mellomarbeid med passert frist levert; 1 levert etter fristen, 1 mangler." in html
    assert 'data-testid="shared-mark"' in html
    assert "Et møte med flere tema fordeles likt" in html
    assert "Tidslinje for det regionale programmet" in html  # the gatherings app's SVG timeline
    b = seeded.groups[1]
    assert f"Gjort {b.municipality.name} 1" in html  # leadership reads the hand-ins not shared too
    assert f"Her 2 {seeded.groups[0].municipality.name}" in html
    assert SECRET_NOTE not in html


def test_edition_report_lists_each_region_and_the_sum(client, leader, program, seeded):
    seed_region(program, index=2)
    client.force_login(leader)
    html = client.get(reverse("programs:edition_report", kwargs={"pk": program.pk})).content.decode()
    assert "6 kommuner meldt inn av fylkesavdelingene, 6 søkte, 4 ble tatt opp." in html
    # The edition counts the hand-ins and plan versions; their texts are in each region's report and the XLSX.
    assert 'data-testid="hand-in-summary"' in html
    assert f"Gjort {seeded.groups[0].municipality.name} 1" not in html
    assert 'data-testid="plan-versions"' in html
    assert "Region 01" in html
    assert "Region 02" in html
    assert SECRET_NOTE not in html


def test_invalid_period_shows_an_error_and_the_whole_period(client, leader, seeded):
    client.force_login(leader)
    url = reverse("programs:region_report", kwargs={"rp_id": seeded.region.pk})
    response = client.get(url, {"fra": "2026-05-01", "til": "2026-04-01"})
    assert response.status_code == 200
    assert "Til-datoen kan ikke være før fra-datoen." in response.content.decode()
    assert "Hele perioden" in response.content.decode()


def test_semester_filter_on_the_page(client, leader, seeded):
    client.force_login(leader)
    url = reverse("programs:region_report", kwargs={"rp_id": seeded.region.pk})
    html = client.get(url, {"semester": "høst"}).content.decode()
    assert "Periode: høst" in html
    assert "Medvirkning" in html
    assert "Samling 1: Forankring" not in html


def test_xlsx_has_one_sheet_per_section_with_numbers_and_dates(client, leader, seeded):
    client.force_login(leader)
    url = reverse("programs:region_report_export", kwargs={"rp_id": seeded.region.pk})
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == [
        "Deltakelse",
        "Oppmøte",
        "Veiledning",
        "Veiledning per tema",
        "Veiledning per måned",
        "Mellomarbeid",
        "Utviklingsplaner",
        "Tidslinje",
    ]
    attendance = list(wb["Oppmøte"].iter_rows(min_row=2, values_only=True))
    assert sum(r[5] or 0 for r in attendance) == 3  # attended, as numbers (the ahead gathering has none)
    assert all(isinstance(r[3], dt.datetime) for r in attendance)  # real dates
    # A gathering not held yet is «1 påmeldt» as on the screen: no attendance «ikke ført», no rate.
    ahead = [r for r in attendance if r[2].endswith("Medvirkning")]
    assert ahead
    assert all(r[4:] == (1, None, None, None, None, "Ikke holdt ennå") for r in ahead)
    assert all(r[7] is not None and r[9] is None for r in attendance if not r[2].endswith("Medvirkning"))
    months = wb["Veiledning per måned"]
    assert months.max_row > 1
    assert all(row[0].number_format == "[$-414]mmmm yyyy" for row in months.iter_rows(min_row=2))
    assert all(row[0].value.day == 1 for row in months.iter_rows(min_row=2))  # the month, as a date
    guidance = list(wb["Veiledning"].iter_rows(min_row=2, values_only=True))
    assert sorted(r[3] for r in guidance) == [0.5, 2.5]
    timeline = list(wb["Tidslinje"].iter_rows(min_row=2, values_only=True))
    assert all(isinstance(r[0], dt.datetime) for r in timeline)
    missing = [r for r in wb["Mellomarbeid"].iter_rows(min_row=2, values_only=True) if r[3] == "Mangler"]
    assert len(missing) == 1
    text = " ".join(str(c) for ws in wb for row in ws.iter_rows(values_only=True) for c in row if c)
    assert SECRET_NOTE not in text


# --- scope ----------------------------------------------------------------------------------------------


def _urls(seeded, program):
    return [
        reverse("programs:region_report", kwargs={"rp_id": seeded.region.pk}),
        reverse("programs:region_report_export", kwargs={"rp_id": seeded.region.pk}),
        reverse("programs:edition_report", kwargs={"pk": program.pk}),
        reverse("programs:edition_report_export", kwargs={"pk": program.pk}),
    ]


def test_board_sees_its_own_regions_report_and_nothing_else(client, program, seeded):
    other = seed_region(program, index=2)
    board = board_member(seeded.branch)
    client.force_login(board)
    own = client.get(reverse("programs:region_report", kwargs={"rp_id": seeded.region.pk}))
    assert own.status_code == 200
    assert SECRET_NOTE not in own.content.decode()
    assert (
        client.get(reverse("programs:region_report_export", kwargs={"rp_id": seeded.region.pk})).status_code
        == 200
    )
    html = own.content.decode()
    # As in gatherings and guidance: a board member reads shared hand-ins only, and no plan text.
    a, b = seeded.groups
    assert f"Gjort {a.municipality.name} 1" in html  # shared
    assert f"Gjort {b.municipality.name} 1" not in html  # not shared
    assert f"Gjort {a.municipality.name} 2" not in html  # not shared
    assert "Ikke delt med regionen" in html
    assert f"Her 2 {a.municipality.name}" not in html
    assert 'data-testid="plan-versions"' in html
    xlsx = client.get(reverse("programs:region_report_export", kwargs={"rp_id": seeded.region.pk}))
    wb = load_workbook(io.BytesIO(xlsx.content))
    text = " ".join(str(c) for ws in wb for row in ws.iter_rows(values_only=True) for c in row if c)
    assert f"Gjort {a.municipality.name} 1" in text
    assert f"Gjort {b.municipality.name} 1" not in text
    assert f"Her 2 {a.municipality.name}" not in text
    assert SECRET_NOTE not in text
    assert client.get(reverse("programs:region_report", kwargs={"rp_id": other.region.pk})).status_code == 404
    assert (
        client.get(reverse("programs:region_report_export", kwargs={"rp_id": other.region.pk})).status_code
        == 404
    )
    assert client.get(reverse("programs:edition_report", kwargs={"pk": program.pk})).status_code == 404
    assert client.get(reverse("programs:edition_report_export", kwargs={"pk": program.pk})).status_code == 404


@pytest.mark.parametrize("who", ["contact", "advisor"])
def test_municipal_contacts_and_advisors_do_not_reach_the_report(client, program, seeded, who):
    user = municipal_contact(seeded.towns[0]) if who == "contact" else advisor()
    client.force_login(user)
    for url in _urls(seeded, program):
        assert client.get(url).status_code == 404, url


def test_superuser_without_role_gets_404(client, program, seeded):
    assert_superuser_without_roles_gets_404(client, _urls(seeded, program))


def test_anonymous_is_sent_to_login(client, program, seeded):
    for url in _urls(seeded, program):
        response = client.get(url)
        assert response.status_code == 302
        assert "/logg-inn/" in response["Location"] or "login" in response["Location"].lower()


def test_unknown_region_is_404(client, leader):
    client.force_login(leader)
    assert client.get(reverse("programs:region_report", kwargs={"rp_id": 999999})).status_code == 404


def test_the_edition_and_region_pages_link_to_the_report(client, leader, program, seeded):
    client.force_login(leader)
    detail = client.get(reverse("programs:program_detail", kwargs={"pk": program.pk})).content.decode()
    assert reverse("programs:edition_report", kwargs={"pk": program.pk}) in detail
    assert reverse("programs:region_report", kwargs={"rp_id": seeded.region.pk}) in detail
    board = board_member(seeded.branch)
    client.force_login(board)
    page = client.get(reverse("gatherings:program", kwargs={"rp_id": seeded.region.pk})).content.decode()
    assert reverse("programs:region_report", kwargs={"rp_id": seeded.region.pk}) in page


# --- query counts ---------------------------------------------------------------------------------------


def _count_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_edition_report_query_count_is_the_same_for_1_and_20_regions(client, leader):
    small, large = ProgramFactory(), ProgramFactory()
    seed_region(small, index=0)
    for i in range(20):
        seed_region(large, index=i)
    client.force_login(leader)
    few = _count_queries(client, reverse("programs:edition_report", kwargs={"pk": small.pk}))
    many = _count_queries(client, reverse("programs:edition_report", kwargs={"pk": large.pk}))
    assert few == many
    xlsx_few = _count_queries(client, reverse("programs:edition_report_export", kwargs={"pk": small.pk}))
    xlsx_many = _count_queries(client, reverse("programs:edition_report_export", kwargs={"pk": large.pk}))
    assert xlsx_few == xlsx_many


def test_region_report_query_count_is_fixed(client, leader, program, seeded, django_assert_num_queries):
    from programs.models import MunicipalGroup
    from tests.factories import MunicipalityFactory
    from tests.gatherings.factories import RegistrationFactory
    from tests.guidance.factories import AgreementFactory, SessionFactory

    client.force_login(leader)
    url = reverse("programs:region_report", kwargs={"rp_id": seeded.region.pk})
    client.get(url)
    cache.clear()  # the build's queries, not the cached page's
    with django_assert_num_queries(REGION_REPORT_QUERIES):
        client.get(url)
    # Many more municipalities, registrations and sessions in the same region: the same number of queries.
    for i in range(15):
        town = MunicipalityFactory(county=seeded.towns[0].county, name=f"Ekstra {i:02d}")
        group = MunicipalGroup.objects.create(regional_program=seeded.region, municipality=town)
        for g in (seeded.gatherings["g1"], seeded.gatherings["g2"]):
            RegistrationFactory(gathering=g, municipality=town, group=group, attended=bool(i % 2))
        SessionFactory(agreement=AgreementFactory(regional_program=seeded.region, municipality=town))
    cache.clear()  # the factories write no audit row: nothing tells the cache the data changed
    with django_assert_num_queries(REGION_REPORT_QUERIES):
        response = client.get(url)
    assert "Ekstra 14" in response.content.decode()


def test_names_in_the_long_tables_are_escaped_on_both_report_pages(client, leader, program, seeded):
    """The heat map, the municipalities' table, the hours table and chart are written in Python: a name with
    markup must come out as text, as the template engine would write it."""
    from programs.models import MunicipalGroup
    from tests.factories import MunicipalityFactory
    from tests.gatherings.factories import RegistrationFactory
    from tests.guidance.factories import AgreementFactory, SessionFactory

    town = MunicipalityFactory(county=seeded.towns[0].county, name='Ås <b>"fet"</b>')
    group = MunicipalGroup.objects.create(regional_program=seeded.region, municipality=town)
    RegistrationFactory(gathering=seeded.gatherings["g1"], municipality=town, group=group, attended=True)
    SessionFactory(agreement=AgreementFactory(regional_program=seeded.region, municipality=town))
    client.force_login(leader)
    for url in (
        reverse("programs:region_report", kwargs={"rp_id": seeded.region.pk}),
        reverse("programs:edition_report", kwargs={"pk": program.pk}),
    ):
        html = client.get(url).content.decode()
        assert "<b>" not in html
        # the heat map's row, the municipalities' table, the hours table, the hours chart's label
        assert html.count("Ås &lt;b&gt;&quot;fet&quot;&lt;/b&gt;") >= 4


def test_hand_in_texts_keep_their_line_breaks_and_show_markup_as_text(client, leader, seeded):
    from gatherings.models import HandIn

    HandIn.objects.filter(done__startswith="Gjort").update(learned="Første linje\nAndre <i>linje</i>")
    client.force_login(leader)
    html = client.get(reverse("programs:region_report", kwargs={"rp_id": seeded.region.pk})).content.decode()
    assert "<td>Første linje<br>Andre &lt;i&gt;linje&lt;/i&gt;</td>" in html
    assert "<i>linje" not in html


# Session, user and roles (4), the region with its branches (2), the cache's data stamp (1), the report
# itself (15, the decisions' dates for the timeline among them).
REGION_REPORT_QUERIES = 22


def test_a_branch_shared_by_two_regions_counts_its_interest_in_both(program, seeded):
    from tests.factories import RegionalProgramFactory

    neighbour = RegionalProgramFactory(program=program, branches=[seeded.branch], name="Naboregion")
    report = _build(program)
    counts = {r["region"].name: r["interested"] for r in report.participation["regions"]}
    assert counts == {"Naboregion": 3, "Region 01": 3}
    assert neighbour.pk in [r.pk for r in report.regions]


def test_an_edition_without_regions_shows_an_empty_report(client, leader):
    empty = ProgramFactory()
    client.force_login(leader)
    response = client.get(reverse("programs:edition_report", kwargs={"pk": empty.pk}))
    assert response.status_code == 200
    assert "0 kommuner meldt inn av fylkesavdelingene, 0 søkte, 0 ble tatt opp." in response.content.decode()
    xlsx = client.get(reverse("programs:edition_report_export", kwargs={"pk": empty.pk}))
    assert xlsx.status_code == 200


def test_hand_ins_not_yet_due_are_not_missing(program, seeded):
    g2 = seeded.gatherings["g2"]
    g2.between_work_due = timezone.now() + dt.timedelta(days=3)
    g2.save(update_fields=["between_work_due"])
    report = _build(program)
    assert report.hand_ins["missing"] == []
    assert report.hand_ins["gatherings"][1]["missing"] == 0


def test_branch_filter_on_the_edition_page_and_its_xlsx(client, leader, program, seeded):
    other = seed_region(program, index=2)
    client.force_login(leader)
    query = {"avdeling": other.branch.pk}
    html = client.get(reverse("programs:edition_report", kwargs={"pk": program.pk}), query).content.decode()
    assert "3 kommuner meldt inn av fylkesavdelingene, 3 søkte, 2 ble tatt opp." in html
    assert other.branch.name in html
    assert "Kommune 01-A" not in html
    assert f"rapport.xlsx?avdeling={other.branch.pk}" in html
    xlsx = client.get(reverse("programs:edition_report_export", kwargs={"pk": program.pk}), query)
    rows = list(load_workbook(io.BytesIO(xlsx.content))["Deltakelse"].iter_rows(min_row=2, values_only=True))
    assert {r[0] for r in rows} == {"Region 02"}


def test_xlsx_keeps_text_as_typed_and_never_a_formula(client, leader, seeded):
    from gatherings.models import HandIn

    HandIn.objects.filter(gathering=seeded.gatherings["g1"], group=seeded.groups[0]).update(
        done='=HYPERLINK("http://x")\x07'
    )
    client.force_login(leader)
    xlsx = client.get(reverse("programs:region_report_export", kwargs={"rp_id": seeded.region.pk}))
    ws = load_workbook(io.BytesIO(xlsx.content))["Mellomarbeid"]
    cell = next(r[4] for r in ws.iter_rows(min_row=2) if str(r[4].value).startswith("=HYPERLINK"))
    assert cell.value == '=HYPERLINK("http://x")'
    assert cell.data_type == "s"


def test_region_page_lists_the_late_and_missing_hand_ins_and_the_plans_side_by_side(client, leader, seeded):
    """These lists and the plans are written by report_tags: what they say on the page, with dates."""
    from django.template.defaultfilters import date as date_filter

    client.force_login(leader)
    html = client.get(reverse("programs:region_report", kwargs={"rp_id": seeded.region.pk})).content.decode()
    a, b = seeded.groups
    g1, g2 = seeded.gatherings["g1"], seeded.gatherings["g2"]
    due = date_filter(timezone.localtime(g1.between_work_due), "DATETIME_FORMAT")
    assert f"<li>{b.municipality.name} – Samling 1: Forankring: levert " in html
    assert f"(frist {due})</li>" in html
    missing_due = date_filter(timezone.localtime(g2.between_work_due or g2.ends_at))
    assert f"<li>{b.municipality.name} – Samling 2: Struktur (frist {missing_due})</li>" in html
    assert html.count('data-testid="plan"') == 2
    assert f"<td>Her 1 {a.municipality.name}</td><td>Her 2 {a.municipality.name}</td>" in html
    assert "Planen har bare én versjon i perioden." in html  # B's plan


# --- figures that must agree with each other (the usability test's findings) ------------------------------


def test_hand_ins_expect_only_what_is_due_and_tell_the_rest_apart(client, leader, program, seeded):
    """«14 av 25 levert; 1 mangler» counted gatherings whose deadline is ahead as expected: handed in + missing
    must be what is expected, and what is not due yet is told apart."""
    from gatherings.models import Gathering, HandIn

    a, b = seeded.groups
    g3 = seeded.gatherings["g3"]
    g3.between_work = "Gjør enda mer"
    g3.between_work_due = timezone.now() + dt.timedelta(days=45)
    g3.save(update_fields=["between_work", "between_work_due"])
    HandIn.objects.create(gathering=g3, group=a, done="Tidlig", submitted_at=timezone.now())
    report = _build(program)
    h = report.hand_ins
    now = timezone.now()
    due = Gathering.objects.filter(regional_program=seeded.region, between_work_due__lt=now).exclude(
        status="cancelled"
    )
    handed_in_due = HandIn.objects.filter(gathering__in=due, submitted_at__isnull=False).count()
    assert h["expected"] == due.count() * len(seeded.groups) == 4
    assert h["submitted"] == handed_in_due == 3
    assert h["submitted"] + len(h["missing"]) == h["expected"]
    assert (h["not_due"], h["not_due_submitted"]) == (2, 1)
    block = next(p for p in h["gatherings"] if p["gathering"].pk == g3.pk)
    assert (block["is_due"], block["missing"], block["submitted"]) == (False, 0, 1)

    client.force_login(leader)
    html = client.get(reverse("programs:region_report", kwargs={"rp_id": seeded.region.pk})).content.decode()
    assert (
        "3 av 4 mellomarbeid med passert frist levert; 1 levert etter fristen, 1 mangler. "
        "2 ikke forfalt ennå (1 levert allerede)."
    ) in html
    # The semester ahead holds only g3: nothing is due in it, so nothing is missing.
    html = client.get(
        reverse("programs:region_report", kwargs={"rp_id": seeded.region.pk}), {"semester": "høst"}
    ).content.decode()
    assert (
        "0 av 0 mellomarbeid med passert frist levert; 0 levert etter fristen, 0 mangler. "
        "2 ikke forfalt ennå (1 levert allerede)."
    ) in html
    edition = client.get(reverse("programs:edition_report", kwargs={"pk": program.pk})).content.decode()
    assert '<td class="text-end">ikke forfalt</td>' in edition


def test_attendance_per_sector_adds_up_and_agrees_with_the_grid(client, leader, program, seeded):
    """«Kulturskole 25 / Møtte 21 / Møtte ikke 0»: those whose attendance nobody recorded were in no column.
    Every sector row, and the grid, is registered = attended + absent + not recorded, counted from the rows."""
    from django.db.models import Q

    a, b = seeded.groups
    g1, g2 = seeded.gatherings["g1"], seeded.gatherings["g2"]
    # B's one person at g2: nobody recorded whether they came.
    Registration.objects.create(
        gathering=g2,
        municipality=b.municipality,
        group=b,
        name="Uført",
        email="ufort@example.org",
        sector="kulturskole",
        status=RegistrationStatus.ATTENDING,
        attended=None,
    )
    report = _build(program)
    grid = report.attendance["regions"][0]
    held = Registration.objects.filter(gathering__in=[g1, g2])
    counted = held.filter(Q(status=RegistrationStatus.ATTENDING) | Q(attended=True))
    for s in grid["sectors"]:
        assert s["registered"] == s["attended"] + s["absent"] + s["unrecorded"]
    kulturskole = next(s for s in grid["sectors"] if s["label"] == "Kulturskole")
    rows = counted.filter(sector="kulturskole")
    assert (
        (kulturskole["registered"], kulturskole["attended"], kulturskole["absent"], kulturskole["unrecorded"])
        == (
            rows.count(),
            rows.filter(attended=True).count(),
            rows.filter(attended=False).count(),
            rows.filter(attended__isnull=True).count(),
        )
        == (5, 3, 1, 1)
    )
    # The grid's sum, its columns and the sectors are the same figures.
    assert (grid["registered"], grid["attended"], grid["absent"], grid["unrecorded"]) == (6, 3, 2, 1)
    for key in ("registered", "attended", "absent", "unrecorded"):
        assert grid[key] == sum(s[key] for s in grid["sectors"])
        assert grid[key] == sum(c[key] for c in grid["columns"] if c["past"])
        assert grid[key] == sum(r[key] for r in grid["rows"])
    cell = grid["rows"][1]["cells"][1]  # B at g2
    assert (cell["state"], cell["registered"], cell["unrecorded"], cell["rate"]) == ("unrecorded", 1, 1, None)

    client.force_login(leader)
    html = client.get(reverse("programs:region_report", kwargs={"rp_id": seeded.region.pk})).content.decode()
    assert (
        "3 av 6 påmeldte møtte på samlingene som har vært (50 %). 2 møtte ikke. For 1 er oppmøtet ikke ført."
        in html
    )
    assert (
        '<tr><th scope="row">Kulturskole</th><td class="text-end">5</td><td class="text-end">3</td>'
        '<td class="text-end">1</td><td class="text-end">1</td>'
    ) in html
    assert '<td class="state-unrecorded">0 / 1 <span class="small">(ikke ført)</span></td>' in html


def test_a_semester_filter_never_hides_an_agreement_over_its_frame(client, leader, seeded):
    """Kinn showed «8,0 / 8,0 (100 %)» for a semester while 169 % over in all: the hours in the period are
    shown, and the share and «over rammen» are of all the agreement's sessions."""
    from guidance.models import GuidanceAgreement

    a, b = seeded.groups
    agreement = GuidanceAgreement.objects.get(municipality=b.municipality)
    # 11 hours before the semester «vår» began: B's 10 hours were spent before the period.
    from tests.guidance.factories import SessionFactory

    SessionFactory(
        agreement=agreement, duration_minutes=660, held_on=timezone.localdate() - dt.timedelta(days=150)
    )
    total = sum(
        GuidanceSession.objects.filter(agreement=agreement).values_list("duration_minutes", flat=True)
    )
    assert total == 690
    regions = report_regions(region_id=seeded.region.pk)
    semesters = report_semesters(regions=regions)
    spring = next(s for s in semesters if s["name"] == "vår")
    report = report_build(
        program=seeded.region.program,
        regions=regions,
        semesters=semesters,
        period=Period(start=spring["starts_on"], end=spring["ends_on"], label="vår"),
    )
    row = next(r for r in report.guidance["regions"][0]["rows"] if r["municipality"] == b.municipality.name)
    assert (row["used_minutes"], row["total_minutes"], row["percent"], row["state"]) == (
        30,
        total,
        115,
        "over",
    )
    assert report.guidance["over"] == 1

    client.force_login(leader)
    url = reverse("programs:region_report", kwargs={"rp_id": seeded.region.pk})
    html = client.get(url, {"semester": "vår"}).content.decode()
    assert "Brukt totalt" in html
    assert (
        f'<th scope="row">{b.municipality.name}</th>\n      <td class="text-end">10,0</td><td class="text-end">0,5</td>'
        '<td class="text-end">1</td><td class="text-end">11,5</td><td class="text-end">115 % '
        '<span class="badge badge-over">over rammen</span></td>'
    ) in html
    assert "I perioden: brukt 3,0 timer i 3 møter. Hele avtalene: brukt 14,0 av 30,0 avtalte timer." in html
    assert "1 kommune er over rammen." in html
    # Without a filter the same warning, with the whole agreement's hours.
    html = client.get(url).content.decode()
    assert '115 % <span class="badge badge-over">over rammen</span>' in html
    assert "Brukt totalt" not in html
    xlsx = client.get(
        reverse("programs:region_report_export", kwargs={"rp_id": seeded.region.pk}), {"semester": "vår"}
    )
    rows = list(load_workbook(io.BytesIO(xlsx.content))["Veiledning"].iter_rows(min_row=2, values_only=True))
    line = next(r for r in rows if r[1] == b.municipality.name)
    assert (float(line[3]), float(line[5]), line[6]) == (0.5, 11.5, 115)


def test_the_xlsx_file_name_names_the_filter(client, leader, program, seeded):
    other = seed_region(program, index=2)
    client.force_login(leader)
    region_url = reverse("programs:region_report_export", kwargs={"rp_id": seeded.region.pk})
    edition_url = reverse("programs:edition_report_export", kwargs={"pk": program.pk})

    def name(url, query=None):
        response = client.get(url, query or {})
        assert response.status_code == 200
        return response["Content-Disposition"]

    assert name(region_url) == 'attachment; filename="rapport-region-01.xlsx"'
    assert name(region_url, {"semester": "høst"}) == 'attachment; filename="rapport-region-01-host.xlsx"'
    day = timezone.localdate()
    assert name(region_url, {"fra": day.isoformat()}) == (
        f'attachment; filename="rapport-region-01-fra-{day.isoformat()}.xlsx"'
    )
    assert name(region_url, {"fra": "2026-01-01", "til": "2026-06-30"}) == (
        'attachment; filename="rapport-region-01-2026-01-01-til-2026-06-30.xlsx"'
    )
    assert name(edition_url) == f'attachment; filename="rapport-{program.slug}.xlsx"'
    branch = other.branch.short_name.lower().replace(" ", "-")
    assert name(edition_url, {"avdeling": other.branch.pk, "semester": "vår"}) == (
        f'attachment; filename="rapport-{program.slug}-{branch}-var.xlsx"'
    )


def test_a_session_dated_after_today_is_counted_and_said(client, leader, seeded):
    """Saved before a date after today was refused: its hours count against the frame like the others (they were
    logged), and the report says how many such dates there are, for the advisor to correct. Nothing is changed."""
    from guidance.models import GuidanceAgreement
    from tests.guidance.factories import SessionFactory

    agreement = GuidanceAgreement.objects.get(municipality=seeded.groups[0].municipality)
    ahead = SessionFactory(
        agreement=agreement, duration_minutes=60, held_on=timezone.localdate() + dt.timedelta(days=40)
    )
    report = _build(seeded.region.program, region=seeded.region)
    g = report.guidance
    assert g["future_sessions"] == 1
    assert (g["used_minutes"], g["sessions"]) == (180 + 60, 3 + 1)

    cache.clear()
    client.force_login(leader)
    html = client.get(reverse("programs:region_report", kwargs={"rp_id": seeded.region.pk})).content.decode()
    assert "Brukt 4,0 av 30,0 avtalte timer i 4 møter." in html
    assert (
        "1 møte har dato i fremtiden (ført før det ble sperret). Det er talt med i timene; "
        "veilederen må rette datoen."
    ) in html
    assert GuidanceSession.objects.get(pk=ahead.pk).held_on == ahead.held_on

    GuidanceSession.objects.filter(pk=ahead.pk).update(held_on=timezone.localdate())
    cache.clear()
    html = client.get(reverse("programs:region_report", kwargs={"rp_id": seeded.region.pk})).content.decode()
    assert "dato i fremtiden" not in html
