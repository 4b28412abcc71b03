"""A seeded programme for the report tests: every figure of the report is known from these rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from applications.models import Application, ApplicationStatus, Decision
from gatherings.models import GatheringStatus, HandIn, Registration, RegistrationStatus
from guidance.models import DevelopmentPlan, DevelopmentPlanRevision, GuidanceAgreement, Theme
from programs.models import InterestLevel, InterestRegistration, MunicipalGroup, MunicipalGroupMember, Sector
from tests.factories import CountyBranchFactory, CountyFactory, MunicipalityFactory, RegionalProgramFactory
from tests.gatherings.factories import GatheringFactory, SemesterFactory
from tests.guidance.factories import SessionFactory

SECRET_NOTE = "HEMMELIG-INTERNT-NOTAT-7Q"


@dataclass
class SeededRegion:
    region: object
    branch: object
    towns: list
    groups: list
    gatherings: dict = field(default_factory=dict)
    semesters: dict = field(default_factory=dict)


def seed_region(program, *, index: int = 0, now: dt.datetime | None = None) -> SeededRegion:
    """Three municipalities named by the branch; all three apply, two are accepted (groups A and B).

    Gatherings: g1 and g2 in the past (between-work due), g3 ahead, one cancelled.
    Attendance: A sends 2 to g1 (both came) and 2 to g2 (1 came, 1 absent); B sends 1 to g1 (absent) and
    none to g2; both register 1 for g3. Hand-ins: A g1 (shared), B g1 (late), A g2; B g2 missing.
    Guidance: A 20 h agreed, 90 min (two themes) + 60 min (one theme) used; B 10 h agreed, 30 min used.
    Plans: A has revisions 1 and 2, B only 1.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    branch = CountyBranchFactory(name=f"Avdeling {program.pk}-{index:02d}")
    county = CountyFactory(branch=branch)
    towns = [MunicipalityFactory(county=county, name=f"Kommune {index:02d}-{c}") for c in "ABC"]
    region = RegionalProgramFactory(program=program, branches=[branch], name=f"Region {index:02d}")
    interest = InterestRegistration.objects.create(
        program=program,
        branch=branch,
        level=InterestLevel.YES,
        contact_name="Kari",
        contact_email="k@example.org",
    )
    interest.municipalities.set(towns)
    groups = []
    for i, town in enumerate(towns):
        accepted = i < 2
        app = Application.objects.create(
            regional_program=region,
            municipality=town,
            status=ApplicationStatus.ACCEPTED if accepted else ApplicationStatus.DECLINED,
            submitted_at=now - dt.timedelta(days=200),
        )
        Decision.objects.create(
            application=app,
            outcome="accepted" if accepted else "declined",
            letter_subject="Vedtak",
            letter_text="Tekst",
            decided_at=now - dt.timedelta(days=190 - i),
        )
        if accepted:
            group = MunicipalGroup.objects.create(regional_program=region, municipality=town)
            app.municipal_group = group
            app.save(update_fields=["municipal_group"])
            sectors = (
                [Sector.KULTURSKOLE, Sector.SKOLE, Sector.BARNEHAGE]
                if i == 0
                else [Sector.KULTURSKOLE, Sector.POLITISK]
            )
            for j, sector in enumerate(sectors):
                MunicipalGroupMember.objects.create(
                    group=group, name=f"Medlem {i}{j}", sector=sector, is_coordinator=j == 0
                )
            groups.append(group)
    a, b = groups
    seeded = SeededRegion(region=region, branch=branch, towns=towns, groups=groups)
    seeded.semesters["past"] = SemesterFactory(
        regional_program=region,
        name="vår",
        starts_on=today - dt.timedelta(days=100),
        ends_on=today - dt.timedelta(days=1),
    )
    seeded.semesters["next"] = SemesterFactory(
        regional_program=region, name="høst", starts_on=today, ends_on=today + dt.timedelta(days=120)
    )
    g1 = GatheringFactory(
        regional_program=region,
        number=1,
        title="Forankring",
        starts_at=now - dt.timedelta(days=60),
        registration_deadline=None,
        between_work="Gjør noe",
        between_work_due=now - dt.timedelta(days=40),
    )
    g2 = GatheringFactory(
        regional_program=region,
        number=2,
        title="Struktur",
        starts_at=now - dt.timedelta(days=20),
        registration_deadline=None,
        between_work="Gjør mer",
        between_work_due=now - dt.timedelta(days=5),
    )
    g3 = GatheringFactory(
        regional_program=region, number=3, title="Medvirkning", starts_at=now + dt.timedelta(days=30)
    )
    cancelled = GatheringFactory(
        regional_program=region,
        number=4,
        title="Avlyst samling",
        starts_at=now - dt.timedelta(days=10),
        registration_deadline=None,
        status=GatheringStatus.CANCELLED,
    )
    seeded.gatherings = {"g1": g1, "g2": g2, "g3": g3, "cancelled": cancelled}

    def reg(gathering, group, n, *, attended, sector=Sector.KULTURSKOLE):
        for k in range(n):
            Registration.objects.create(
                gathering=gathering,
                municipality=group.municipality,
                group=group,
                name=f"P{k}",
                email=f"p{gathering.pk}-{group.pk}-{k}-{attended}@example.org",
                sector=sector,
                status=RegistrationStatus.ATTENDING,
                attended=attended,
            )

    reg(g1, a, 2, attended=True)
    reg(g2, a, 1, attended=True)
    reg(g2, a, 1, attended=False, sector=Sector.SKOLE)
    reg(g1, b, 1, attended=False)
    reg(g3, a, 1, attended=None)
    reg(g3, b, 1, attended=None)
    reg(cancelled, a, 1, attended=None)
    # A waiting-list answer is no registration in the grid.
    Registration.objects.create(
        gathering=g2,
        municipality=b.municipality,
        group=b,
        name="Vent",
        email=f"vent{g2.pk}@example.org",
        status=RegistrationStatus.WAITLISTED,
    )

    def hand_in(gathering, group, *, shared=False, late=False):
        HandIn.objects.create(
            gathering=gathering,
            group=group,
            done=f"Gjort {group.municipality.name} {gathering.number}",
            learned="Lært noe",
            next_steps="Lurt videre",
            shared_with_region=shared,
            is_late=late,
            submitted_at=now - dt.timedelta(days=3),
        )

    hand_in(g1, a, shared=True)
    hand_in(g1, b, late=True)
    hand_in(g2, a)
    HandIn.objects.create(gathering=g2, group=b, done="Utkast som ikke er levert")

    agreement_a = GuidanceAgreement.objects.create(
        regional_program=region,
        municipality=a.municipality,
        agreed_hours=Decimal("20"),
        starts_on=today - dt.timedelta(days=200),
        ends_on=today + dt.timedelta(days=200),
    )
    agreement_b = GuidanceAgreement.objects.create(
        regional_program=region,
        municipality=b.municipality,
        agreed_hours=Decimal("10"),
        starts_on=today - dt.timedelta(days=200),
        ends_on=today + dt.timedelta(days=200),
    )
    SessionFactory(
        agreement=agreement_a,
        duration_minutes=90,
        held_on=today - dt.timedelta(days=50),
        themes=[Theme.ANCHORING, Theme.STRUCTURE],
        internal_note=SECRET_NOTE,
    )
    SessionFactory(
        agreement=agreement_a,
        duration_minutes=60,
        held_on=today - dt.timedelta(days=10),
        themes=[Theme.ANCHORING],
    )
    SessionFactory(
        agreement=agreement_b,
        duration_minutes=30,
        held_on=today - dt.timedelta(days=10),
        themes=[Theme.PARTICIPATION],
        internal_note=SECRET_NOTE,
    )

    for group, numbers in ((a, (1, 2)), (b, (1,))):
        plan = DevelopmentPlan.objects.create(regional_program=region, municipality=group.municipality)
        for n in numbers:
            DevelopmentPlanRevision.objects.create(
                plan=plan,
                number=n,
                where_we_are=f"Her {n} {group.municipality.name}",
                where_we_want_to_go=f"Dit {n}",
                how_we_get_there=f"Slik {n}",
            )
    return seeded
