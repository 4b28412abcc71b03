"""The programme's timeline as an SVG picture: semesters as bands, gatherings as marks, today as a line.

Positions are computed here so the template only draws; the same data is listed as text beside it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

WIDTH = 1000
LEFT = 10
RIGHT = 990


@dataclass
class Mark:
    x: float
    label: str
    date: dt.date
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
        {"x": x(s.starts_on), "width": max(2.0, x(s.ends_on) - x(s.starts_on)), "label": s.name, "index": i}
        for i, s in enumerate(semesters)
    ]
    marks = []
    for i, g in enumerate(gatherings):
        day = timezone.localtime(g.starts_at).date()
        marks.append(
            Mark(
                x=x(day),
                label=g.display_title,
                date=day,
                kind=g.kind,
                cancelled=g.is_cancelled,
                row=i % 2,
            )
        )
    today_x = x(today) if start <= today <= end else None
    return {"bands": bands, "marks": marks, "today_x": today_x, "today": today, "width": WIDTH}
