"""The participant list of a gathering as CSV and XLSX (through the shared table helpers)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from core.dates import date_display, datetime_display
from programs.exports import table_csv, table_xlsx
from programs.forms import name_slug

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


def when_display(gathering) -> str:
    start, end = timezone.localtime(gathering.starts_at), timezone.localtime(gathering.ends_at)
    if start.date() == end.date():
        return f"{datetime_display(start)}–{end:%H:%M}"
    return f"{date_display(start)}–{date_display(end)}"


def _preamble(gathering) -> list[list]:
    return [
        [_("Deltakere: %(title)s") % {"title": gathering.display_title}],
        [_("Tid"), when_display(gathering)],
        [_("Regionalt program"), gathering.regional_program.name],
    ]


def participants_filename(gathering, fmt: str) -> str:
    """«deltakere-samling-4-ekstra-samling-2026-12-16.xlsx»: what and when, never a database id."""
    day = timezone.localdate(gathering.starts_at).isoformat()
    title = name_slug(transliterate(gathering.display_title))[:60].strip("-") or "samling"
    return f"deltakere-{title}-{day}.{fmt}"


def participants_csv(registrations, *, gathering, sectors: dict, with_needs: bool) -> bytes:
    return table_csv(
        _headers(with_needs), _rows(list(registrations), sectors, with_needs), preamble=_preamble(gathering)
    )


def participants_xlsx(registrations, *, gathering, sectors: dict, with_needs: bool) -> bytes:
    return table_xlsx(
        _headers(with_needs),
        _rows(list(registrations), sectors, with_needs),
        sheet=_("Deltakere"),
        title=gathering.display_title,
        preamble=_preamble(gathering),
    )


def transliterate(text: str) -> str:
    """Norwegian letters kept readable in a file name (slugify would drop æ and ø)."""
    for a, b in (("æ", "ae"), ("Æ", "Ae"), ("ø", "o"), ("Ø", "O"), ("å", "a"), ("Å", "A")):
        text = text.replace(a, b)
    return text
