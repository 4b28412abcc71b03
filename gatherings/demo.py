"""Demo gatherings: the previous edition's regional programme in Vestland, now in its second semester.

Past pre-gatherings and gatherings with attendance and hand-ins (some shared with the region), an upcoming
gathering that is full with a waiting list, and the last semester ahead. The region's municipal groups are
five municipalities of Sunnfjord and Nordfjord (`GROUP_TOWNS`); the guidance demo gives the same five their
agreements. Sunnfjord's group is coordinated by kommune@example.org. Deadlines are at 23:59 Oslo time.
Written directly (no mail goes out); idempotent.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

from municipalities.models import Municipality
from programs.models import (
    MunicipalGroup,
    MunicipalGroupMember,
    Program,
    RegionalProgram,
    Sector,
)
from programs.timing import deadline_from_date

from .models import Gathering, GatheringKind, HandIn, Registration, RegistrationStatus, Semester

OSLO = ZoneInfo("Europe/Oslo")
# Municipalities of Sunnfjord and Nordfjord: they register for the gatherings and (guidance/demo.py) get
# guidance agreements; the last one declines the guidance offer.
GROUP_TOWNS = ["Sunnfjord", "Kinn", "Bremanger", "Stad", "Gloppen"]
MEMBERS = [
    ("Kulturskolerektor", Sector.KULTURSKOLE),
    ("Rektor", Sector.SKOLE),
    ("Styrer", Sector.BARNEHAGE),
    ("Leder for SFO", Sector.SFO),
    ("Kommunalsjef oppvekst", Sector.ADMINISTRASJON),
]
FIRST = ["Ingrid", "Lars", "Siri", "Ole", "Marte", "Håkon", "Eli", "Tor", "Ragnhild", "Jon"]
LAST = ["Hope", "Solheim", "Vik", "Nes", "Berge", "Myklebust", "Fure", "Råd"]
THEMES = [
    ("Forankring og begrunnelser", "Hvorfor gjør vi dette, og hvem eier arbeidet?"),
    ("Struktur og plan for arbeidet", "Hvor er vi – hvor vil vi – hvordan kommer vi oss dit."),
    ("Møtemetodikk", "Gode møter i kommunegruppen."),
    ("Prosessledelse", "Å lede utviklingsarbeid på tvers av tjenester."),
    ("Samhandling og samskaping", "Kulturskolen som ressurssenter for hele kommunen."),
    ("Medvirkning", "Barn og unges stemme i utviklingsarbeidet."),
]


def _season(day: dt.date) -> str:
    return f"{'høst' if day.month >= 7 else 'vår'} {day.year}"


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=OSLO)


def _weekday(day: dt.date) -> dt.date:
    # gatherings are on Wednesdays: never a weekend, rarely a holiday
    return day + dt.timedelta(days=(2 - day.weekday()) % 7)


def _semester_bounds(today: dt.date) -> list[tuple[dt.date, dt.date]]:
    return [
        (today - dt.timedelta(days=300), today - dt.timedelta(days=121)),
        (today - dt.timedelta(days=120), today + dt.timedelta(days=60)),
        (today + dt.timedelta(days=61), today + dt.timedelta(days=240)),
    ]


def _semester_name(first_day: dt.date) -> str:
    return _season(first_day + dt.timedelta(days=30))


def _region(ctx: dict) -> RegionalProgram:
    today = timezone.localdate()
    start_year = today.year - 1
    program, _ = Program.objects.get_or_create(
        slug=f"regionale-program-{start_year - 1}",
        defaults={
            "name": f"Fremtidens kulturskole – regionale program {start_year - 1}–{start_year + 1}",
            "interest_deadline": deadline_from_date(dt.date(start_year - 1, 9, 15)),
            # the edition page's "Første semester" is the region's first semester
            "start_semester": _semester_name(_semester_bounds(today)[0][0]),
            "contact_email": "program@example.org",
            "is_published": True,
        },
    )
    region, created = RegionalProgram.objects.get_or_create(
        program=program, name="Vestland – Sunnfjord og Nordfjord"
    )
    if created:
        region.branches.add(ctx["vestland"])
    return region


def _groups(region: RegionalProgram, vestland, contact=None) -> list[MunicipalGroup]:
    towns = list(Municipality.objects.filter(county__branch=vestland, is_member=True, name__in=GROUP_TOWNS))
    if len(towns) < 2:
        towns = list(
            Municipality.objects.filter(county__branch=vestland, is_member=True).order_by("name")[:4]
        )
    groups = []
    for t_index, town in enumerate(
        sorted(towns, key=lambda m: GROUP_TOWNS.index(m.name) if m.name in GROUP_TOWNS else 9)
    ):
        group, created = MunicipalGroup.objects.get_or_create(regional_program=region, municipality=town)
        if created:
            slug = town.name.lower().replace("ø", "o").replace("å", "a").replace("æ", "ae").replace(" ", "")
            for i, (title, sector) in enumerate(MEMBERS):
                name = f"{FIRST[(i + t_index * 3) % len(FIRST)]} {LAST[(i + t_index) % len(LAST)]}"
                email = f"{name.split()[0].lower().replace('å', 'a')}.{slug}@example.org"
                if i == 0 and contact is not None and town.name == "Sunnfjord":
                    # the demo's municipal contact coordinates Sunnfjord's group
                    name, email = contact.full_name, contact.email
                MunicipalGroupMember.objects.create(
                    group=group,
                    name=name,
                    email=email,
                    sector=sector,
                    role_title=title,
                    is_coordinator=i == 0,
                )
            coordinator = group.members.get(is_coordinator=True)
            group.coordinator_name, group.coordinator_email = coordinator.name, coordinator.email
            group.save(update_fields=["coordinator_name", "coordinator_email"])
        groups.append(group)
    return groups


def seed(ctx: dict) -> None:
    today = timezone.localdate()
    now = timezone.now()
    region = _region(ctx)
    groups = _groups(region, ctx["vestland"], ctx.get("contact"))
    semesters = []
    for first, last in _semester_bounds(today):
        semester, _ = Semester.objects.get_or_create(
            regional_program=region,
            name=_semester_name(first),
            defaults={"starts_on": first, "ends_on": last},
        )
        semesters.append(semester)
    plan = [
        # (kind, number, semester index or None, day offset from today)
        (GatheringKind.PRE_GATHERING, None, None, -380),
        (GatheringKind.PRE_GATHERING, None, None, -345),
        (GatheringKind.GATHERING, 1, 0, -260),
        (GatheringKind.GATHERING, 2, 0, -170),
        (GatheringKind.GATHERING, 3, 1, -60),
        (GatheringKind.GATHERING, 4, 1, 14),
        (GatheringKind.GATHERING, 5, 2, 110),
        (GatheringKind.GATHERING, 6, 2, 200),
    ]
    host = groups[0].municipality if groups else None
    for index, (kind, number, sem, offset) in enumerate(plan):
        day = _weekday(today + dt.timedelta(days=offset))
        if kind == GatheringKind.PRE_GATHERING:
            title = f"Presamling {index + 1}: Hva er Fremtidens kulturskole?"
            theme, preparation = "Er dette noe for vår kommune?", "Les invitasjonen og pilotrapporten."
        else:
            theme, preparation = THEMES[number - 1]
            title = theme
        gathering, created = Gathering.objects.get_or_create(
            regional_program=region,
            kind=kind,
            number=number,
            title=title,
            defaults={
                "semester": semesters[sem] if sem is not None else None,
                "theme": theme,
                "starts_at": _at(day, 10),
                "ends_at": _at(day + dt.timedelta(days=1), 15)
                if kind == GatheringKind.GATHERING
                else _at(day, 15),
                "venue": "Førde kulturhus" if index % 2 else "Nordfjordeid kulturhus",
                "address": "Storehagen 2, 6800 Førde" if index % 2 else "Sjøgata 2, 6770 Nordfjordeid",
                "host_municipality": host,
                "capacity": max(2, 4 * len(groups) - 3) if number == 4 else 40,
                "registration_deadline": deadline_from_date(day - dt.timedelta(days=10)),
                "preparation": f"{preparation}\nSnakk sammen i kommunegruppen før samlingen: hva er status hos oss?",
                "between_work": "Gjort – lært – lurt: skriv kort hva dere har gjort siden samlingen, hva dere har lært, og hva som er lurt å gjøre videre."
                if kind == GatheringKind.GATHERING
                else "",
                "between_work_due": deadline_from_date(day + dt.timedelta(days=45))
                if kind == GatheringKind.GATHERING
                else None,
                "created_by": ctx.get("leader"),
            },
        )
        if not created:
            continue
        past = gathering.ends_at < now
        if kind == GatheringKind.PRE_GATHERING:
            for g_index, group in enumerate(groups):
                Registration.objects.create(
                    gathering=gathering,
                    municipality=group.municipality,
                    name=f"Kulturskolerektor i {group.municipality.name}",
                    email="",
                    sector=Sector.KULTURSKOLE,
                    status=RegistrationStatus.ATTENDING,
                    attended=True if past and g_index % 3 else None,
                    registered_by=ctx.get("board"),
                )
            continue
        if number > 4:
            continue
        taken = 0
        for g_index, group in enumerate(groups):
            members = list(group.members.order_by("-is_coordinator", "name"))
            for m_index, member in enumerate(members[:4]):
                status = RegistrationStatus.ATTENDING
                waitlisted_at = None
                # gathering 4 is full: the last ones to answer wait for a place
                if number == 4 and taken >= gathering.capacity:
                    status, waitlisted_at = (
                        RegistrationStatus.WAITLISTED,
                        now - dt.timedelta(hours=20 - m_index),
                    )
                else:
                    taken += 1
                Registration.objects.create(
                    gathering=gathering,
                    municipality=group.municipality,
                    group=group,
                    member=member,
                    name=member.name,
                    email=member.email,
                    sector=member.sector,
                    status=status,
                    waitlisted_at=waitlisted_at,
                    dietary_needs="Laktosefri" if (m_index == 1 and not past) else "",
                    attended=(m_index != 3) if past else None,
                    registered_by=ctx.get("contact"),
                )
            if past and (g_index != 1 or number < 3):
                HandIn.objects.create(
                    gathering=gathering,
                    group=group,
                    done=f"Kommunegruppen i {group.municipality.name} har hatt to møter og invitert barnehagene med.",
                    learned="Forankring tar tid; det hjalp å ha kommunalsjefen med fra start.",
                    next_steps="Lage en felles plan med skolene før neste samling.",
                    shared_with_region=g_index % 2 == 0,
                    submitted_at=gathering.between_work_due - dt.timedelta(days=3 if g_index != 2 else -2),
                    is_late=g_index == 2,
                )
    ctx["gatherings_region"] = region
