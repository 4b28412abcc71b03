"""Guidance at national scale for `seed_load`: an agreement for every municipal group, about 10,000 sessions
in all, and a few plan revisions each. Bulk operations only."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

from programs.models import RegionalProgram
from programs.timing import OSLO

from .models import (
    DevelopmentPlan,
    DevelopmentPlanRevision,
    GuidanceAgreement,
    GuidanceSession,
    GuidanceSessionTheme,
    SessionForm,
    Theme,
)

SESSIONS = 10_000
TEXT = "Vi jobbet med forankring og struktur i kommunegruppen, og avtalte neste steg."


def seed_load(ctx: dict) -> None:
    rng, now = ctx["rng"], ctx["now"]
    groups = ctx.get("municipal_groups") or []
    advisors = ctx.get("advisors") or []
    if not groups or not advisors:
        return
    regions = RegionalProgram.objects.select_related("program").in_bulk(
        {g.regional_program_id for g in groups}
    )
    themes = list(Theme.values)
    forms = list(SessionForm.values)

    agreements = []
    for group in groups:
        rp = regions[group.regional_program_id]
        start = dt.date(rp.program.interest_deadline.year + 1, 8, 15)
        agreements.append(
            GuidanceAgreement(
                regional_program_id=group.regional_program_id,
                municipality_id=group.municipality_id,
                agreed_hours=Decimal(rng.choice([10, 15, 20, 25, 30])),
                starts_on=start,
                ends_on=start + dt.timedelta(days=480),
                focus_themes=rng.sample(themes, 2),
                agreement_text=TEXT,
                declined_on=start if rng.random() < 0.05 else None,
            )
        )
    agreements = GuidanceAgreement.objects.bulk_create(agreements, batch_size=1000)
    Through = GuidanceAgreement.advisors.through
    Through.objects.bulk_create(
        [Through(guidanceagreement_id=a.pk, user_id=rng.choice(advisors).pk) for a in agreements],
        batch_size=2000,
    )

    active = [a for a in agreements if a.declined_on is None]
    per_agreement = max(1, math.ceil(SESSIONS / max(len(active), 1)))
    today = now.astimezone(OSLO).date()
    sessions, chosen_themes = [], []
    advisor_of = dict(
        Through.objects.filter(guidanceagreement__in=active).values_list("guidanceagreement_id", "user_id")
    )
    for a in active:
        last_day = min(a.ends_on, today)
        span = max((last_day - a.starts_on).days, 1)
        for _i in range(per_agreement):
            picked = rng.sample(themes, rng.choice([1, 1, 2, 3]))
            held = a.starts_on + dt.timedelta(days=rng.randrange(span))
            sessions.append(
                GuidanceSession(
                    agreement_id=a.pk,
                    advisor_id=advisor_of.get(a.pk),
                    held_on=held,
                    duration_minutes=rng.choice([45, 60, 90, 120]),
                    form=rng.choice(forms),
                    theme_count=len(picked),
                    summary=TEXT,
                    internal_note="Internt notat." if rng.random() < 0.3 else "",
                    next_steps="Kommunegruppen følger opp.",
                )
            )
            chosen_themes.append(picked)
    sessions = GuidanceSession.objects.bulk_create(sessions, batch_size=2000)
    GuidanceSessionTheme.objects.bulk_create(
        [
            GuidanceSessionTheme(session_id=s.pk, theme=t)
            for s, picked in zip(sessions, chosen_themes, strict=True)
            for t in picked
        ],
        batch_size=5000,
    )

    plans = DevelopmentPlan.objects.bulk_create(
        [
            DevelopmentPlan(regional_program_id=a.regional_program_id, municipality_id=a.municipality_id)
            for a in active
        ],
        batch_size=1000,
    )
    DevelopmentPlanRevision.objects.bulk_create(
        [
            DevelopmentPlanRevision(
                plan_id=p.pk,
                number=n,
                where_we_are=TEXT,
                where_we_want_to_go=TEXT,
                how_we_get_there=TEXT,
            )
            for p in plans
            for n in range(1, rng.randint(1, 4) + 1)
        ],
        batch_size=2000,
    )
    ctx["guidance_agreements"] = agreements


def reset_load(ctx: dict) -> None:
    """Agreements and plans protect their regional programmes, so they go before the groups and editions."""
    prefix = ctx["slug_prefix"]
    GuidanceSession.objects.filter(agreement__regional_program__program__slug__startswith=prefix).delete()
    GuidanceAgreement.objects.filter(regional_program__program__slug__startswith=prefix).delete()
    DevelopmentPlan.objects.filter(regional_program__program__slug__startswith=prefix).delete()
