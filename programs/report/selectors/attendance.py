"""Attendance at the gatherings: the heat map per municipality and gathering, and per sector.

Every figure is of the same rows: the registered (answered "attending", or came anyway from the waiting list)
split into those who came, those marked as not coming, and those whose attendance nobody has recorded, so
registered = attended + absent + not recorded in every cell, row, column, sector and total."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from gatherings.models import Gathering, GatheringStatus, Registration, RegistrationStatus

from ...models import Sector
from .common import percent


def heat_level(rate: int | None) -> int:
    """0–4 for the heat map's colour classes; the cell also says the numbers in text."""
    if rate is None:
        return 0
    return min(4, 1 + rate // 25) if rate else 1


def _cell(registered: int, attended: int, absent: int, unrecorded: int, past: bool) -> dict:
    """One heat-map cell: its state, figures and colour level."""
    if attended:
        state = "attended"
    elif registered and not past:
        state = "registered"
    elif absent:
        state = "absent"
    elif registered:
        state = "unrecorded"  # has been, but nobody has recorded who came: no colour, no rate
    else:
        state = "none"
    rate = percent(attended, registered) if past and state != "unrecorded" else None
    return {
        "state": state,
        "registered": registered,
        "attended": attended,
        "absent": absent,
        "unrecorded": unrecorded,
        "rate": rate,
        "level": heat_level(rate) if state not in ("none", "unrecorded") else 0,
        "past": past,
    }


def report_attendance(regions, ids, in_branch, groups, gatherings, period, now) -> dict:
    live = [g for g in gatherings if g.status != GatheringStatus.CANCELLED]
    live_ids = Gathering.objects.filter(period.q("starts_at__date"), regional_program_id__in=ids).exclude(
        status=GatheringStatus.CANCELLED
    )
    attending = Q(status=RegistrationStatus.ATTENDING)
    counts = dict(
        # Whoever came counts as registered too (from the waiting list, say): the parts add up to the whole.
        registered=Count("pk", filter=attending | Q(attended=True)),
        came=Count("pk", filter=Q(attended=True)),  # not `attended`: that name is the field
        absent=Count("pk", filter=attending & Q(attended=False)),
        unrecorded=Count("pk", filter=attending & Q(attended__isnull=True)),
    )
    # Per gathering: municipality → (registered, attended, absent, not recorded); the municipalities' names
    # apart.
    cells_of: dict[int, dict[int, tuple[int, int, int, int]]] = defaultdict(dict)
    cell_names: dict[int, str] = {}
    for c in (
        Registration.objects.filter(in_branch("municipality"), gathering__in=live_ids.values("pk"))
        .values("gathering_id", "municipality_id", "municipality__name")
        .annotate(**counts)
        .order_by()
    ):
        cells_of[c["gathering_id"]][c["municipality_id"]] = (
            c["registered"],
            c["came"],
            c["absent"],
            c["unrecorded"],
        )
        cell_names[c["municipality_id"]] = c["municipality__name"]
    by_sector = [
        {**s, "attended": s["came"]}
        for s in Registration.objects.filter(in_branch("municipality"), gathering__in=live_ids.values("pk"))
        .filter(gathering__starts_at__lt=now)
        .values("gathering__regional_program_id", "sector")
        .annotate(**counts)
        .order_by()
    ]
    sector_labels = dict(Sector.choices)
    # One (read-only) cell dict per distinct figure and tense, shared by every cell that shows the same: the
    # grid has a cell per municipality and gathering (thousands in an edition).
    shared: dict[tuple[tuple[int, int, int, int], bool], dict] = {}

    def shared_cell(figures: tuple[int, int, int, int], past: bool) -> dict:
        cell = shared.get((figures, past))
        if cell is None:
            cell = shared[figures, past] = _cell(*figures, past)
        return cell

    empty = (0, 0, 0, 0)
    per_region = []
    for region in regions:
        own = [g for g in live if g.regional_program_id == region.pk]
        municipalities = {
            g["municipality_id"]: g["municipality__name"]
            for g in groups
            if g["regional_program_id"] == region.pk
        }
        columns = []
        # Per column: the cells that have registrations (by municipality) and the cell of every other one.
        column_cells = []
        # Per municipality: the figures of the gatherings that have been, for the row's sums.
        past_figures: dict[int, list[tuple[int, int, int, int]]] = defaultdict(list)
        for g in own:
            past = g.starts_at < now
            figures_of = cells_of.get(g.pk, {})
            # Municipalities that came without a group (a pre-gathering) have a row too.
            for mid in figures_of:
                municipalities.setdefault(mid, cell_names[mid])
            column_cells.append(
                ({mid: shared_cell(f, past) for mid, f in figures_of.items()}, shared_cell(empty, past))
            )
            if past:
                for mid, f in figures_of.items():
                    past_figures[mid].append(f)
            columns.append(
                {
                    "gathering": g,
                    "past": past,
                    "registered": sum(f[0] for f in figures_of.values()),
                    "attended": sum(f[1] for f in figures_of.values()),
                    "absent": sum(f[2] for f in figures_of.values()),
                    "unrecorded": sum(f[3] for f in figures_of.values()),
                }
            )
        past_count = sum(1 for c in columns if c["past"])
        rows = []
        for mid, name in sorted(municipalities.items(), key=lambda kv: kv[1]):
            figures = past_figures.get(mid, ())
            line_registered = sum(f[0] for f in figures)
            line_attended = sum(f[1] for f in figures)
            rows.append(
                {
                    "municipality": name,
                    "cells": [by_municipality.get(mid, other) for by_municipality, other in column_cells],
                    "registered": line_registered,
                    "attended": line_attended,
                    "absent": sum(f[2] for f in figures),
                    "unrecorded": sum(f[3] for f in figures),
                    "rate": percent(line_attended, line_registered),
                    # Gatherings that have been with nobody registered from the municipality.
                    "missed": past_count - sum(1 for f in figures if f[0] or f[1]),
                }
            )
        for col in columns:
            col["rate"] = percent(col["attended"], col["registered"]) if col["past"] else None
        past = [c for c in columns if c["past"]]
        sectors = []
        known = {code for code, _label in Sector.choices}
        for code, label in Sector.choices + [("", _("Ikke oppgitt"))]:
            # A sector that is not (or no longer) one of the choices counts as not given: no row is left out.
            hits = [
                s
                for s in by_sector
                if s["gathering__regional_program_id"] == region.pk
                and (s["sector"] if s["sector"] in known else "") == code
            ]
            if not hits:
                continue
            registered = sum(s["registered"] for s in hits)
            attended = sum(s["attended"] for s in hits)
            if not registered and not attended:
                continue
            sectors.append(
                {
                    "label": str(sector_labels.get(code, label)),
                    "registered": registered,
                    "attended": attended,
                    "absent": sum(s["absent"] for s in hits),
                    "unrecorded": sum(s["unrecorded"] for s in hits),
                    "rate": percent(attended, registered),
                }
            )
        registered = sum(c["registered"] for c in past)
        attended = sum(c["attended"] for c in past)
        per_region.append(
            {
                "region": region,
                "columns": columns,
                "rows": rows,
                "sectors": sectors,
                "registered": registered,
                "attended": attended,
                "absent": sum(c["absent"] for c in past),
                "unrecorded": sum(c["unrecorded"] for c in past),
                "rate": percent(attended, registered),
            }
        )
    registered = sum(r["registered"] for r in per_region)
    attended = sum(r["attended"] for r in per_region)
    return {
        "regions": per_region,
        "registered": registered,
        "attended": attended,
        "absent": sum(r["absent"] for r in per_region),
        "unrecorded": sum(r["unrecorded"] for r in per_region),
        "rate": percent(attended, registered),
        "cancelled": [g for g in gatherings if g.status == GatheringStatus.CANCELLED],
    }
