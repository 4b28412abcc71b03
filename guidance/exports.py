"""Leadership's guidance overview of a regional programme as CSV and XLSX.

One table shape for every part (municipalities, advisors, themes, declined) so the CSV is one sheet and the
XLSX one sheet per part. Hours are numbers with one decimal; nothing here ever reads an internal note.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from core.dates import date_display
from programs.exports import safe_cell

from .selectors import Overview


def _state_label(state: str) -> str:
    return {"over": _("Over rammen"), "near": _("Nær rammen"), "ok": _("Innenfor rammen")}.get(state, "")


def _headers() -> list[str]:
    return [
        _("Del"),
        _("Navn"),
        _("Veiledere"),
        _("Avtalte timer"),
        _("Brukte timer"),
        _("Prosent brukt"),
        _("Møter"),
        _("Status"),
        _("Merknad"),
    ]


def overview_sections(ov: Overview) -> list[tuple[str, list[list]]]:
    municipalities = [
        [
            _("Kommune"),
            a.municipality.name,
            ", ".join(p.get_full_name() for p in a.advisors.all()),
            a.agreed_hours,
            a.used_hours,
            a.percent_used,
            a.session_count,
            _state_label(a.frame_state),
            _("Periode %(start)s–%(end)s")
            % {"start": date_display(a.starts_on), "end": date_display(a.ends_on)},
        ]
        for a in ov.municipalities
    ]
    advisors = [
        [
            _("Veileder"),
            r.label,
            "",
            r.agreed_hours,
            r.used_hours,
            r.percent_used,
            r.sessions,
            _state_label(r.state) if r.agreed_minutes is not None else "",
            _("%(n)s kommuner") % {"n": r.extra.get("municipality_count", 0)},
        ]
        for r in ov.advisors
    ]
    themes = [
        [
            _("Tema"),
            r.label,
            "",
            None,
            r.used_hours,
            None,
            r.sessions,
            "",
            _("Tema i %(n)s avtaler") % {"n": r.extra.get("focus_count", 0)},
        ]
        for r in ov.themes
    ]
    declined = [
        [
            _("Takket nei"),
            a.municipality.name,
            "",
            a.agreed_hours,
            a.used_hours,
            None,
            a.session_count,
            _("Takket nei %(date)s") % {"date": date_display(a.declined_on)},
            a.declined_note,
        ]
        for a in ov.declined
    ]
    return [
        (_("Kommuner"), municipalities),
        (_("Veiledere"), advisors),
        (_("Tema"), themes),
        (_("Takket nei"), declined),
    ]


def _text(value) -> str:
    if isinstance(value, Decimal):
        return str(value).replace(".", ",")
    return safe_cell(value)


def overview_csv(ov: Overview) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(_headers())
    for _title, rows in overview_sections(ov):
        writer.writerows([[_text(v) for v in row] for row in rows])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def overview_xlsx(ov: Overview, *, title: str) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for sheet_title, rows in overview_sections(ov):
        ws = wb.create_sheet(sheet_title[:31])
        ws.append(_headers())
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in rows:
            values = [
                float(v) if isinstance(v, Decimal) else (safe_cell(v) if isinstance(v, str) else v)
                for v in row
            ]
            ws.append(values)
            for cell, value in zip(ws[ws.max_row], values, strict=True):
                if isinstance(value, str):
                    cell.data_type = "s"
                elif isinstance(value, float):
                    cell.number_format = "0.0"
        ws.freeze_panes = "A2"
    wb.properties.title = title[:250]
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
