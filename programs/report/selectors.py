"""Every figure of the report, counted and summed by the database in a fixed number of queries.

One query per kind of row for all the regions of the report together (never one per region, gathering or
municipality); Python only arranges the aggregated rows into tables. Guidance sessions are read with
`.values()` and never with their internal note: the report is shown to boards and exported.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Max, Min, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import formats, timezone
from django.utils.translation import gettext as _

# The report is the one place in `programs` that reads applications (the funnel); the models stay apart.
from applications.models import ApplicationStatus
from gatherings.models import (
    Gathering,
    GatheringKind,
    GatheringStatus,
    HandIn,
    Registration,
    RegistrationStatus,
)
from gatherings.models import Semester as GatheringSemester
from guidance.models import (
    DevelopmentPlan,
    DevelopmentPlanRevision,
    GuidanceAgreement,
    GuidanceSession,
    Theme,
    minutes_to_hours,
)
from guidance.selectors import frame_state, theme_minutes

from ..models import (
    AnnualMeetingDecision,
    InterestLevel,
    InterestRegistration,
    MunicipalGroup,
    MunicipalGroupMember,
    Program,
    RegionalProgram,
    Sector,
)


def percent(part: int | float, whole: int | float) -> int | None:
    return None if not whole else round(100 * part / whole)


# --- scope and period -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """An inclusive range of days (either end open). Applies to gatherings, sessions, hand-ins, the plans'
    latest revision and the timeline; participation is about the whole edition."""

    start: dt.date | None = None
    end: dt.date | None = None
    label: str = ""

    @property
    def is_set(self) -> bool:
        return self.start is not None or self.end is not None

    def q(self, field_name: str) -> Q:
        """For a date field, or a datetime field given as `<field>__date` (Oslo days)."""
        q = Q()
        if self.start:
            q &= Q(**{f"{field_name}__gte": self.start})
        if self.end:
            q &= Q(**{f"{field_name}__lte": self.end})
        return q

    def contains(self, day: dt.date | None) -> bool:
        if day is None:
            return False
        return (self.start is None or day >= self.start) and (self.end is None or day <= self.end)


def report_regions(*, program: Program | None = None, region_id: int | None = None) -> list[RegionalProgram]:
    """The regions of an edition (or the one region), with their edition and branches and the dates of
    their first and last decision (for the timeline)."""
    qs = (
        RegionalProgram.objects.select_related("program")
        .annotate(
            first_decision_at=Min("applications__decision__decided_at"),
            last_decision_at=Max("applications__decision__decided_at"),
        )
        .prefetch_related("branches")
        .order_by("name")
    )
    if program is not None:
        qs = qs.filter(program=program)
    if region_id is not None:
        qs = qs.filter(pk=region_id)
    return list(qs)


# --- the report -----------------------------------------------------------------------------------------


@dataclass
class Report:
    program: Program
    regions: list[RegionalProgram]
    period: Period
    branch: object | None
    participation: dict
    attendance: dict
    guidance: dict
    hand_ins: dict
    plans: list[dict]
    timeline: list[dict]
    semesters: list[dict] = field(default_factory=list)
    gatherings: list[Gathering] = field(default_factory=list)
    all_texts: bool = True
    generated_at: dt.datetime = field(default_factory=timezone.now)

    @property
    def is_edition(self) -> bool:
        return len(self.regions) != 1


def report_semesters(*, regions: list[RegionalProgram]) -> list[dict]:
    """The semesters of the regions (for the period filter and the timeline)."""
    return list(
        GatheringSemester.objects.filter(regional_program_id__in=[r.pk for r in regions])
        .order_by("starts_on", "name")
        .values("regional_program_id", "name", "starts_on", "ends_on")
    )


def report_build(
    *,
    program: Program,
    regions: list[RegionalProgram],
    semesters: list[dict],
    period: Period,
    branch=None,
    all_texts: bool = True,
    now=None,
) -> Report:
    """The whole report for these regions of the edition; `branch` narrows it to that branch's
    municipalities (and the regions it takes part in). Without `all_texts` (a board member) the texts follow
    the owning apps' read rules: only hand-ins shared with the region, and no development plan text."""
    now = now or timezone.now()
    if branch is not None:
        regions = [r for r in regions if any(b.pk == branch.pk for b in r.branches.all())]
    ids = [r.pk for r in regions]

    def in_branch(path: str) -> Q:
        return Q(**{f"{path}__county__branch_id": branch.pk}) if branch is not None else Q()

    semesters = [s for s in semesters if s["regional_program_id"] in ids]
    gatherings = list(
        Gathering.objects.filter(period.q("starts_at__date"), regional_program_id__in=ids)
        .select_related("semester", "regional_program")
        .order_by("starts_at", "id")
    )
    groups = list(
        MunicipalGroup.objects.filter(in_branch("municipality"), regional_program_id__in=ids)
        .order_by("municipality__name")
        .values("pk", "regional_program_id", "municipality_id", "municipality__name")
    )
    report = Report(
        program=program,
        regions=regions,
        period=period,
        branch=branch,
        participation=_participation(program, regions, ids, in_branch, groups),
        attendance=_attendance(regions, ids, in_branch, groups, gatherings, period, now),
        guidance=_guidance(regions, ids, in_branch, period),
        hand_ins=_hand_ins(regions, in_branch, groups, gatherings, period, now, all_texts),
        plans=_plans(regions, ids, in_branch, period, all_texts),
        all_texts=all_texts,
        timeline=_timeline(program, regions, semesters, gatherings, period, branch),
        semesters=semesters,
        gatherings=gatherings,
    )
    return report


