"""The demo's running region tells one story: the municipalities in its groups are the ones at the
gatherings and the ones with guidance agreements, all from Sunnfjord and Nordfjord, and every deadline
is at 23:59 Oslo time."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.core.management import call_command

from gatherings.models import Gathering, Registration
from guidance.models import GuidanceAgreement
from programs.models import Program, RegionalProgram

OSLO = ZoneInfo("Europe/Oslo")
SUNNFJORD_AND_NORDFJORD = {
    "Sunnfjord", "Kinn", "Stad", "Bremanger", "Askvoll", "Fjaler", "Hyllestad", "Gloppen", "Stryn",
    "Høyanger", "Solund", "Naustdal",
}  # fmt: skip


def _local_time(moment: dt.datetime) -> dt.time:
    return moment.astimezone(OSLO).time()


def test_the_running_region_has_one_set_of_municipalities(db, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    region = RegionalProgram.objects.get(name="Vestland – Sunnfjord og Nordfjord")

    groups = {g.municipality.name for g in region.municipal_groups.select_related("municipality")}
    at_gatherings = set(
        Registration.objects.filter(gathering__regional_program=region).values_list(
            "municipality__name", flat=True
        )
    )
    agreements = GuidanceAgreement.objects.filter(regional_program=region)
    with_agreement = set(agreements.values_list("municipality__name", flat=True))
    assert len(groups) == 5
    assert groups <= SUNNFJORD_AND_NORDFJORD, groups - SUNNFJORD_AND_NORDFJORD
    assert at_gatherings == groups
    assert with_agreement == groups
    assert agreements.filter(declined_on__isnull=False).count() == 1

    # veileder@example.org follows most of them; Sunnfjord's group is coordinated by the demo contact
    followed = agreements.filter(advisors__email="veileder@example.org", declined_on__isnull=True)
    assert followed.count() == agreements.filter(declined_on__isnull=True).count()
    sunnfjord = region.municipal_groups.get(municipality__name="Sunnfjord")
    assert sunnfjord.coordinator_email == "kommune@example.org"
    assert sunnfjord.members.get(is_coordinator=True).email == "kommune@example.org"

    # the edition page's "Første semester" is the region's first semester
    first = region.semesters.order_by("starts_on").first()
    assert region.program.start_semester == first.name


def test_every_demo_deadline_is_at_23_59_oslo_time(db, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    last_minute = dt.time(23, 59)
    for program in Program.objects.all():
        assert _local_time(program.interest_deadline) == last_minute, program.name
    for region in RegionalProgram.objects.exclude(application_deadline=None):
        assert _local_time(region.application_deadline) == last_minute, region.name
    gatherings = Gathering.objects.all()
    assert gatherings.exists()
    for gathering in gatherings:
        assert _local_time(gathering.registration_deadline) == last_minute, gathering.title
        if gathering.between_work_due:
            assert _local_time(gathering.between_work_due) == last_minute, gathering.title
