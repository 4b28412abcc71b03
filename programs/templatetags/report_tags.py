"""The report's long tables, written in Python.

An edition's report has about 2,000 heat-map cells and several hundred municipality rows; rendered node by
node by the template engine they cost more than every query of the report together. These tags write the
same markup (escaped the same way) from the rows the selectors built; the short tables stay in the templates.
"""

from __future__ import annotations

import unicodedata
from html import escape

from django import template
from django.template.defaultfilters import date as date_filter
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.text import Truncator, normalize_newlines
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core.html import days as _days
from core.html import escaped as _e
from core.html import figures as _figures

register = template.Library()


@register.simple_tag
def heat_rows(block: dict) -> str:
    """The heat map's body for one region: a row per municipality, a cell per gathering, the row's sum."""
    n = _figures()
    none_cell = (
        '<span aria-hidden="true">–</span><span class="visually-hidden">' + _e(_("ikke påmeldt")) + "</span>"
    )
    absent = '<span class="visually-hidden"> ' + _e(_("møtte ikke")) + "</span>"
    unrecorded = ' <span class="small">(' + _e(_("ikke ført")) + ")</span>"
    registered = _("%(n)s påmeldt")  # as {% blocktranslate %}: the value escaped, the text as translated
    # The selector shares one cell dict between the cells that show the same figures: each written once.
    written: dict[int, str] = {}

    def cell_html(cell: dict) -> str:
        # Centred by the stylesheet (.heatmap tbody td); level 0 has no colour of its own, so no class.
        level = f"heat-{cell['level']} " if cell["level"] else ""
        html = f'<td class="{level}state-{cell["state"]}">'
        if cell["state"] == "none":
            html += none_cell
        elif cell["past"]:
            html += n(cell["attended"]) + " / " + n(cell["registered"])
            if cell["state"] == "absent":
                html += absent
            elif cell["unrecorded"]:
                html += unrecorded
        else:
            html += '<span class="small">' + registered % {"n": n(cell["registered"])} + "</span>"
        return html + "</td>"

    out = []
    for line in block["rows"]:
        out.append('<tr><th scope="row">' + _e(line["municipality"]) + "</th>")
        for cell in line["cells"]:
            html = written.get(id(cell))
            if html is None:
                html = written[id(cell)] = cell_html(cell)
            out.append(html)
        rate = f" ({n(line['rate'])} %)" if line["rate"] is not None else ""
        out.append(
            '\n      <td class="text-end" data-testid="municipality-total">'
            f"{n(line['attended'])} / {n(line['registered'])}{rate}</td></tr>"
        )
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped


@register.simple_tag
def heat_columns(block: dict) -> str:
    """The heat map's column headings: each gathering with its day."""
    day = _days()
    return mark_safe(  # noqa: S308 - every value is escaped
        "".join(
            f'<th scope="col" class="text-center">{_e(c["gathering"].display_title)}<br>'
            f'<span class="fw-normal small">{day(c["gathering"].starts_at)}</span></th>'
            for c in block["columns"]
        )
    )


@register.simple_tag
def heat_totals(block: dict) -> str:
    """The heat map's sums per gathering (those still ahead: how many are registered)."""
    n = _figures()
    registered = _("%(n)s påmeldt")
    out = []
    for c in block["columns"]:
        if c["past"]:
            rate = f" ({n(c['rate'])} %)" if c["rate"] is not None else ""
            text = f"{n(c['attended'])} / {n(c['registered'])}{rate}"
        else:
            text = registered % {"n": n(c["registered"])}
        out.append(f'<td class="text-center" data-testid="gathering-total">{text}</td>')
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped


def _lines(text: str) -> str:
    """As `|linebreaksbr`: escaped, every line break a <br>."""
    return escape(normalize_newlines(text)).replace("\n", "<br>")


@register.simple_tag
def hand_in_rows(items: list[dict]) -> str:
    """One gathering's hand-ins: done – learned – next, or a note that the text stays with the group."""
    shared = (
        '<br><span class="badge text-bg-info" data-testid="shared-mark">'
        + _e(_("Delt i regionen"))
        + "</span>"
    )
    late = '<br><span class="badge text-bg-warning">' + _e(_("For sent")) + "</span>"
    withheld = (
        '<td colspan="3" class="fst-italic">'
        + _e(_("Ikke delt med regionen: teksten vises bare for programledelsen og veilederne."))
        + "</td>\n      "
    )
    out = []
    for item in items:
        out.append(
            ('<tr class="shared">' if item["shared_with_region"] else "<tr>")
            + f'<th scope="row">{_e(item["group__municipality__name"])}'
            + (shared if item["shared_with_region"] else "")
            + (late if item["is_late"] else "")
            + "</th>\n      "
        )
        if item.get("withheld"):
            out.append(withheld)
        else:
            out.append(
                f"<td>{_lines(item['done'])}</td><td>{_lines(item['learned'])}</td>"
                f"<td>{_lines(item['next_steps'])}</td>"
            )
        out.append("</tr>")
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped


@register.simple_tag
def participation_rows(participation: dict, region) -> str:
    """The municipalities' table: interest, application and the group's size (with the region on an edition)."""
    n = _figures()
    yes, no = _e(_("Ja")), _e(_("Nei"))
    out = []
    for r in participation["regions"]:
        region_cell = "" if region else "<td>" + _e(r["region"].name) + "</td>"
        for m in r["rows"]:
            out.append(
                f'<tr>{region_cell}<th scope="row">{_e(m["municipality"])}</th>'
                f"<td>{yes if m['interested'] else no}</td><td>{_e(m['status_label'] or '–')}</td>"
                f'<td class="text-end">{n(m["members"])}</td></tr>'
            )
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped


@register.simple_tag
def guidance_rows(guidance: dict, region) -> str:
    """Agreed and used hours per municipality (a declined agreement says so, with what was used before). With a
    period, the hours used in the period and then the agreement's hours used in all: the share and the "over the
    frame" mark are always of the whole agreement."""
    n = _figures()
    with_total = guidance.get("period_set", False)
    over = ' <span class="badge badge-over">' + _e(_("over rammen")) + "</span>"
    declined = _("Takket nei %(d)s")
    out = []
    for g in guidance["regions"]:
        region_cell = "" if region else "<td>" + _e(g["region"].name) + "</td>"
        for r in g["rows"]:
            out.append(f'<tr>{region_cell}<th scope="row">{_e(r["municipality"])}</th>\n      ')
            if r["state"] == "declined":
                used = f" · {n(r['used_hours'])} t / {n(r['sessions'])}" if r["sessions"] else ""
                day = _e(date_filter(r["declined_on"]))
                span = 5 if with_total else 4
                out.append(f'<td colspan="{span}">' + declined % {"d": day} + used + "</td>\n      ")
            else:
                percent = f"{n(r['percent'])} %" if r["percent"] is not None else "–"
                out.append(
                    f'<td class="text-end">{n(r["agreed_hours"])}</td><td class="text-end">{n(r["used_hours"])}</td>'
                    f'<td class="text-end">{n(r["sessions"])}</td>'
                    + (f'<td class="text-end">{n(r["total_hours"])}</td>' if with_total else "")
                    + f'<td class="text-end">{percent}'
                    f"{over if r['state'] == 'over' else ''}</td>"
                )
            out.append("</tr>")
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped


def _short(label: str) -> str:
    """As `Truncator(label).chars(30)`: a label of 30 characters or fewer is never cut (only normalised)."""
    return unicodedata.normalize("NFC", label) if len(label) <= 30 else Truncator(label).chars(30)


@register.simple_tag
def hours_bars(chart: dict) -> str:
    """The bars of the hours chart (charts.hours_bars computed where they go)."""
    n = _figures()
    x = n(chart["label_x"])
    out = []
    for bar in chart["bars"]:
        out.append(
            f'<g transform="translate(0 {n(bar["y"])})">\n'
            f'        <text x="0" y="16" class="bar-label">{_e(_short(bar["label"]))}</text>\n'
            f'        <rect class="bar-agreed" x="{x}" y="2" width="{bar["agreed_w"]:.1f}" height="12"/>\n'
            f'        <rect class="bar-used bar-{_e(bar["state"])}" x="{x}" y="14" width="{bar["used_w"]:.1f}" '
            'height="12"/>\n'
            f'        <text x="{bar["text_x"]:.1f}" y="25" class="bar-value">{_e(bar["text"])}</text>\n'
            "      </g>"
        )
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped


@register.simple_tag
def plan_version_rows(plans: list[dict], region) -> str:
    """The plans' first and latest version with their dates (the table shown without the plan texts)."""
    n = _figures()
    day = _days()
    out = []
    for p in plans:
        region_cell = "" if region else "<td>" + _e(p["region"]) + "</td>"
        first, latest = p["first"], p["latest"]
        out.append(
            f'<tr>{region_cell}<th scope="row">{_e(p["municipality"])}</th>'
            f"<td>{n(first['number'])} ({day(first['created_on'])})</td>"
            f"<td>{n(latest['number'])} ({day(latest['created_on'])})</td>"
            f'<td class="text-end">{n(p["revision_count"])}</td></tr>'
        )
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped


@register.simple_tag
def timeline_rows(events: list[dict], region) -> str:
    """The dated events, one row each (the picture above them is the gatherings app's)."""
    cancelled = ' <span class="badge text-bg-secondary">' + _e(_("Avlyst")) + "</span>"
    day = _days()
    out = []
    for e in events:
        region_cell = "" if region else "<td>" + _e(e["region"] or "–") + "</td>"
        out.append(
            f'<tr class="event-{_e(e["kind"])}"><td>{day(e["date"])}</td>'
            f'<th scope="row">{_e(e["label"])}{cancelled if e["cancelled"] else ""}</th>{region_cell}</tr>'
        )
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped


# The plan's questions in order (translated when written), each with what an empty answer shows.
_PLAN_QUESTIONS = (
    (gettext_noop("Hvor er vi?"), "where_we_are", ""),
    (gettext_noop("Hvor vil vi?"), "where_we_want_to_go", ""),
    (gettext_noop("Hvordan kommer vi oss dit?"), "how_we_get_there", ""),
    (gettext_noop("Utviklingsområder"), "development_areas", "–"),
    (gettext_noop("Effektmål"), "effect_goals", "–"),
)


@register.simple_tag
def plan_compare(plans: list[dict], region) -> str:
    """Each plan's first and latest version side by side, the texts with their line breaks (a region's report
    for leadership: a hundred-odd cells of text per region)."""
    n = _figures()
    day = _days()
    only_one = '<p class="small">' + _e(_("Planen har bare én versjon i perioden.")) + "</p>"
    question = _e(_("Spørsmål"))
    caption = _("Første og siste versjon av utviklingsplanen til %(m)s")
    version = _("Versjon %(n)s (%(d)s)")
    labels = [(_e(_(label)), field, empty) for label, field, empty in _PLAN_QUESTIONS]
    out = []
    for p in plans:
        first, latest, same = p["first"], p["latest"], p["same"]
        out.append(
            '\n  <article class="plan-compare" data-testid="plan">\n    <h3 class="h5">'
            + _e(p["municipality"])
            + ("" if region else ' <span class="fw-normal small">(' + _e(p["region"]) + ")</span>")
            + "</h3>\n    "
            + (only_one if same else "")
            + '\n    <div class="table-responsive">\n    <table tabindex="0" class="table table-sm plan-table">\n'
            + '      <caption class="visually-hidden">'
            + caption % {"m": _e(p["municipality"])}
            + "</caption>\n"
            + '      <thead><tr><th scope="col"><span class="visually-hidden">'
            + question
            + "</span></th>\n"
            + '        <th scope="col">'
            + version % {"n": n(first["number"]), "d": day(first["created_on"])}
            + "</th>\n        "
            + (
                ""
                if same
                else '<th scope="col">'
                + version % {"n": n(latest["number"]), "d": day(latest["created_on"])}
                + "</th>"
            )
            + "</tr></thead>\n      <tbody>\n"
        )
        for label, field, empty in labels:
            out.append(
                f'        <tr><th scope="row">{label}</th><td>{_lines(first[field]) or empty}</td>'
                + ("" if same else f"<td>{_lines(latest[field]) or empty}</td>")
                + "</tr>\n"
            )
        out.append("      </tbody>\n    </table></div>\n  </article>\n  ")
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped


@register.simple_tag
def late_items(late: list[dict]) -> str:
    """The hand-ins that came after their deadline: who, after which gathering, when and the deadline."""
    text = _("levert %(at)s (frist %(due)s)")

    def at(value) -> str:
        return "" if value is None else _e(date_filter(timezone.localtime(value), "DATETIME_FORMAT"))

    return mark_safe(  # noqa: S308 - every value is escaped
        "".join(
            f"<li>{_e(item['municipality'])} – {_e(item['gathering'].display_title)}: "
            + text % {"at": at(item["submitted_at"]), "due": at(item["due"])}
            + "</li>"
            for item in late
        )
    )


@register.simple_tag
def missing_items(missing: list[dict]) -> str:
    """The hand-ins not come by their deadline: who, after which gathering, and the deadline's day."""
    text = _("frist %(due)s")
    day = _days()
    return mark_safe(  # noqa: S308 - every value is escaped
        "".join(
            f"<li>{_e(item['municipality'])} – {_e(item['gathering'].display_title)} ("
            + text % {"due": day(item["due"])}
            + ")</li>"
            for item in missing
        )
    )