# --- participation --------------------------------------------------------------------------------------

APPLIED_STATUSES = [s for s in ApplicationStatus.values if s != ApplicationStatus.DRAFT]


def _participation(program, regions, ids, in_branch, groups) -> dict:
    # Regions may share a branch (seed_load's overlap): a municipality the branch named counts in each.
    regions_of_branch: dict[int, list[int]] = defaultdict(list)
    for r in regions:
        for b in r.branches.all():
            regions_of_branch[b.pk].append(r.pk)
    interest = (
        InterestRegistration.municipalities.through.objects.filter(
            in_branch("municipality"),
            interestregistration__program=program,
            interestregistration__level__in=[InterestLevel.YES, InterestLevel.MAYBE],
            interestregistration__branch__regional_programs__in=ids,
        )
        .values("interestregistration__branch_id", "municipality_id", "municipality__name")
        .distinct()
    )
    applications = (
        # One filter() call: the conditions must hold for the same application row.
        RegionalProgram.objects.filter(
            in_branch("applications__municipality"), pk__in=ids, applications__status__in=APPLIED_STATUSES
        ).values(
            "pk",
            "applications__municipality_id",
            "applications__municipality__name",
            "applications__status",
            "applications__submitted_at",
        )
    )
    members = (
        MunicipalGroupMember.objects.filter(
            in_branch("group__municipality"), group__regional_program_id__in=ids
        )
        .values("group__regional_program_id", "group__municipality_id", "sector")
        .annotate(n=Count("pk"))
        .order_by()
    )
    rows: dict[tuple[int, int], dict] = {}

    def row(region_id, municipality_id, name):
        return rows.setdefault(
            (region_id, municipality_id),
            {
                "region_id": region_id,
                "municipality": name,
                "interested": False,
                "applied": False,
                "status": "",
                "status_label": "",
                "submitted_at": None,
                "accepted": False,
                "group": False,
                "members": 0,
                "sectors": defaultdict(int),
            },
        )

    for r in interest:
        for region_id in regions_of_branch.get(r["interestregistration__branch_id"], []):
            row(region_id, r["municipality_id"], r["municipality__name"])["interested"] = True
    labels = dict(ApplicationStatus.choices)
    for a in applications:
        line = row(a["pk"], a["applications__municipality_id"], a["applications__municipality__name"])
        line["applied"] = True
        line["status"] = a["applications__status"]
        line["status_label"] = str(labels.get(a["applications__status"], ""))
        line["submitted_at"] = a["applications__submitted_at"]
        line["accepted"] = a["applications__status"] == ApplicationStatus.ACCEPTED
    for g in groups:
        row(g["regional_program_id"], g["municipality_id"], g["municipality__name"])["group"] = True
    names = {(g["regional_program_id"], g["municipality_id"]): g["municipality__name"] for g in groups}
    sector_totals: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for m in members:
        key = (m["group__regional_program_id"], m["group__municipality_id"])
        line = row(*key, names.get(key, ""))
        line["members"] += m["n"]
        line["sectors"][m["sector"]] += m["n"]
        sector_totals[key[0]][m["sector"]] += m["n"]

    per_region = []
    for region in regions:
        lines = sorted((v for k, v in rows.items() if k[0] == region.pk), key=lambda v: v["municipality"])
        per_region.append(
            {
                "region": region,
                "rows": lines,
                "interested": sum(1 for v in lines if v["interested"]),
                "applied": sum(1 for v in lines if v["applied"]),
                "accepted": sum(1 for v in lines if v["accepted"]),
                "groups": sum(1 for v in lines if v["group"]),
                "members": sum(v["members"] for v in lines),
                "sectors": [sector_totals[region.pk].get(code, 0) for code, _label in Sector.choices],
            }
        )
    totals = {
        key: sum(r[key] for r in per_region)
        for key in ("interested", "applied", "accepted", "groups", "members")
    }
    totals["sectors"] = [sum(r["sectors"][i] for r in per_region) for i in range(len(Sector.choices))]
    return {
        "regions": per_region,
        "totals": totals,
        "sector_labels": [str(label) for _code, label in Sector.choices],
        "sector_codes": [code for code, _label in Sector.choices],
    }


