import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from programs import selectors
from programs.models import InterestLevel, InterestRegistration
from tests.factories import (
    CountyBranchFactory,
    CountyFactory,
    MunicipalityFactory,
    ProgramFactory,
    UserFactory,
)
from tests.programs.factories import (
    AnnualMeetingDecisionFactory,
    DialogueMeetingFactory,
    InterestDeadlineExtensionFactory,
    InterestRegistrationFactory,
)


def _branches_with_answers(program, n, *, municipalities_each=3):
    """n branches, each with a county, member municipalities, a registration, an extension and a meeting."""
    levels = [InterestLevel.YES, InterestLevel.MAYBE, InterestLevel.NO]
    for i in range(n):
        branch = CountyBranchFactory()
        county = CountyFactory(branch=branch)
        members = [MunicipalityFactory(county=county) for _ in range(municipalities_each)]
        if i % 4 == 3:
            continue  # every fourth branch has not answered
        InterestRegistrationFactory(
            program=program,
            branch=branch,
            level=levels[i % 3],
            municipalities=members,
            updated_by=UserFactory(full_name=f"Styre {i}"),
        )
        InterestDeadlineExtensionFactory(program=program, branch=branch)
        DialogueMeetingFactory(program=program, branch=branch, scheduled=bool(i % 2))
        AnnualMeetingDecisionFactory(program=program, branch=branch)


def _count(func) -> int:
    with CaptureQueriesContext(connection) as ctx:
        func()
    return len(ctx.captured_queries)


def test_interest_deadline_for_uses_the_extension_when_there_is_one(db):
    program = ProgramFactory()
    branch, other = CountyBranchFactory(), CountyBranchFactory()
    later = program.interest_deadline + dt.timedelta(days=5)
    InterestDeadlineExtensionFactory(program=program, branch=branch, deadline=later)
    assert selectors.interest_deadline_for(program=program, branch=branch) == later
    assert selectors.interest_deadline_for(program=program, branch=other) == program.interest_deadline


def test_branches_without_registration_ignores_inactive_and_other_editions(db):
    program, other_program = ProgramFactory(), ProgramFactory()
    answered = CountyBranchFactory(name="A")
    silent = CountyBranchFactory(name="B")
    CountyBranchFactory(name="C", is_active=False)
    answered_elsewhere = CountyBranchFactory(name="D")
    InterestRegistrationFactory(program=program, branch=answered)
    InterestRegistrationFactory(program=other_program, branch=answered_elsewhere)
    assert list(selectors.branches_without_interest_registration(program=program)) == [
        silent,
        answered_elsewhere,
    ]


def test_branch_member_municipalities_are_only_members_in_own_counties(branch_setup):
    MunicipalityFactory(name="Annen")
    names = [m.name for m in selectors.branch_member_municipalities(branch=branch_setup["branch"])]
    assert names == ["Askvoll", "Kinn", "Sunnfjord"]


def test_temperature_overview_counts(db):
    program = ProgramFactory()
    _branches_with_answers(program, 8, municipalities_each=2)
    overview = selectors.temperature_overview(program=program)
    assert overview.branch_count == 8
    assert overview.answered_count == 6
    assert dict((s, c) for s, _l, c in overview.totals) == {"yes": 2, "maybe": 2, "no": 2, "none": 2}
    assert overview.municipality_count == 12
    assert len(overview.counties) == 8
    assert all(row.extended for row in overview.rows if row.registration)


@pytest.mark.parametrize("n", [2, 12])
def test_temperature_overview_query_count_is_constant(db, django_assert_num_queries, n):
    program = ProgramFactory()
    _branches_with_answers(program, n)
    ProgramFactory()  # other editions do not add queries
    with django_assert_num_queries(7):
        overview = selectors.temperature_overview(program=program, q="testkommune")
        [len(r.registration.municipalities.all()) for r in overview.rows if r.registration]
        [r.registration.updated_by for r in overview.rows if r.registration]


def _page_queries(client, url) -> int:
    return _count(lambda: client.get(url))


