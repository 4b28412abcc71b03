"""The report as XLSX: one sheet per section, real numbers and dates (through the shared workbook helper)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from ..exports import Month, workbook_xlsx
from ..timing import OSLO
from .selectors import PLAN_FIELDS, Report


def _naive(value):
    """openpyxl takes no time zones: Oslo wall time, dates stay dates."""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value, OSLO).replace(tzinfo=None)
    return value


def _yes(flag: bool) -> str:
    return _("Ja") if flag else _("Nei")


def _participation(report: Report):
    p = report.participation
    headers = [
        _("Regionalt program"),
        _("Kommune"),
        _("Meldt interesse"),
        _("Søkte"),
        _("Søknadsstatus"),
        _("Søknad sendt"),
        _("Tatt opp"),
        _("Medlemmer i kommunegruppen"),
        *p["sector_labels"],
    ]
    rows = []
    for region in p["regions"]:
        for r in region["rows"]:
            rows.append(
                [
                    region["region"].name,
                    r["municipality"],
                    _yes(r["interested"]),
                    _yes(r["applied"]),
                    r["status_label"],
                    _naive(r["submitted_at"]),
                    _yes(r["accepted"]),
                    r["members"],
                    *[r["sectors"].get(code, 0) for code in p["sector_codes"]],
                ]
            )
    return (_("Deltakelse"), headers, rows)


def _attendance(report: Report):
    headers = [
        _("Regionalt program"),
        _("Kommune"),
        _("Samling"),
        _("Dato"),
        _("Påmeldt"),
        _("Møtte"),
        _("Påmeldt, men møtte ikke"),
        _("Oppmøte ikke ført"),
        _("Oppmøte (%)"),
        _("Merknad"),
    ]
    ahead = _("Ikke holdt ennå")
    rows = []
    for region in report.attendance["regions"]:
        for line in region["rows"]:
            for col, cell in zip(region["columns"], line["cells"], strict=True):
                g = col["gathering"]
                # As on the screen: a gathering not yet held has registrations only, no attendance to record.
                held = cell["past"]
                rows.append(
                    [
                        region["region"].name,
                        line["municipality"],
                        g.display_title,
                        timezone.localtime(g.starts_at).date(),
                        cell["registered"],
                        cell["attended"] if held else None,
                        cell["absent"] if held else None,
                        cell["unrecorded"] if held else None,
                        cell["rate"],
                        "" if held else ahead,
                    ]
                )
    return (_("Oppmøte"), headers, rows)


def _guidance(report: Report):
    headers = [
        _("Regionalt program"),
        _("Kommune"),
        _("Avtalte timer"),
        _("Brukte timer i perioden"),
        _("Møter i perioden"),
        _("Brukte timer i hele avtalen"),
        _("Brukt av avtalt, hele avtalen (%)"),
        _("Takket nei"),
    ]
    rows = [
        [
            region["region"].name,
            r["municipality"],
            r["agreed_hours"],
            r["used_hours"],
            r["sessions"],
            r["total_hours"],
            r["percent"],
            r["declined_on"],
        ]
        for region in report.guidance["regions"]
        for r in region["rows"]
    ]
    return (_("Veiledning"), headers, rows)


def _themes(report: Report):
    headers = [_("Tema"), _("Timer (møter med flere tema delt likt)"), _("Møter")]
    rows = [[t["label"], t["hours"], t["sessions"]] for t in report.guidance["themes"]]
    return (_("Veiledning per tema"), headers, rows)


def _months(report: Report):
    headers = [_("Måned"), _("Møter"), _("Timer")]
    rows = [[Month.of(m["month"]), m["sessions"], m["hours"]] for m in report.guidance["months"]]
    return (_("Veiledning per måned"), headers, rows)


def _hand_ins(report: Report):
    headers = [
        _("Samling"),
        _("Dato"),
        _("Kommune"),
        _("Status"),
        _("Gjort"),
        _("Lært"),
        _("Lurt"),
        _("Delt i regionen"),
        _("Levert etter fristen"),
        _("Levert"),
    ]
    rows = []
    for block in report.hand_ins["gatherings"]:
        g = block["gathering"]
        for h in block["items"]:
            rows.append(
                [
                    g.display_title,
                    timezone.localtime(g.starts_at).date(),
                    h["group__municipality__name"],
                    _("Levert (ikke delt, teksten vises ikke)") if h.get("withheld") else _("Levert"),
                    h["done"],
                    h["learned"],
                    h["next_steps"],
                    _yes(h["shared_with_region"]),
                    _yes(h["is_late"]),
                    _naive(h["submitted_at"]),
                ]
            )
    for m in report.hand_ins["missing"]:
        g = m["gathering"]
        rows.append(
            [g.display_title, timezone.localtime(g.starts_at).date(), m["municipality"], _("Mangler")]
            + ["", "", "", "", "", None]
        )
    return (_("Mellomarbeid"), headers, rows)


def _plans(report: Report):
    labels = [
        _("Hvor er vi?"),
        _("Hvor vil vi?"),
        _("Hvordan kommer vi oss dit?"),
        _("Utviklingsområder"),
        _("Effektmål"),
    ]
    # A board member's report names the versions only: the plans' text is for leadership (and guidance).
    fields = PLAN_FIELDS if report.all_texts else ()
    labels = labels if report.all_texts else []
    headers = [_("Regionalt program"), _("Kommune"), _("Antall versjoner")]
    for which in (_("Første"), _("Siste")):
        headers += [f"{which}: {_('versjon')}", f"{which}: {_('skrevet')}"] + [
            f"{which}: {label}" for label in labels
        ]
    rows = []
    for p in report.plans:
        line = [p["region"], p["municipality"], p["revision_count"]]
        for rev in (p["first"], p["latest"]):
            line += [rev["number"], _naive(rev["created_at"])] + [rev[f] for f in fields]
        rows.append(line)
    return (_("Utviklingsplaner"), headers, rows)


def _timeline(report: Report):
    headers = [_("Dato"), _("Hendelse"), _("Regionalt program"), _("Avlyst")]
    rows = [[e["date"], e["label"], e["region"], _yes(e["cancelled"])] for e in report.timeline]
    return (_("Tidslinje"), headers, rows)


def report_xlsx(report: Report, *, title: str) -> bytes:
    return workbook_xlsx(
        [
            _participation(report),
            _attendance(report),
            _guidance(report),
            _themes(report),
            _months(report),
            _hand_ins(report),
            _plans(report),
            _timeline(report),
        ],
        title=title,
    )