# --- attendance -----------------------------------------------------------------------------------------


def heat_level(rate: int | None) -> int:
    """0–4 for the heat map's colour classes; the cell also says the numbers in text."""
    if rate is None:
        return 0
    return min(4, 1 + rate // 25) if rate else 1


def _attendance(regions, ids, in_branch, groups, gatherings, period, now) -> dict:
    live = [g for g in gatherings if g.status != GatheringStatus.CANCELLED]
    live_ids = Gathering.objects.filter(period.q("starts_at__date"), regional_program_id__in=ids).exclude(
        status=GatheringStatus.CANCELLED
    )
    counts = dict(
        registered=Count("pk", filter=Q(status=RegistrationStatus.ATTENDING)),
        came=Count("pk", filter=Q(attended=True)),  # not `attended`: that name is the field
        absent=Count("pk", filter=Q(status=RegistrationStatus.ATTENDING, attended=False)),
    )
    cells = {
        (c["gathering_id"], c["municipality_id"]): {**c, "attended": c["came"]}
        for c in Registration.objects.filter(in_branch("municipality"), gathering__in=live_ids.values("pk"))
        .values("gathering_id", "municipality_id", "municipality__name")
        .annotate(**counts)
        .order_by()
    }
    by_sector = [
        {**s, "attended": s["came"]}
        for s in Registration.objects.filter(in_branch("municipality"), gathering__in=live_ids.values("pk"))
        .filter(gathering__starts_at__lt=now)
        .values("gathering__regional_program_id", "sector")
        .annotate(**counts)
        .order_by()
    ]
    sector_labels = dict(Sector.choices)
    per_region = []
    for region in regions:
        own = [g for g in live if g.regional_program_id == region.pk]
        own_ids = {g.pk for g in own}
        municipalities = {
            g["municipality_id"]: g["municipality__name"]
            for g in groups
            if g["regional_program_id"] == region.pk
        }
        # Municipalities that came without a group (a pre-gathering) have a row too.
        for (gid, mid), c in cells.items():
            if gid in own_ids:
                municipalities.setdefault(mid, c["municipality__name"])
        columns = [
            {"gathering": g, "past": g.starts_at < now, "registered": 0, "attended": 0, "absent": 0}
            for g in own
        ]
        rows = []
        for mid, name in sorted(municipalities.items(), key=lambda kv: kv[1]):
            line = {"municipality": name, "cells": [], "registered": 0, "attended": 0, "absent": 0}
            for col in columns:
                g = col["gathering"]
                c = cells.get((g.pk, mid), {"registered": 0, "attended": 0, "absent": 0})
                if c["attended"]:
                    state = "attended"
                elif c["registered"]:
                    state = "absent" if col["past"] else "registered"
                else:
                    state = "none"
                rate = percent(c["attended"], c["registered"]) if col["past"] else None
                line["cells"].append(
                    {
                        "state": state,
                        "registered": c["registered"],
                        "attended": c["attended"],
                        "absent": c["absent"],
                        "rate": rate,
                        "level": heat_level(rate) if state != "none" else 0,
                        "past": col["past"],
                    }
                )
                if col["past"]:
                    for key in ("registered", "attended", "absent"):
                        line[key] += c[key]
                for key in ("registered", "attended", "absent"):
                    col[key] += c[key]
            line["rate"] = percent(line["attended"], line["registered"])
            line["missed"] = sum(1 for cell in line["cells"] if cell["past"] and cell["state"] == "none")
            rows.append(line)
        for col in columns:
            col["rate"] = percent(col["attended"], col["registered"]) if col["past"] else None
        past = [c for c in columns if c["past"]]
        sectors = []
        for code, label in Sector.choices + [("", _("Ikke oppgitt"))]:
            hits = [
                s
                for s in by_sector
                if s["gathering__regional_program_id"] == region.pk and s["sector"] == code
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
                "rate": percent(attended, registered),
            }
        )
    registered = sum(r["registered"] for r in per_region)
    attended = sum(r["attended"] for r in per_region)
    return {
        "regions": per_region,
        "registered": registered,
        "attended": attended,
        "rate": percent(attended, registered),
        "cancelled": [g for g in gatherings if g.status == GatheringStatus.CANCELLED],
    }


