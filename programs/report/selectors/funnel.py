"""Participation: interest, applications, acceptance and the municipal groups with their members."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count

# The report is the one place in `programs` that reads applications (the funnel); the models stay apart.
from applications.models import ApplicationStatus

from ...models import InterestLevel, InterestRegistration, MunicipalGroupMember, RegionalProgram, Sector

APPLIED_STATUSES = [s for s in ApplicationStatus.values if s != ApplicationStatus.DRAFT]


def report_participation(program, regions, ids, in_branch, groups, export=False) -> dict:
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
        .values_list("interestregistration__branch_id", "municipality_id", "municipality__name")
        .distinct()
    )
    applications = (
        # One filter() call: the conditions must hold for the same application row.
        RegionalProgram.objects.filter(
            in_branch("applications__municipality"), pk__in=ids, applications__status__in=APPLIED_STATUSES
        )
        .order_by()  # the regions' default order would join the edition for nothing
        .values_list(
            "pk",
            "applications__municipality_id",
            "applications__municipality__name",
            "applications__status",
            # When it was sent is in the export only: the page never reads those datetimes.
            *(("applications__submitted_at",) if export else ()),
        )
    )
    members = (
        MunicipalGroupMember.objects.filter(
            in_branch("group__municipality"), group__regional_program_id__in=ids
        )
        .values("group__regional_program_id", "group__municipality_id", "sector")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("group__regional_program_id", "group__municipality_id", "sector", "n")
    )
    rows: dict[tuple[int, int], dict] = {}

    def row(region_id, municipality_id, name):
        line = rows.get((region_id, municipality_id))
        if line is not None:
            return line
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

    # Tuples, not a dict per row: the three queries bring some 1,300 rows for an edition.
    for branch_id, municipality_id, name in interest:
        for region_id in regions_of_branch.get(branch_id, []):
            row(region_id, municipality_id, name)["interested"] = True
    labels = {code: str(label) for code, label in ApplicationStatus.choices}  # translated once, not per row
    for region_id, municipality_id, name, status, *submitted_at in applications:
        line = row(region_id, municipality_id, name)
        line["applied"] = True
        line["status"] = status
        line["status_label"] = labels.get(status, "")
        line["submitted_at"] = submitted_at[0] if submitted_at else None
        line["accepted"] = status == ApplicationStatus.ACCEPTED
    for g in groups:
        row(g["regional_program_id"], g["municipality_id"], g["municipality__name"])["group"] = True
    names = {(g["regional_program_id"], g["municipality_id"]): g["municipality__name"] for g in groups}
    sector_totals: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for region_id, municipality_id, sector, n in members:
        key = (region_id, municipality_id)
        line = row(*key, names.get(key, ""))
        line["members"] += n
        line["sectors"][sector] += n
        sector_totals[region_id][sector] += n

    rows_of: dict[int, list[dict]] = defaultdict(list)
    for (region_id, _municipality_id), line in rows.items():
        rows_of[region_id].append(line)
    per_region = []
    for region in regions:
        lines = sorted(rows_of[region.pk], key=lambda v: v["municipality"])
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
