"""Factories for gatherings: a region with member municipalities, groups, gatherings and registrations."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import factory
from django.utils import timezone

from gatherings.models import Gathering, GatheringKind, Registration, RegistrationStatus, Semester
from programs.models import MunicipalGroup, MunicipalGroupMember, RegionalProgram, Sector
from tests.factories import CountyBranchFactory, CountyFactory, MunicipalityFactory, RegionalProgramFactory

OSLO = ZoneInfo("Europe/Oslo")


def oslo(y, m, d, h=10, mi=0) -> dt.datetime:
    return dt.datetime(y, m, d, h, mi, tzinfo=OSLO)


class SemesterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Semester

    regional_program = factory.SubFactory(RegionalProgramFactory)
    name = factory.Sequence(lambda n: f"semester {n}")
    starts_on = dt.date(2026, 8, 1)
    ends_on = dt.date(2026, 12, 31)


class GatheringFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Gathering

    regional_program = factory.SubFactory(RegionalProgramFactory)
    kind = GatheringKind.GATHERING
    number = 1
    title = factory.Sequence(lambda n: f"Forankring {n}")
    theme = "Forankring og begrunnelser"
    starts_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=30))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=6))
    venue = "Kulturhuset"
    address = "Storgata 1, 6800 Førde"
    capacity = None
    registration_deadline = factory.LazyAttribute(lambda o: o.starts_at - dt.timedelta(days=7))
    preparation = "Les kapittel 2 i rapporten sammen."

    class Params:
        pre = factory.Trait(kind=GatheringKind.PRE_GATHERING, number=None)
        past = factory.Trait(
            starts_at=factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=60)),
            registration_deadline=None,
        )


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MunicipalGroup

    regional_program = factory.SubFactory(RegionalProgramFactory)
    municipality = factory.SubFactory(MunicipalityFactory)
    coordinator_name = "Kari Koordinator"
    coordinator_email = factory.Sequence(lambda n: f"koordinator{n}@example.org")


class MemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MunicipalGroupMember

    group = factory.SubFactory(GroupFactory)
    name = factory.Sequence(lambda n: f"Medlem {n}")
    email = factory.Sequence(lambda n: f"medlem{n}@example.org")
    sector = Sector.SKOLE


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    gathering = factory.SubFactory(GatheringFactory)
    municipality = factory.SubFactory(MunicipalityFactory)
    name = factory.Sequence(lambda n: f"Deltaker {n}")
    email = factory.Sequence(lambda n: f"deltaker{n}@example.org")
    sector = Sector.KULTURSKOLE
    status = RegistrationStatus.ATTENDING


@dataclass
class Region:
    region: RegionalProgram
    branch: object
    municipalities: list
    groups: list


def semester_around(region, moment, *, days: int = 60) -> Semester:
    """A semester of `region` that holds `moment`'s day, so a gathering then is scheduled without the warning
    «ligger ikke i noe semester»."""
    day = timezone.localdate(moment)
    return SemesterFactory(
        regional_program=region,
        starts_on=day - dt.timedelta(days=days),
        ends_on=day + dt.timedelta(days=days),
    )


def make_region(*, municipalities: int = 3, groups: int = 2, members: int = 3) -> Region:
    """A region of one branch and one county, its member municipalities, and groups for the first ones."""
    branch = CountyBranchFactory()
    county = CountyFactory(branch=branch)
    towns = [MunicipalityFactory(county=county) for _ in range(municipalities)]
    region = RegionalProgramFactory(branches=[branch])
    made = []
    for town in towns[:groups]:
        group = GroupFactory(regional_program=region, municipality=town)
        for _ in range(members):
            MemberFactory(group=group)
        made.append(group)
    return Region(region=region, branch=branch, municipalities=towns, groups=made)
