"""The edition's dated events: deadlines, annual meetings, decisions, semesters and gatherings."""

from __future__ import annotations

import datetime as dt

from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _

# As the funnel: the report reads the applications' decisions for the timeline; the models stay apart.
from applications.models import Decision
from gatherings.models import GatheringStatus

from ...models import AnnualMeetingDecision


def _day(value) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date()
    return value


def report_timeline(program, regions, semesters, gatherings, period, branch) -> list[dict]:
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
    # Each region's first and last decision, read from the decisions' side through the applications' region
    # index (grouping the regions over all their applications costs the database several times more).
    decided = {
        d["application__regional_program_id"]: (d["first"], d["last"])
        for d in Decision.objects.filter(application__regional_program_id__in=[r.pk for r in regions])
        .order_by()
        .values("application__regional_program_id")
        .annotate(first=Min("decided_at"), last=Max("decided_at"))
    }
    for r in regions:
        add(r.applications_open_at, _("Søknadsvinduet åpner"), r.name, "applications")
        add(r.application_deadline, _("Søknadsfrist"), r.name, "applications")
        add(r.review_deadline, _("Frist for juryens vurderinger"), r.name, "decisions")
        first, last = decided.get(r.pk, (None, None))
        add(first, _("Første vedtak"), r.name, "decisions")
        if last and _day(last) != _day(first):
            add(last, _("Siste vedtak"), r.name, "decisions")
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
