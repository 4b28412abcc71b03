import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse

from programs.exports import safe_cell
from tests.factories import CountyBranchFactory, UserFactory
from tests.programs.factories import AnnualMeetingDecisionFactory, InterestRegistrationFactory

HEADERS = [
    "Fylkesavdeling",
    "Fylker",
    "Status",
    "Kommuner",
    "Antall kommuner",
    "Kontaktperson",
    "E-post",
    "Telefon",
    "Ønsker dialogmøte",
    "Forslag til tidspunkt",
    "Tema for dialogmøte",
    "Kommentar",
    "Frist",
    "Sist endret",
    "Sist endret av",
    "Årsmøtevedtak",
]
NASTY = ['=HYPERLINK("http://evil")', "+1+2", "-2+3", "@SUM(A1)", "\tTAB", "\rCR"]


@pytest.mark.parametrize("value", NASTY)
def test_safe_cell_neutralises_formula_starts(value):
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["Vestland", "", "1-2-3 ikke formel", "e-post@example.org"])
def test_safe_cell_leaves_ordinary_text(value):
    assert safe_cell(value) == value


@pytest.fixture
def exported(client, branch_setup):
    program = branch_setup["program"]
    reg = InterestRegistrationFactory(
        program=program,
        branch=branch_setup["branch"],
        municipalities=branch_setup["members"][:2],
        contact_name="=cmd|' /C calc'!A0",
        comment="+47 er ikke en formel her",
        wants_dialogue=True,
        updated_by=branch_setup["board"],
    )
    # 12:00 UTC on 1 July is 14:00 in Oslo (summer time).
    type(reg).objects.filter(pk=reg.pk).update(updated_at=dt.datetime(2026, 7, 1, 12, 0, tzinfo=dt.UTC))
    AnnualMeetingDecisionFactory(
        program=program, branch=branch_setup["branch"], meeting_date=dt.date(2026, 10, 10)
    )
    CountyBranchFactory(name="Norsk kulturskoleråd Stille")
    client.force_login(UserFactory(leadership=True, full_name="Liv Leder"))
    return program


def test_csv_export_has_norwegian_columns_oslo_times_and_no_formulas(client, exported):
    response = client.get(reverse("programs:temperature_export", kwargs={"pk": exported.pk, "fmt": "csv"}))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == HEADERS
    by_branch = {r[0]: r for r in rows[1:]}
    row = by_branch["Norsk kulturskoleråd Testfylket"]
    assert row[2] == "Ja, vi vil delta"
    assert row[3] == "Askvoll, Kinn"
    assert row[4] == "2"
    assert row[5] == "'=cmd|' /C calc'!A0"
    assert row[8] == "Ja"
    assert row[11] == "'+47 er ikke en formel her"
    assert row[13] == "1. juli 2026 kl. 14:00"  # the one date-time format, also in exports (issue 12)
    assert row[14] == "Stian Styre"
    assert row[15] == "Deltar (10. oktober 2026)"
    assert by_branch["Norsk kulturskoleråd Stille"][2] == "Ikke svart"
    assert not any(cell.startswith(("=", "+", "-", "@")) for r in rows for cell in r)


def test_xlsx_export_has_numbers_and_dates_as_real_cells_and_text_safe(client, exported):
    response = client.get(reverse("programs:temperature_export", kwargs={"pk": exported.pk, "fmt": "xlsx"}))
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    ws = wb.active
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    assert rows[0] == HEADERS
    row = next(r for r in rows if r[0] == "Norsk kulturskoleråd Testfylket")
    # Text as typed, no CSV apostrophe; stored as a string, so Excel shows it and runs nothing.
    assert row[5] == "=cmd|' /C calc'!A0"
    assert row[11] == "+47 er ikke en formel her"
    assert row[4] == 2
    assert row[13] == dt.datetime(2026, 7, 1, 14, 0)  # noqa: DTZ001 - naive Oslo time
    assert isinstance(row[12], dt.datetime)
    line = next(r for r in ws.iter_rows(min_row=2) if r[0].value == "Norsk kulturskoleråd Testfylket")
    assert line[4].data_type == "n"
    assert line[13].is_date
    assert line[13].number_format == "DD.MM.YYYY HH:MM"
    text_cells = [c for r in ws.iter_rows(min_row=2) for c in r if isinstance(c.value, str)]
    assert all(c.data_type == "s" for c in text_cells)
    import zipfile

    sheet_xml = zipfile.ZipFile(io.BytesIO(response.content)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml  # not one formula in the file
