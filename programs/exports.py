"""CSV and XLSX of the interest registrations, with Norwegian column names, Oslo times and no live formulas."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from core.dates import date_display, datetime_display

from .timing import OSLO

# A spreadsheet treats a cell starting with these as a formula (CSV/DDE injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """Text that a spreadsheet shows as text: a leading formula character gets a quote in front."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def xlsx_append(sheet, values) -> None:
    """One row of an XLSX sheet. Text is stored as text exactly as typed: no apostrophe (that is CSV's
    defence; in XLSX a phone number would show as '+4712345678), and a leading = or + stays a string, never
    a formula. Characters XML cannot hold are dropped."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    values = [ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in values]
    sheet.append(values)
    for cell, value in zip(sheet[sheet.max_row], values, strict=True):
        if isinstance(value, str):
            cell.data_type = "s"


def _headers() -> list[str]:
    return [
        _("Fylkesavdeling"),
        _("Fylker"),
        _("Status"),
        _("Kommuner"),
        _("Antall kommuner"),
        _("Kontaktperson"),
        _("E-post"),
        _("Telefon"),
        _("Ønsker dialogmøte"),
        _("Forslag til tidspunkt"),
        _("Tema for dialogmøte"),
        _("Kommentar"),
        _("Frist"),
        _("Sist endret"),
        _("Sist endret av"),
        _("Årsmøtevedtak"),
    ]


def _decision_text(decision) -> str:
    if decision is None:
        return ""
    verdict = _("Deltar") if decision.participates else _("Deltar ikke")
    return f"{verdict} ({date_display(decision.meeting_date)})"


def _naive_oslo(value) -> dt.datetime | None:
    return timezone.localtime(value, OSLO).replace(tzinfo=None) if value else None


def interest_values(rows) -> list[list]:
    """One line per active branch (unanswered too), with real types: text, int, naive Oslo datetimes."""
    table = []
    for row in rows:
        reg = row.registration
        municipalities = [m.name for m in reg.municipalities.all()] if reg else []
        table.append(
            [
                row.branch.name,
                ", ".join(c.name for c in row.branch.counties.all()),
                row.status_label,
                ", ".join(municipalities),
                len(municipalities),
                reg.contact_name if reg else "",
                reg.contact_email if reg else "",
                reg.contact_phone if reg else "",
                (_("Ja") if reg.dialogue_meeting_wanted else _("Nei")) if reg else "",
                reg.dialogue_meeting_times if reg else "",
                reg.dialogue_meeting_topic if reg else "",
                reg.comment if reg else "",
                _naive_oslo(row.deadline),
                _naive_oslo(reg.updated_at) if reg else None,
                (reg.updated_by.get_full_name() if reg.updated_by else "") if reg else "",
                _decision_text(row.decision),
            ]
        )
    return table


def _as_text(value) -> str:
    if isinstance(value, dt.datetime):
        return datetime_display(value)
    if isinstance(value, Decimal):
        return str(value).replace(".", ",")
    return safe_cell(value)


def interest_table(rows) -> list[list[str]]:
    """The same lines as text, already made safe for spreadsheets (for CSV)."""
    return [[_as_text(v) for v in line] for line in interest_values(rows)]


def interest_csv(rows) -> bytes:
    buffer = io.StringIO()
    # Semicolons and a BOM so Excel with Norwegian settings opens it with the right columns and letters.
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(_headers())
    writer.writerows(interest_table(rows))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def interest_xlsx(rows, *, title: str) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = _("Interessemeldinger")[:31]
    ws.append(_headers())
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for line in interest_values(rows):
        xlsx_append(ws, line)
        for cell, value in zip(ws[ws.max_row], line, strict=True):
            if isinstance(value, dt.datetime):
                cell.number_format = "DD.MM.YYYY HH:MM"
    ws.freeze_panes = "A2"
    for i, header in enumerate(_headers(), start=1):
        ws.column_dimensions[get_column_letter(i)].width = max(12, min(40, len(header) + 4))
    wb.properties.title = title[:250]
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- any table (shared by the apps' exports) ----------------------------------------------------------


def table_csv(headers: list[str], rows: list[list], *, preamble: list[list] | None = None) -> bytes:
    """Semicolon CSV with a BOM (Excel with Norwegian settings), every cell made safe for spreadsheets.
    Decimals are written with a decimal comma (12,5), as the UI shows them.

    `preamble`: lines above the table that say what it is (e.g. the gathering and its date), then a blank line.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_MINIMAL)
    if preamble:
        writer.writerows([[_as_text(v) for v in line] for line in preamble])
        writer.writerow([])
    writer.writerow(headers)
    writer.writerows([[_as_text(v) for v in line] for line in rows])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def table_xlsx(
    headers: list[str], rows: list[list], *, sheet: str, title: str = "", preamble: list[list] | None = None
) -> bytes:
    """One sheet, bold frozen header; text stays text (no formulas), numbers stay numbers, Oslo times.

    `preamble`: lines above the table that say what it is (e.g. the gathering and its date), then a blank row.
    """
    return workbook_xlsx([(sheet, headers, rows)], title=title or sheet, preamble=preamble)


