"""Between-work hand-ins per gathering: handed in, shared, late and missing.

A hand-in is expected once it is due (its deadline passed; without a deadline, the gathering over); those
not due yet are counted apart, so the totals add up: handed in + missing = expected."""

from __future__ import annotations

from gatherings.models import Gathering, GatheringKind, GatheringStatus, HandIn


def expects_hand_in(gathering: Gathering) -> bool:
    """Between-work follows the gatherings that give a task or a deadline for it (never a pre-gathering).
    A gathering as `report_build` loads it says whether it has a task (`has_between_work`) without its text."""
    has_task = getattr(gathering, "has_between_work", None)
    if has_task is None:
        has_task = bool(gathering.between_work)
    return (
        gathering.kind != GatheringKind.PRE_GATHERING
        and gathering.status != GatheringStatus.CANCELLED
        and bool(has_task or gathering.between_work_due)
    )


TEXT_FIELDS = ("done", "learned", "next_steps")


def report_hand_ins(regions, in_branch, groups, gatherings, period, now, all_texts, texts=True) -> dict:
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
            *(TEXT_FIELDS if texts else ()),
            "shared_with_region",
            "is_late",
            # When it came is shown for the late ones in a region's report and the export; the edition's page
            # only counts them.
            *(("submitted_at",) if texts else ()),
        )
        .order_by("group__municipality__name")
    }
    groups_of: dict[int, list[dict]] = {}
    for gr in groups:
        groups_of.setdefault(gr["regional_program_id"], []).append(gr)
    per_gathering, late, missing = [], [], []
    for g in expected:
        own_groups = groups_of.get(g.regional_program_id, [])
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
                            "submitted_at": h.get("submitted_at"),
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
                # Due once its deadline has passed (without a deadline: once the gathering is over).
                "due": due,
                "is_due": due < now,
                "missing": len(own_groups) - len(items) if due < now else 0,
            }
        )
    # The totals count what is due: handed in + missing = expected. What is not due yet is told apart (and
    # what has come for it already), so that "14 of 25 handed in, 1 missing" never leaves ten unexplained.
    due_blocks = [p for p in per_gathering if p["is_due"]]
    ahead = [p for p in per_gathering if not p["is_due"]]
    return {
        "gatherings": per_gathering,
        "late": late,
        "missing": missing,
        "submitted": sum(p["submitted"] for p in due_blocks),
        "expected": sum(p["expected"] for p in due_blocks),
        "not_due": sum(p["expected"] for p in ahead),
        "not_due_submitted": sum(p["submitted"] for p in ahead),
    }
