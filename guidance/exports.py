"""Leadership's guidance overview of a regional programme as CSV and XLSX.

One table shape for every part (municipalities, advisors, themes, declined) so the CSV is one sheet and the
XLSX one sheet per part. Hours are numbers with one decimal; nothing here ever reads an internal note.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.dates import date_display
from programs.exports import table_csv, tables_xlsx

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


def overview_csv(ov: Overview) -> bytes:
    """One sheet: the parts one after the other, told apart by the first column."""
    return table_csv(_headers(), [row for _title, rows in overview_sections(ov) for row in rows])


def overview_xlsx(ov: Overview, *, title: str) -> bytes:
    """One sheet per part."""
    return tables_xlsx(_headers(), overview_sections(ov), title=title)