# --- guidance -------------------------------------------------------------------------------------------


def _guidance(regions, ids, in_branch, period) -> dict:
    in_period = period.q("sessions__held_on")
    agreements = list(
        GuidanceAgreement.objects.filter(in_branch("municipality"), regional_program_id__in=ids)
        .values("pk", "regional_program_id", "municipality__name", "agreed_hours", "declined_on")
        .annotate(
            used_minutes=Coalesce(Sum("sessions__duration_minutes", filter=in_period), Value(0)),
            session_count=Count("sessions", filter=in_period),
        )
        .order_by("municipality__name")
    )
    sessions = GuidanceSession.objects.filter(
        period.q("held_on"), in_branch("agreement__municipality"), agreement__regional_program_id__in=ids
    )
    by_theme = theme_minutes(sessions=sessions)
    months = list(
        sessions.annotate(month=TruncMonth("held_on"))
        .values("month")
        .annotate(sessions=Count("pk"), minutes=Sum("duration_minutes"))
        .order_by("month")
    )
    per_region = []
    for region in regions:
        rows = []
        for a in agreements:
            if a["regional_program_id"] != region.pk:
                continue
            agreed_minutes = int((a["agreed_hours"] or Decimal(0)) * 60)
            declined = a["declined_on"] is not None
            rows.append(
                {
                    "municipality": a["municipality__name"],
                    "agreed_minutes": 0 if declined else agreed_minutes,
                    "agreed_hours": Decimal(0) if declined else minutes_to_hours(agreed_minutes),
                    "used_minutes": a["used_minutes"],
                    "used_hours": minutes_to_hours(a["used_minutes"]),
                    "sessions": a["session_count"],
                    "declined_on": a["declined_on"],
                    "percent": None if declined else percent(a["used_minutes"], agreed_minutes),
                    "state": "declined" if declined else frame_state(a["used_minutes"], agreed_minutes),
                }
            )
        agreed = sum(r["agreed_minutes"] for r in rows)
        used = sum(r["used_minutes"] for r in rows)
        per_region.append(
            {
                "region": region,
                "rows": rows,
                "agreed_minutes": agreed,
                "used_minutes": used,
                "agreed_hours": minutes_to_hours(agreed),
                "used_hours": minutes_to_hours(used),
                "sessions": sum(r["sessions"] for r in rows),
                "percent": percent(used, agreed),
            }
        )
    themes = []
    for code, label in Theme.choices:
        minutes, count = by_theme.get(code, (0.0, 0))
        themes.append(
            {
                "code": code,
                "label": str(label),
                "minutes": minutes,
                "hours": minutes_to_hours(minutes),
                "sessions": count,
            }
        )
    agreed = sum(r["agreed_minutes"] for r in per_region)
    used = sum(r["used_minutes"] for r in per_region)
    return {
        "regions": per_region,
        "themes": themes,
        "theme_total_hours": minutes_to_hours(sum(t["minutes"] for t in themes)),
        "months": [
            {
                "month": m["month"],
                "label": formats.date_format(m["month"], "YEAR_MONTH_FORMAT"),
                "sessions": m["sessions"],
                "minutes": m["minutes"] or 0,
                "hours": minutes_to_hours(m["minutes"]),
            }
            for m in months
        ],
        "agreed_minutes": agreed,
        "used_minutes": used,
        "agreed_hours": minutes_to_hours(agreed),
        "used_hours": minutes_to_hours(used),
        "sessions": sum(r["sessions"] for r in per_region),
        "percent": percent(used, agreed),
    }