@pytest.mark.parametrize(
    "page",
    [
        "temperature",
        "program_list",
        "dashboard",
        "dialogue_meeting_list",
        "regional_program_list",
        "export_csv",
        "export_xlsx",
    ],
)
def test_leadership_pages_have_constant_queries_with_few_and_many_rows(client, db, page):
    leader = UserFactory(leadership=True, full_name="Liv Leder")
    client.force_login(leader)
    counts = []
    for n in (2, 10):
        program = ProgramFactory()
        for _ in range(n // 2):
            ProgramFactory()  # more editions
        _branches_with_answers(program, n)
        url = {
            "temperature": reverse("programs:temperature", kwargs={"pk": program.pk}),
            "program_list": reverse("programs:program_list"),
            "dashboard": reverse("accounts:dashboard"),
            "dialogue_meeting_list": reverse("programs:dialogue_meeting_list", kwargs={"pk": program.pk}),
            "regional_program_list": reverse("programs:regional_program_list", kwargs={"pk": program.pk}),
            "export_csv": reverse("programs:temperature_export", kwargs={"pk": program.pk, "fmt": "csv"}),
            "export_xlsx": reverse("programs:temperature_export", kwargs={"pk": program.pk, "fmt": "xlsx"}),
        }[page]
        client.get(url)  # warm up (session, content types)
        counts.append(_page_queries(client, url))
    assert counts[0] == counts[1], counts


def test_board_pages_have_constant_queries_with_few_and_many_rows(client, branch_setup):
    board = branch_setup["board"]
    client.force_login(board)
    counts = []
    for n in (1, 8):
        for _ in range(n):
            ProgramFactory(interest_deadline=timezone.now() + dt.timedelta(days=n))
        program = branch_setup["program"]
        extra = [MunicipalityFactory(county=branch_setup["county"]) for _ in range(n)]
        registration = InterestRegistration.objects.filter(program=program).first() or (
            InterestRegistrationFactory(program=program, branch=branch_setup["branch"])
        )
        registration.municipalities.add(*extra)
        DialogueMeetingFactory(program=program, branch=branch_setup["branch"], scheduled=True)
        reg_url = reverse(
            "programs:interest_registration",
            kwargs={"pk": program.pk, "branch_id": branch_setup["branch"].pk},
        )
        urls = [
            reverse("accounts:dashboard"),
            reg_url,
            reverse("programs:program_list"),
            reverse("programs:dialogue_meeting_list", kwargs={"pk": program.pk}),
        ]
        for url in urls:
            client.get(url)
        counts.append([_page_queries(client, url) for url in urls])
    assert counts[0] == counts[1], counts


def test_dialogue_meetings_are_scoped_to_the_board_members_branch(branch_setup):
    program = branch_setup["program"]
    own = DialogueMeetingFactory(program=program, branch=branch_setup["branch"])
    DialogueMeetingFactory(program=program)  # another branch
    DialogueMeetingFactory(program=program, branch=None, requester_name="Kinn kommune")
    assert list(selectors.dialogue_meetings_for(user=branch_setup["board"])) == [own]
    leader = UserFactory(leadership=True, full_name="Liv Leder")
    assert selectors.dialogue_meetings_for(user=leader).count() == 3


def test_interest_deadlines_for_all_branches_in_two_queries(db, django_assert_num_queries):
    program = ProgramFactory()
    plain, extended = CountyBranchFactory(), CountyBranchFactory()
    later = program.interest_deadline + dt.timedelta(days=3)
    InterestDeadlineExtensionFactory(program=program, branch=extended, deadline=later)
    with django_assert_num_queries(2):
        deadlines = selectors.interest_deadlines(program=program)
    assert deadlines == {plain.pk: program.interest_deadline, extended.pk: later}


def _board_panels_by_the_orm(user) -> list[tuple]:
    """What `board_dashboard` answered when it read with four ORM queries (kept here to hold the SQL to it)."""
    from municipalities.selectors import dashboard_branches
    from programs.models import AnnualMeetingDecision, InterestDeadlineExtension, Program

    branches = [branch for branch in dashboard_branches(user=user) if branch.is_active]
    programs = list(Program.objects.filter(is_published=True).order_by("-interest_deadline", "id")[:3])
    registrations = {
        (r.program_id, r.branch_id): r
        for r in InterestRegistration.objects.filter(program__in=programs, branch__in=branches)
    }
    extensions = {
        (e.program_id, e.branch_id): e.deadline
        for e in InterestDeadlineExtension.objects.filter(program__in=programs, branch__in=branches)
    }
    decisions = {
        (d.program_id, d.branch_id)
        for d in AnnualMeetingDecision.objects.filter(program__in=programs, branch__in=branches)
    }
    rows = []
    for program in programs:
        for branch in branches:
            registration = registrations.get((program.pk, branch.pk))
            extended_to = extensions.get((program.pk, branch.pk))
            rows.append(
                (
                    (program.pk, program.name, program.slug, program.interest_deadline),
                    branch.pk,
                    registration and (registration.pk, registration.level, registration.updated_at),
                    registration and registration.get_level_display(),
                    extended_to or program.interest_deadline,
                    extended_to is not None,
                    (program.pk, branch.pk) in decisions,
                )
            )
    return rows


@pytest.mark.django_db
def test_the_board_panels_in_sql_answer_what_the_orm_queries_answered():
    """Four editions (one not published, the oldest of the published left out), a board member of three
    branches (one inactive) with answers, extensions and decisions here and there, and another branch's
    answers beside them: the SQL gives the ORM's panels, in its order, with the same values."""
    from accounts.models import Role, RoleAssignment

    now = timezone.now()
    programs = [ProgramFactory(interest_deadline=now + dt.timedelta(days=d)) for d in (-400, 30, -30, 200)]
    ProgramFactory(interest_deadline=now + dt.timedelta(days=300), is_published=False)
    person = UserFactory()
    branches = [CountyBranchFactory(name=f"Norsk kulturskoleråd {n}") for n in ("Østfold", "Agder", "Troms")]
    branches[2].is_active = False
    branches[2].save()
    for branch in branches:
        RoleAssignment.objects.create(user=person, role=Role.BOARD_MEMBER, branch=branch)
    other = CountyBranchFactory()
    for program in programs:
        InterestRegistrationFactory(program=program, branch=other, level=InterestLevel.YES)
        AnnualMeetingDecisionFactory(program=program, branch=other)
    InterestRegistrationFactory(program=programs[1], branch=branches[0], level=InterestLevel.MAYBE)
    InterestRegistrationFactory(program=programs[3], branch=branches[1], level=InterestLevel.NO)
    InterestRegistrationFactory(program=programs[0], branch=branches[1], level=InterestLevel.YES)  # too old
    InterestDeadlineExtensionFactory(
        program=programs[2], branch=branches[1], deadline=now + dt.timedelta(days=3)
    )
    InterestDeadlineExtensionFactory(program=programs[3], branch=other, deadline=now + dt.timedelta(days=9))
    AnnualMeetingDecisionFactory(program=programs[1], branch=branches[0])
    AnnualMeetingDecisionFactory(program=programs[2], branch=branches[1])
    got = [
        (
            (p.program.pk, p.program.name, p.program.slug, p.program.interest_deadline),
            p.branch.pk,
            p.registration and (p.registration.pk, p.registration.level, p.registration.updated_at),
            p.registration and p.registration.get_level_display(),
            p.deadline,
            p.extended,
            p.decision is not None,
        )
        for p in selectors.board_dashboard(user=person)
    ]
    assert got == _board_panels_by_the_orm(person)
    assert [(row[0][0], row[1]) for row in got] == [
        (program.pk, branch.pk)
        for program in (programs[3], programs[1], programs[2])
        for branch in branches[1::-1]
    ]  # newest edition first, the active branches in Norwegian order (Agder before Østfold)
    assert [row[5] for row in got].count(True) == 1
    assert [row[6] for row in got].count(True) == 2
    assert sum(1 for row in got if row[2]) == 2


def _meetings_by_the_orm(user) -> list[tuple]:
    """What `upcoming_dialogue_meetings` answered when the ORM built its query on `dialogue_meetings_for`."""
    from django.db.models import Q

    from programs.models import DialogueMeetingStatus
    from programs.selectors import dialogue_meetings_for

    now = timezone.now()
    return [
        (m.pk, m.status, m.starts_at, m.location, m.video_link, m.counterpart)
        for m in dialogue_meetings_for(user=user)
        .select_related(None)
        .select_related("branch")
        .filter(
            Q(status=DialogueMeetingStatus.REQUESTED)
            | Q(status=DialogueMeetingStatus.SCHEDULED, starts_at__gte=now - dt.timedelta(hours=2))
        )
        .order_by("-status", "starts_at", "created_at", "pk")[:6]
    ]


@pytest.mark.django_db
def test_the_dashboards_dialogue_meetings_in_sql_answer_what_the_orm_query_answered():
    """Meetings asked for and scheduled (coming, just begun, long past), cancelled, without a branch (another actor
    asked), in an unpublished edition, more than six for leadership: the SQL gives the ORM's, in its order."""
    from programs.models import DialogueMeetingStatus

    now = timezone.now()
    published, hidden = ProgramFactory(), ProgramFactory(is_published=False)
    own, other = CountyBranchFactory(), CountyBranchFactory()
    for i, branch in enumerate((own, other, own, own, other)):
        DialogueMeetingFactory(program=published, branch=branch)  # asked for
        DialogueMeetingFactory(
            program=published,
            branch=branch,
            scheduled=True,
            starts_at=now + dt.timedelta(days=i % 3),
            location="",
        )
    DialogueMeetingFactory(
        program=published, branch=own, scheduled=True, starts_at=now - dt.timedelta(hours=1)
    )
    DialogueMeetingFactory(
        program=published, branch=own, scheduled=True, starts_at=now - dt.timedelta(hours=3)
    )
    DialogueMeetingFactory(program=published, branch=own, status=DialogueMeetingStatus.CANCELLED)
    DialogueMeetingFactory(program=published, branch=None, requester_name="KS Agder")
    DialogueMeetingFactory(  # scheduled with another actor, just begun: among leadership's first six
        program=published,
        branch=None,
        requester_name="KS Agder",
        scheduled=True,
        starts_at=now - dt.timedelta(hours=1),
    )
    DialogueMeetingFactory(program=hidden, branch=own)
    board = UserFactory()
    from accounts.models import Role, RoleAssignment

    RoleAssignment.objects.create(user=board, role=Role.BOARD_MEMBER, branch=own)
    for person, n in ((UserFactory(leadership=True), 6), (board, 6), (UserFactory(jury=True), 0)):
        got = [
            (m.pk, m.status, m.starts_at, m.location, m.video_link, m.counterpart)
            for m in selectors.upcoming_dialogue_meetings(user=person)
        ]
        assert got == _meetings_by_the_orm(person)
        assert len(got) == n
    assert "KS Agder" in [
        m.counterpart for m in selectors.upcoming_dialogue_meetings(user=UserFactory(leadership=True))
    ]
