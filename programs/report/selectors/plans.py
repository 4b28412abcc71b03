"""Development plans: the first and the latest revision (as it stood at the end of the period)."""

from __future__ import annotations

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import TruncDate

from guidance.models import DevelopmentPlan, DevelopmentPlanRevision

PLAN_FIELDS = ("where_we_are", "where_we_want_to_go", "how_we_get_there", "development_areas", "effect_goals")


def report_plans(regions, ids, in_branch, period, all_texts, export=False) -> list[dict]:
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
    # The revisions by the ids just read (not by the plans' subqueries again: the database would redo them).
    wanted = {p["first_id"] for p in plans} | {p["latest_id"] for p in plans}
    wanted.discard(None)
    texts = {
        r["pk"]: r
        # The page shows the day of each version (the local day, read as a date); the export its time too.
        for r in DevelopmentPlanRevision.objects.filter(pk__in=sorted(wanted))
        .annotate(created_on=TruncDate("created_at"))
        .values(
            "pk",
            "number",
            "created_on",
            *(("created_at",) if export else ()),
            *(PLAN_FIELDS if all_texts else ()),
        )
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
