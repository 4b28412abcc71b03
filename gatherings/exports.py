"""The participant list of a gathering as CSV and XLSX (through the shared table helpers)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from programs.exports import table_csv, table_xlsx

from .models import Registration


def _headers(with_needs: bool) -> list[str]:
    headers = [_("Kommune"), _("Navn"), _("E-post"), _("Sektor/rolle"), _("Svar"), _("Møtte")]
    if with_needs:
        headers += [_("Allergier og kosthold"), _("Tilrettelegging")]
    return headers


def _rows(registrations: list[Registration], sectors: dict, with_needs: bool) -> list[list]:
    rows = []
    attended = {True: _("Ja"), False: _("Nei"), None: ""}
    for r in registrations:
        line = [
            r.municipality.name,
            r.name,
            r.email,
            str(sectors.get(r.sector, r.sector)),
            r.get_status_display(),
            attended[r.attended],
        ]
        if with_needs:
            line += [r.dietary_needs, r.accessibility_needs]
        rows.append(line)
    return rows


def participants_csv(registrations, *, sectors: dict, with_needs: bool) -> bytes:
    return table_csv(_headers(with_needs), _rows(list(registrations), sectors, with_needs))


def participants_xlsx(registrations, *, sectors: dict, with_needs: bool, title: str) -> bytes:
    return table_xlsx(
        _headers(with_needs),
        _rows(list(registrations), sectors, with_needs),
        sheet=_("Deltakere"),
        title=title,
    )
