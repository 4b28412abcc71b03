"""Load data: ten editions with interest from every branch and five regional programmes each.

The regional programmes overlap (each takes three neighbouring branches) so that an edition carries about
500 applications, as the national data set of issue 14 asks.
"""

import datetime as dt

from municipalities.models import Municipality

from .models import (
    AnnualMeetingDecision,
    DialogueMeeting,
    DialogueMeetingStatus,
    InterestLevel,
    InterestRegistration,
    Program,
    RegionalProgram,
)
from .timing import OSLO

EDITIONS = 10
REGIONS_PER_EDITION = 5
BRANCHES_PER_REGION = 3

LOREM = (
    "Kulturskolen skal være en ressurs for hele oppvekstfeltet. Vi vil bygge samarbeid med barnehage, SFO "
    "og skole, og forankre arbeidet politisk og administrativt. Programmet gir oss felles språk og "
    "verktøy for utviklingsarbeid på tvers av tjenestene. "
)


def seed_load(ctx: dict) -> None:
    rng, now = ctx["rng"], ctx["now"]
    branches = ctx["branches"]
    leader = ctx["leadership"][0]
    members_by_branch: dict[int, list[int]] = {}
    for pk, branch_id in Municipality.objects.filter(is_member=True).values_list("pk", "county__branch_id"):
        members_by_branch.setdefault(branch_id, []).append(pk)

    last_year = now.astimezone(OSLO).year - (0 if now.astimezone(OSLO).month >= 9 else 1)
    programs = Program.objects.bulk_create(
        [
            Program(
                name=f"Fremtidens kulturskole – regionale program {year}–{year + 1} (last)",
                slug=f"{ctx['slug_prefix']}{year}",
                invitation_text=LOREM * 6,
                interest_deadline=dt.datetime(year, 9, 15, 23, 59, tzinfo=OSLO),
                start_semester=f"høst {year + 1}",
                contact_email=f"program@{ctx['email_domain']}",
                is_published=True,
            )
            for year in range(last_year - EDITIONS + 1, last_year + 1)
        ]
    )
    registrations = []
    decisions = []
    meetings = []
    for program in programs:
        for branch in branches:
            board = ctx["board"][branch.pk][0]
            registrations.append(
                InterestRegistration(
                    program=program,
                    branch=branch,
                    level=rng.choices(list(InterestLevel), weights=[6, 3, 1])[0],
                    contact_name=board.full_name,
                    contact_email=board.email,
                    contact_phone="+47 900 00 000",
                    dialogue_meeting_wanted=rng.random() < 0.2,
                    comment=LOREM,
                    updated_by=board,
                )
            )
            decisions.append(
                AnnualMeetingDecision(
                    program=program,
                    branch=branch,
                    meeting_date=program.interest_deadline.date() + dt.timedelta(days=40),
                    participates=True,
                    recorded_by=board,
                )
            )
        for branch in rng.sample(branches, 2):
            meetings.append(
                DialogueMeeting(
                    program=program,
                    branch=branch,
                    topic=LOREM,
                    status=DialogueMeetingStatus.SCHEDULED,
                    starts_at=program.interest_deadline - dt.timedelta(days=20),
                    location="Digitalt",
                    requested_by=ctx["board"][branch.pk][0],
                    scheduled_by=leader,
                )
            )
    registrations = InterestRegistration.objects.bulk_create(registrations)
    Through = InterestRegistration.municipalities.through
    Through.objects.bulk_create(
        [
            Through(interestregistration_id=r.pk, municipality_id=m)
            for r in registrations
            if r.level != InterestLevel.NO
            for m in rng.sample(members_by_branch[r.branch_id], len(members_by_branch[r.branch_id]) // 2)
        ],
        batch_size=2000,
    )
    AnnualMeetingDecision.objects.bulk_create(decisions)
    DialogueMeeting.objects.bulk_create(meetings)

    regional = []
    region_branches = []
    for index, program in enumerate(programs):
        current = index == len(programs) - 1
        year = program.interest_deadline.year
        opens = dt.datetime(year, 11, 1, 9, 0, tzinfo=OSLO)
        deadline = dt.datetime(year + 1, 2, 1, 23, 59, tzinfo=OSLO)
        if current:
            opens, deadline = now - dt.timedelta(days=20), now + dt.timedelta(days=40)
        for r in range(REGIONS_PER_EDITION):
            chosen = [branches[(2 * r + k) % len(branches)] for k in range(BRANCHES_PER_REGION)]
            regional.append(
                RegionalProgram(
                    program=program,
                    name=f"Region {' – '.join(b.short_name for b in chosen)}",
                    applications_open_at=opens,
                    application_deadline=deadline,
                    places=20,
                    applicant_guidance=LOREM * 2,
                )
            )
            region_branches.append(chosen)
    regional = RegionalProgram.objects.bulk_create(regional)
    Through = RegionalProgram.branches.through
    Through.objects.bulk_create(
        [
            Through(regionalprogram_id=rp.pk, countybranch_id=b.pk)
            for rp, chosen in zip(regional, region_branches, strict=True)
            for b in chosen
        ]
    )
    ctx["programs"] = programs
    ctx["current_program"] = programs[-1]
    ctx["regional_programs"] = [
        (rp, [m for b in chosen for m in members_by_branch[b.pk]], rp.program_id == programs[-1].pk)
        for rp, chosen in zip(regional, region_branches, strict=True)
    ]


def reset_load(ctx: dict) -> None:
    """Regional programmes protect their edition; the applications app has removed what protects them."""
    RegionalProgram.objects.filter(program__slug__startswith=ctx["slug_prefix"]).delete()
