"""The programme's timeline as an SVG picture: semesters as bands, gatherings as marks, today as a line.

Positions are computed here so the template only draws; the same data is listed as text beside it. Every
label is kept inside the drawing: a label near an edge moves inward instead of being cut off.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import formats, timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from core.dates import date_display

WIDTH = 1000
LEFT = 10
RIGHT = 990
MARK_FONT = 16  # px, as in templates/gatherings/partials/timeline.html
BAND_FONT = 18
EDGE = 2  # px kept free at either edge of the drawing
# Today's line runs from below the marks' date labels (baselines 30 and 46) to just below the semester bands
# (58–82), so it crosses no text (a semester's name has its baseline at 100): a line through a date label near
# today made the label unreadable. Its «i dag» stands below, at 124.
TODAY_LINE_TOP = 52
TODAY_LINE_BOTTOM = 86
# A generous average glyph width (digits and letters of a sans-serif are narrower): a label estimated with it
# fits when drawn.
GLYPH = 0.6


def label_width(text: str, font_size: float) -> float:
    return len(text) * font_size * GLYPH


def centred_label_x(x: float, text: str, font_size: float) -> float:
    """Where to put a label centred on `x` (text-anchor middle) so that all of it is inside the drawing."""
    half = label_width(text, font_size) / 2
    return round(min(max(x, half + EDGE), WIDTH - half - EDGE), 1)


def start_label_x(x: float, text: str, font_size: float) -> float:
    """Where to start a label (text-anchor start) at `x`, moved left if it would run past the right edge."""
    return round(max(EDGE, min(x, WIDTH - label_width(text, font_size) - EDGE)), 1)


@dataclass
class Mark:
    x: float
    label: str
    date: dt.date
    day_label: str
    label_x: float
    kind: str
    cancelled: bool
    row: int


def timeline(*, semesters, gatherings, today: dt.date | None = None) -> dict | None:
    today = today or timezone.localdate()
    dates = [s.starts_on for s in semesters] + [s.ends_on for s in semesters]
    dates += [timezone.localtime(g.starts_at).date() for g in gatherings]
    if not dates:
        return None
    start, end = min(dates), max(dates)
    start -= dt.timedelta(days=7)
    end += dt.timedelta(days=7)
    span = max(1, (end - start).days)

    def x(day: dt.date) -> float:
        return round(LEFT + (RIGHT - LEFT) * (day - start).days / span, 1)

    bands = [
        {
            "x": x(s.starts_on),
            "width": max(2.0, x(s.ends_on) - x(s.starts_on)),
            "label": s.name,
            "label_x": start_label_x(x(s.starts_on) + 4, s.name, BAND_FONT),
            "index": i,
        }
        for i, s in enumerate(semesters)
    ]
    marks = []
    for i, g in enumerate(gatherings):
        day = timezone.localtime(g.starts_at).date()
        day_label = formats.date_format(day, "j.n.")
        marks.append(
            Mark(
                x=x(day),
                label=g.display_title,
                date=day,
                day_label=day_label,
                label_x=centred_label_x(x(day), day_label, MARK_FONT),
                kind=g.kind,
                cancelled=g.is_cancelled,
                row=i % 2,
            )
        )
    today_x = x(today) if start <= today <= end else None
    today_label = _("i dag")
    drawing = {
        "bands": bands,
        "marks": marks,
        "today_x": today_x,
        "today_label": today_label,
        "today_label_x": centred_label_x(today_x, today_label, MARK_FONT) if today_x is not None else None,
        "today": today,
        "width": WIDTH,
    }
    drawing["svg"] = svg(drawing)
    return drawing


BAND_FILLS = ("#e7dfcf", "#d7e3f0", "#e3ecd9")


def svg(drawing: dict) -> SafeString:
    """The <svg> element of templates/gatherings/partials/timeline.html, written in one pass: a template loop
    over the marks cost more than the rest of the region's page."""
    cancelled = f" ({escape(_('avlyst'))})"
    desc = [f"{escape(b['label'])}. " for b in drawing["bands"]]
    bands = []
    for b in drawing["bands"]:
        bands.append(
            f'\n    <rect x="{b["x"]}" y="58" width="{b["width"]}" height="24" '
            f'fill="{BAND_FILLS[b["index"] % 3]}" stroke="#6c757d"/>'
            f'\n    <text x="{b["label_x"]}" y="100" font-size="18" fill="#212529">{escape(b["label"])}</text>\n    '
        )
    marks = []
    for m in drawing["marks"]:
        title = f"{escape(m.label)}, {escape(date_display(m.date))}{cancelled if m.cancelled else ''}"
        desc.append(f"{title}. ")
        if m.kind == "pre":
            shape = (
                f'<rect x="{m.x}" y="62" width="12" height="12" transform="translate(-6,0)" fill="#8a5a00"/>'
                "\n      "
            )
        else:
            fill = "#fff" if m.cancelled else "#5a1a2c"
            shape = f'<circle cx="{m.x}" cy="70" r="7" fill="{fill}" stroke="#5a1a2c" stroke-width="2"/>'
        marks.append(
            f"\n    <g>\n      <title>{title}</title>\n      {shape}"
            f'\n      <text x="{m.label_x}" y="{46 if m.row else 30}" font-size="16" text-anchor="middle" '
            f'fill="#212529">{escape(m.day_label)}</text>\n    </g>\n    '
        )
    today = ""
    if drawing["today_x"] is not None:
        desc.append(escape(_("I dag er %(today)s.") % {"today": date_display(drawing["today"])}))
        tx = drawing["today_x"]
        today = (
            f'\n    <line x1="{tx}" y1="{TODAY_LINE_TOP}" x2="{tx}" y2="{TODAY_LINE_BOTTOM}" stroke="#0b3d91" '
            'stroke-width="2" '
            'stroke-dasharray="4 3"/>'
            f'\n    <text x="{drawing["today_label_x"]}" y="124" font-size="16" text-anchor="middle" '
            f'fill="#0b3d91">{escape(drawing["today_label"])}</text>\n    '
        )
    return mark_safe(  # noqa: S308 - every text above is escaped
        f'<svg viewBox="0 0 {drawing["width"]} 130" width="100%" role="img" '
        'aria-labelledby="timeline-title timeline-desc" preserveAspectRatio="xMidYMid meet" class="timeline-svg">'
        f'\n    <title id="timeline-title">{escape(_("Tidslinje for det regionale programmet"))}</title>'
        f'\n    <desc id="timeline-desc">{"".join(desc)}</desc>'
        '\n    <line x1="10" y1="70" x2="990" y2="70" stroke="#495057" stroke-width="2"/>'
        f"\n    {''.join(bands)}\n    {''.join(marks)}\n    {today}\n  </svg>"
    )
