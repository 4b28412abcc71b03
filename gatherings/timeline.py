"""The programme's timeline as an SVG picture: semesters as bands, gatherings as marks, today as a line.

Positions are computed here so the template only draws; the same data is listed as text beside it. Every
label is kept inside the drawing: a label near an edge moves inward instead of being cut off.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import formats, timezone
from django.utils.translation import gettext as _

WIDTH = 1000
LEFT = 10
RIGHT = 990
MARK_FONT = 16  # px, as in templates/gatherings/partials/timeline.html
BAND_FONT = 18
EDGE = 2  # px kept free at either edge of the drawing
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
    return {
        "bands": bands,
        "marks": marks,
        "today_x": today_x,
        "today_label": today_label,
        "today_label_x": centred_label_x(today_x, today_label, MARK_FONT) if today_x is not None else None,
        "today": today,
        "width": WIDTH,
    }