def tables_xlsx(headers: list[str], sheets: list[tuple[str, list[list]]], *, title: str) -> bytes:
    """Several sheets with the same header."""
    return workbook_xlsx([(sheet, headers, rows) for sheet, rows in sheets], title=title)


class Month(dt.date):
    """A date that stands for its month: written to XLSX as «august 2026» (still a date, so it sorts and filters)."""

    @classmethod
    def of(cls, value: dt.date) -> Month:
        return cls(value.year, value.month, 1)


# The month's name in Norwegian (locale 414) whatever the language of the spreadsheet program.
MONTH_FORMAT = "[$-414]mmmm yyyy"


def _xlsx_row(ws, number: int, original: list) -> None:
    """One row: text as typed (no CSV apostrophe, see `xlsx_append`) without the characters XML cannot hold,
    stored as text so a leading "=" is never a formula; dates as dates (a `Month` as its month); decimals (hours)
    as numbers."""
    for column, value in enumerate(original, start=1):
        # Cell by cell: ws[row] and ws.max_row scan every cell of the sheet and make a long sheet quadratic.
        cell = ws.cell(row=number, column=column)
        if isinstance(value, str):
            cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
            cell.data_type = "s"
        elif isinstance(value, Decimal):
            cell.value = float(value)
            cell.number_format = "0.0"
        else:
            cell.value = value
            if isinstance(value, Month):
                cell.number_format = MONTH_FORMAT
            elif isinstance(value, dt.datetime):
                cell.number_format = "DD.MM.YYYY HH:MM"
            elif isinstance(value, dt.date):
                cell.number_format = "DD.MM.YYYY"


def workbook_xlsx(
    sheets: list[tuple[str, list[str], list[list]]], *, title: str, preamble: list[list] | None = None
) -> bytes:
    """Several sheets of (name, headers, rows), each like `table_xlsx`, each with the preamble (if any) above."""
    wb = Workbook()
    wb.remove(wb.active)
    for sheet, headers, rows in sheets:
        ws = wb.create_sheet(sheet[:31])
        number = 1
        for line in preamble or []:
            _xlsx_row(ws, number, line)
            number += 1
        if preamble:
            ws.cell(row=1, column=1).font = Font(bold=True)
            number += 1  # a blank row between what the table is and the table
        header_row = number
        for column, header in enumerate(headers, start=1):
            ws.cell(row=header_row, column=column, value=header).font = Font(bold=True)
        for number, line in enumerate(rows, start=header_row + 1):
            _xlsx_row(ws, number, line)
        ws.freeze_panes = f"A{header_row + 1}"
        for i, header in enumerate(headers, start=1):
            ws.column_dimensions[get_column_letter(i)].width = max(12, min(40, len(header) + 4))
    wb.properties.title = title[:250]
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def export_filename(*parts: str, ext: str) -> str:
    """A download's name from readable parts: «Vestland – Sunnfjord og Nordfjord», «2026-12-02» →
    «vestland-sunnfjord-og-nordfjord-2026-12-02.csv». Norwegian letters become æ→ae, ø→o, å→a (never ids)."""
    from .forms import name_slug

    table = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "Æ": "Ae", "Ø": "O", "Å": "A"})
    slug = "-".join(filter(None, (name_slug(str(p).translate(table)) for p in parts)))
    return f"{slug or 'eksport'}.{ext}"