# --- between-work hand-ins ------------------------------------------------------------------------------


def expects_hand_in(gathering: Gathering) -> bool:
    """Between-work follows the gatherings that give a task or a deadline for it (never a pre-gathering)."""
    return (
        gathering.kind != GatheringKind.PRE_GATHERING
        and gathering.status != GatheringStatus.CANCELLED
        and bool(gathering.between_work or gathering.between_work_due)
    )


def _hand_ins(regions, in_branch, groups, gatherings, period, now, all_texts) -> dict:
    expected = [g for g in gatherings if expects_hand_in(g)]
    ids = Gathering.objects.filter(
        period.q("starts_at__date"), regional_program_id__in=[r.pk for r in regions]
    ).exclude(status=GatheringStatus.CANCELLED)
    handed = {
        (h["gathering_id"], h["group_id"]): h
        for h in HandIn.objects.filter(in_branch("group__municipality"), gathering__in=ids.values("pk"))
        .filter(submitted_at__isnull=False)
        .values(
            "gathering_id",
            "group_id",
            "group__municipality__name",
            "done",
            "learned",
            "next_steps",
            "shared_with_region",
            "is_late",
            "submitted_at",
        )
        .order_by("group__municipality__name")
    }
    per_gathering, late, missing = [], [], []
    for g in expected:
        own_groups = [gr for gr in groups if gr["regional_program_id"] == g.regional_program_id]
        due = g.between_work_due or g.ends_at
        items = []
        for gr in own_groups:
            h = handed.get((g.pk, gr["pk"]))
            if h is not None and not all_texts and not h["shared_with_region"]:
                # Counted, but its text stays with the group, leadership and the advisors.
                h = {**h, "done": "", "learned": "", "next_steps": "", "withheld": True}
            if h is not None:
                items.append(h)
                if h["is_late"]:
                    late.append(
                        {
                            "gathering": g,
                            "municipality": gr["municipality__name"],
                            "submitted_at": h["submitted_at"],
                            "due": g.between_work_due,
                        }
                    )
            elif due < now:
                missing.append({"gathering": g, "municipality": gr["municipality__name"], "due": due})
        per_gathering.append(
            {
                "gathering": g,
                "items": items,
                "expected": len(own_groups),
                "submitted": len(items),
                "shared": sum(1 for h in items if h["shared_with_region"]),
                "late": sum(1 for h in items if h["is_late"]),
                "missing": len(own_groups) - len(items) if due < now else 0,
            }
        )
    return {
        "gatherings": per_gathering,
        "late": late,
        "missing": missing,
        "submitted": sum(p["submitted"] for p in per_gathering),
        "expected": sum(p["expected"] for p in per_gathering),
    }


# --- development plans ----------------------------------------------------------------------------------

PLAN_FIELDS = ("where_we_are", "where_we_want_to_go", "how_we_get_there", "development_areas", "effect_goals")


