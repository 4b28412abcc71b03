"""National-scale gatherings for `manage.py seed_load`: about 600 gatherings and 20,000 registrations.

Each regional programme gets its three semesters, two pre-gatherings, six gatherings, two coordinator
meetings and two digital meetings; the members of its groups register (past ones with attendance and
hand-ins). Everything goes through bulk operations.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from programs.models import MunicipalGroupMember

from .models import Gathering, GatheringKind, HandIn, Registration, RegistrationStatus, Semester

OSLO = ZoneInfo("Europe/Oslo")
PER_GATHERING = 45
TEXT = "Vi har hatt møter i kommunegruppen og prøvd ut det vi lærte på samlingen."


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=OSLO)


def seed_load(ctx: dict) -> None:
    rng, now = ctx["rng"], ctx["now"]
    regions = ctx["regional_programs"]
    semesters, gatherings = [], []
    for rp, _municipality_ids, _current in regions:
        year = rp.program.interest_deadline.year + 1
        bounds = [
            ("høst", dt.date(year, 8, 15), dt.date(year, 12, 20)),
            ("vår", dt.date(year + 1, 1, 5), dt.date(year + 1, 6, 20)),
            ("høst", dt.date(year + 1, 8, 15), dt.date(year + 1, 12, 20)),
        ]
        made = [
            Semester(regional_program=rp, name=f"{season} {first.year}", starts_on=first, ends_on=last)
            for season, first, last in bounds
        ]
        semesters.extend(made)
        plan = [(GatheringKind.PRE_GATHERING, None, None, dt.date(year - 1, 10, 15))]
        plan.append((GatheringKind.PRE_GATHERING, None, None, dt.date(year - 1, 11, 12)))
        for number in range(1, 7):
            sem = (number - 1) // 2
            first = bounds[sem][1]
            plan.append(
                (
                    GatheringKind.GATHERING,
                    number,
                    sem,
                    first + dt.timedelta(days=30 + 60 * ((number - 1) % 2)),
                )
            )
        plan += [
            (GatheringKind.COORDINATOR, None, 0, dt.date(year, 11, 25)),
            (GatheringKind.COORDINATOR, None, 2, dt.date(year + 1, 11, 25)),
            (GatheringKind.DIGITAL, None, 1, dt.date(year + 1, 2, 10)),
            (GatheringKind.DIGITAL, None, 2, dt.date(year + 1, 9, 20)),
        ]
        for kind, number, sem, day in plan:
            gatherings.append(
                (
                    rp,
                    made[sem] if sem is not None else None,
                    Gathering(
                        regional_program=rp,
                        kind=kind,
                        number=number,
                        title=f"{GatheringKind(kind).label} {number or ''}".strip(),
                        theme="Samhandling og samskaping",
                        starts_at=_at(day),
                        ends_at=_at(day, 16),
                        venue="Kulturhuset" if kind != GatheringKind.DIGITAL else "",
                        video_link="https://video.example.org/mote" if kind == GatheringKind.DIGITAL else "",
                        capacity=60,
                        registration_deadline=_at(day - dt.timedelta(days=10), 23),
                        preparation="Les og diskuter i kommunegruppen.",
                        between_work="Gjort – lært – lurt." if kind == GatheringKind.GATHERING else "",
                        between_work_due=_at(day + dt.timedelta(days=40), 23)
                        if kind == GatheringKind.GATHERING
                        else None,
                    ),
                )
            )
    Semester.objects.bulk_create(semesters, batch_size=1000)
    for _rp, semester, gathering in gatherings:
        gathering.semester = semester
    made = Gathering.objects.bulk_create([g for _rp, _s, g in gatherings], batch_size=1000)

    members_by_rp: dict[int, list[MunicipalGroupMember]] = {}
    for member in MunicipalGroupMember.objects.filter(
        group__regional_program__in=[rp for rp, _m, _c in regions]
    ).select_related("group"):
        members_by_rp.setdefault(member.group.regional_program_id, []).append(member)
    registrations, hand_ins = [], []
    for gathering in made:
        past = gathering.ends_at < now
        if gathering.kind == GatheringKind.PRE_GATHERING:
            continue
        members = members_by_rp.get(gathering.regional_program_id, [])
        for member in rng.sample(members, min(PER_GATHERING, len(members))):
            registrations.append(
                Registration(
                    gathering=gathering,
                    municipality_id=member.group.municipality_id,
                    group_id=member.group_id,
                    member=member,
                    name=member.name,
                    email=member.email,
                    sector=member.sector,
                    status=RegistrationStatus.ATTENDING,
                    attended=(rng.random() < 0.9) if past else None,
                )
            )
        if past and gathering.kind == GatheringKind.GATHERING:
            for group_id in {m.group_id for m in members}:
                if rng.random() < 0.8:
                    hand_ins.append(
                        HandIn(
                            gathering=gathering,
                            group_id=group_id,
                            done=TEXT,
                            learned=TEXT,
                            next_steps=TEXT,
                            shared_with_region=rng.random() < 0.5,
                            submitted_at=gathering.between_work_due,
                            is_late=rng.random() < 0.1,
                        )
                    )
    Registration.objects.bulk_create(registrations, batch_size=5000)
    HandIn.objects.bulk_create(hand_ins, batch_size=2000)
    ctx["gatherings"] = made


def reset_load(ctx: dict) -> None:
    """Gatherings protect their regional programmes, so they go before the editions."""
    Gathering.objects.filter(regional_program__program__slug__startswith=ctx["slug_prefix"]).delete()
