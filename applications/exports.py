"""Applications of a regional programme as CSV and XLSX, for leadership's own work and the final report."""

import csv
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from core.dates import datetime_display
from programs.exports import safe_cell, xlsx_append

from .selectors import RankedApplication


def _header() -> list[str]:
    return [
        _("Rangering"),
        _("Kommune"),
        _("Kommunenummer"),
        _("Fylke"),
        _("Status"),
        _("Sendt inn"),
        _("Vektet poengsum"),
        _("Spredning"),
        _("Antall vurderinger"),
        _("Inhabile"),
        _("Anbefaling"),
        _("Prioritet"),
        _("Hvorfor delta"),
        _("Koblinger til andre tjenester"),
        _("Forankring"),
        _("Vedtak"),
    ]


def _row(row: RankedApplication) -> list:
    a = row.application
    submitted = datetime_display(a.submitted_at)
    decision = getattr(a, "decision", None) if a.is_decided else None
    return [
        row.rank or "",
        a.municipality.name,
        a.municipality.number,
        a.municipality.county.name,
        a.get_status_display(),
        submitted,
        str(row.score).replace(".", ",") if row.score is not None else "",
        str(row.spread).replace(".", ",") if row.spread is not None else "",
        row.review_count,
        row.conflict_count,
        a.recommendation,
        a.recommendation_priority or "",
        a.motivation,
        a.development_links,
        a.anchoring,
        decision.get_outcome_display() if decision else "",
    ]


def applications_csv(rows: list[RankedApplication]) -> str:
    out = io.StringIO()
    out.write("\ufeff")  # so Excel opens the file as UTF-8 (æ, ø, å)
    writer = csv.writer(out, delimiter=";")
    writer.writerow(_header())
    for row in rows:
        writer.writerow([safe_cell(v) for v in _row(row)])
    return out.getvalue()


def applications_xlsx(rows: list[RankedApplication], *, criteria=()) -> bytes:
    """One row per application; after the common columns, the mean score per criterion."""
    criteria = list(criteria)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Søknader")
    sheet.append(_header() + [_("Snitt: %(name)s") % {"name": c.name} for c in criteria])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        values = _row(row)
        values[6] = float(row.score) if row.score is not None else None
        values[7] = float(row.spread) if row.spread is not None else None
        values += [
            float(row.criterion_means[c.pk]) if c.pk in row.criterion_means else None for c in criteria
        ]
        xlsx_append(sheet, values)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
