from django.core.management import call_command

from accounts.models import User
from programs import selectors
from programs.models import DialogueMeetingStatus, InterestRegistration, Program, RegionalProgram


def test_seed_demo_gives_a_realistic_temperature_and_is_idempotent(db, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")  # idempotent
    program = Program.objects.order_by("-interest_deadline").first()
    overview = selectors.temperature_overview(program=program)
    totals = {s: c for s, _l, c in overview.totals}
    assert not overview.deadline_passed
    assert totals["none"] == 2
    assert totals["yes"] >= 2
    assert totals["maybe"] >= 2
    assert totals["no"] >= 1
    vestland = InterestRegistration.objects.get(program=program, branch__name="Norsk kulturskoleråd Vestland")
    assert vestland.updated_by == User.objects.get(email="styre@example.org")
    assert {m.name for m in vestland.municipalities.all()} == {"Sunnfjord", "Kinn"}
    statuses = sorted(program.dialogue_meetings.values_list("status", flat=True))
    assert statuses == [DialogueMeetingStatus.REQUESTED, DialogueMeetingStatus.SCHEDULED]
    region = RegionalProgram.objects.get(name="Vestland")
    assert region.program != program
    assert region.applications_open_at < region.application_deadline
    assert list(selectors.confirmed_branches(program=region.program).values_list("name", flat=True)) == [
        "Norsk kulturskoleråd Vestland"
    ]
    # 7 answers and Vestland in the current edition, Vestland in the previous one and in the running one
    # that the guidance demo adds: 10, and not more after the second run.
    assert InterestRegistration.objects.count() == 10


def test_the_running_regions_groups_come_from_accepted_applications(db, settings):
    """The report's «Deltakelse» said «0 søkte, 0 ble tatt opp» beside five groups: in the demo, as in the
    product, a group comes from an accepted application, and the funnel counts them."""
    from applications.models import Application, ApplicationStatus
    from programs.report.selectors import Period, report_build, report_regions, report_semesters

    settings.DEBUG = True
    call_command("seed_demo")
    call_command("seed_demo")  # idempotent
    region = RegionalProgram.objects.get(name="Vestland – Sunnfjord og Nordfjord")
    groups = set(region.municipal_groups.values_list("pk", flat=True))
    accepted = Application.objects.filter(regional_program=region, status=ApplicationStatus.ACCEPTED)
    assert set(accepted.values_list("municipal_group_id", flat=True)) == groups
    assert all(a.decision.outcome == "accepted" for a in accepted)
    regions = report_regions(region_id=region.pk)
    report = report_build(
        program=region.program, regions=regions, semesters=report_semesters(regions=regions), period=Period()
    )
    totals = report.participation["totals"]
    assert totals["applied"] == totals["accepted"] == totals["groups"] == len(groups) == 5
    assert totals["interested"] >= totals["groups"]
