"""Geometry of the report's inline SVG charts, computed here so the templates only draw.

Every chart is followed by a table with the same numbers; the SVG is a picture of that table."""

from __future__ import annotations

from django.utils import formats
from django.utils.translation import gettext as _

WIDTH = 640
LABEL = 190  # room for the labels left of the bars
BAR_SPACE = WIDTH - LABEL - 70  # and for the number right of them


def _w(value: float, top: float) -> float:
    return round(BAR_SPACE * value / top, 1) if top else 0.0


def funnel(totals: dict) -> dict:
    """Interest → applied → accepted as three centred bars, narrowing like a funnel."""
    steps = [
        (_("Meldt interesse"), totals["interested"]),
        (_("Søkte"), totals["applied"]),
        (_("Tatt opp"), totals["accepted"]),
    ]
    top = max((v for _l, v in steps), default=0) or 1
    bars = []
    for i, (label, value) in enumerate(steps):
        width = max(2.0, round((WIDTH - 40) * value / top, 1))
        bars.append(
            {
                "label": label,
                "value": value,
                "x": round((WIDTH - width) / 2, 1),
                "y": 10 + i * 44,
                "width": width,
            }
        )
    return {"bars": bars, "height": 10 + len(steps) * 44}


def hours_bars(rows: list[dict]) -> dict:
    """Used against agreed hours per municipality: a pale bar for the frame, a dark one for what was used."""
    top = max((max(r["agreed_minutes"], r["used_minutes"]) for r in rows), default=0) or 60
    bars = []
    # Hours repeat across rows: each figure formatted once (a Decimal by its digits: 1.0 and 1.00 differ).
    written: dict[tuple[type, str], str] = {}

    def hours(value) -> str:
        key = (value.__class__, str(value))
        if key not in written:
            written[key] = formats.number_format(value)
        return written[key]

    for i, r in enumerate(rows):
        used_w = _w(r["used_minutes"], top)
        agreed_w = _w(r["agreed_minutes"], top)
        bars.append(
            {
                "label": r["label"],
                "y": 6 + i * 32,
                "agreed_w": agreed_w,
                "used_w": used_w,
                "state": r.get("state", "ok"),
                "text": f"{hours(r['used_hours'])} / {hours(r['agreed_hours'])}",
                "text_x": LABEL + max(used_w, agreed_w) + 6,
            }
        )
    return {"bars": bars, "height": 12 + len(rows) * 32, "label_x": LABEL}


def month_columns(months: list[dict]) -> dict:
    """Sessions per month as columns."""
    height, bottom = 180, 150
    top = max((m["sessions"] for m in months), default=0) or 1
    step = min(60, (WIDTH - 20) / max(1, len(months)))
    cols = []
    for i, m in enumerate(months):
        h = round(110 * m["sessions"] / top, 1)
        cols.append(
            {
                "x": round(10 + i * step, 1),
                "y": bottom - h,
                "width": round(step * 0.7, 1),
                "height": h,
                "value": m["sessions"],
                "label": formats.date_format(m["month"], "M y"),
                "mid": round(10 + i * step + step * 0.35, 1),
            }
        )
    return {"cols": cols, "height": height, "bottom": bottom}