def _plans(regions, ids, in_branch, period, all_texts) -> list[dict]:
    revisions = DevelopmentPlanRevision.objects.filter(plan=OuterRef("pk"))
    # The latest revision as it stood at the end of the period (the first one is always the first).
    latest = revisions.filter(created_at__date__lte=period.end) if period.end else revisions
    plans_qs = (
        DevelopmentPlan.objects.filter(in_branch("municipality"), regional_program_id__in=ids)
        .annotate(
            first_id=Subquery(revisions.order_by("number").values("pk")[:1]),
            latest_id=Subquery(latest.order_by("-number").values("pk")[:1]),
            revision_count=Count("revisions"),
        )
        .order_by("municipality__name")
    )
    plans = list(
        plans_qs.values(
            "pk", "regional_program_id", "municipality__name", "first_id", "latest_id", "revision_count"
        )
    )
    texts = {
        r["pk"]: r
        for r in DevelopmentPlanRevision.objects.filter(
            Q(pk__in=plans_qs.values("first_id")) | Q(pk__in=plans_qs.values("latest_id"))
        ).values("pk", "number", "created_at", *(PLAN_FIELDS if all_texts else ()))
    }
    names = {r.pk: r.name for r in regions}
    result = []
    for p in plans:
        first, latest_rev = texts.get(p["first_id"]), texts.get(p["latest_id"])
        if first is None or latest_rev is None:
            continue
        result.append(
            {
                "region": names.get(p["regional_program_id"], ""),
                "municipality": p["municipality__name"],
                "first": first,
                "latest": latest_rev,
                "same": first["pk"] == latest_rev["pk"],
                "revision_count": p["revision_count"],
            }
        )
    return result


# --- timeline -------------------------------------------------------------------------------------------


def _day(value) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date()
    return value


def _timeline(program, regions, semesters, gatherings, period, branch) -> list[dict]:
    events = []

    def add(when, label, region="", kind="", cancelled=False):
        day = _day(when)
        if day is not None and (not period.is_set or period.contains(day)):
            events.append(
                {
                    "date": day,
                    "at": when,
                    "label": label,
                    "region": region,
                    "kind": kind,
                    "cancelled": cancelled,
                }
            )

    add(program.interest_deadline, _("Frist for interessemelding"), kind="interest")
    meetings = AnnualMeetingDecision.objects.filter(program=program)
    if branch is not None:
        meetings = meetings.filter(branch=branch)
    for m in meetings.values("meeting_date", "branch__name", "participates").order_by("meeting_date"):
        add(
            m["meeting_date"],
            _("Årsmøte i %(branch)s: %(verdict)s")
            % {
                "branch": m["branch__name"],
                "verdict": _("deltar") if m["participates"] else _("deltar ikke"),
            },
            kind="interest",
        )
    for r in regions:
        add(r.applications_open_at, _("Søknadsvinduet åpner"), r.name, "applications")
        add(r.application_deadline, _("Søknadsfrist"), r.name, "applications")
        add(r.review_deadline, _("Frist for juryens vurderinger"), r.name, "decisions")
        add(r.first_decision_at, _("Første vedtak"), r.name, "decisions")
        if r.last_decision_at and _day(r.last_decision_at) != _day(r.first_decision_at):
            add(r.last_decision_at, _("Siste vedtak"), r.name, "decisions")
    names = {r.pk: r.name for r in regions}
    for s in semesters:
        add(
            s["starts_on"],
            _("%(semester)s begynner") % {"semester": s["name"]},
            names.get(s["regional_program_id"], ""),
            "semester",
        )
    for g in gatherings:
        add(
            g.starts_at,
            g.display_title,
            names.get(g.regional_program_id, ""),
            "gathering",
            g.status == GatheringStatus.CANCELLED,
        )
    events.sort(key=lambda e: (e["date"], e["region"], e["label"]))
    return events


def semester_choices(semesters: list[dict]) -> list[tuple[str, dt.date, dt.date]]:
    """Semester names of the report's regions with the days they span (a name shared by regions spans all)."""
    spans: dict[str, list[dt.date]] = {}
    for s in semesters:
        span = spans.setdefault(s["name"], [s["starts_on"], s["ends_on"]])
        span[0] = min(span[0], s["starts_on"])
        span[1] = max(span[1], s["ends_on"])
    return sorted(((name, a, b) for name, (a, b) in spans.items()), key=lambda t: t[1])
