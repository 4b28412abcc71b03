import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import Role, RoleAssignment
from applications.models import ApplicationDeadlineExtension, ApplicationStatus
from applications.selectors import (
    application_deadline_for,
    applications_visible_to,
    dashboard_applications,
    dashboard_open_windows,
    group_rows_of,
    jury_members_of,
    jury_reviews_for,
    jury_rows_of,
    municipal_groups_of,
    ranked_applications,
    regional_programs_open_to,
    review_scores_of,
)
from tests.applications.factories import (
    ApplicationFactory,
    JuryMemberFactory,
    ReviewFactory,
    SelectionCriterionFactory,
    open_region,
    submitted_review,
)
from tests.factories import (
    MunicipalityFactory,
    RegionalProgramFactory,
    UserFactory,
    board_member,
    municipal_contact,
)

pytestmark = pytest.mark.django_db


def test_scoring_arithmetic_weighted_mean_per_review_then_mean_and_spread(region):
    rp, _b, municipalities = region
    anchoring = SelectionCriterionFactory(regional_program=rp, weight=3)
    plan = SelectionCriterionFactory(regional_program=rp, weight=1)
    application = ApplicationFactory(regional_program=rp, municipality=municipalities[0], submitted=True)
    one, two, conflicted = (JuryMemberFactory(regional_program=rp) for _ in range(3))
    submitted_review(application, one, {anchoring: 5, plan: 1})  # (15 + 1) / 4 = 4.00
    submitted_review(application, two, {anchoring: 2, plan: 4})  # (6 + 4) / 4 = 2.50
    ReviewFactory(application=application, jury_member=conflicted, has_conflict=True, conflict_note="Inhabil")
    ReviewFactory(
        application=application, jury_member=JuryMemberFactory(regional_program=rp), no_conflict=True
    )
    [row] = ranked_applications(regional_program=rp)
    assert review_scores_of(application=application) == [Decimal("4.00"), Decimal("2.50")]
    assert row.score == Decimal("3.25")
    assert row.spread == Decimal("1.50")
    assert row.review_count == 2
    assert row.conflict_count == 1
    assert row.assigned_count == 4
    assert row.rank == 1


def test_ranking_gives_equal_scores_the_same_place_and_orders_ties_by_name():
    rp, _b, county, _m = open_region(municipalities=0)
    criterion = SelectionCriterionFactory(regional_program=rp, weight=2)
    member = JuryMemberFactory(regional_program=rp)
    names_scores = [("Bømlo", 4), ("Askøy", 4), ("Voss", 5), ("Os", 2)]
    for name, score in names_scores:
        application = ApplicationFactory(
            regional_program=rp, municipality=MunicipalityFactory(county=county, name=name), submitted=True
        )
        submitted_review(application, member, {criterion: score})
    unscored = ApplicationFactory(
        regional_program=rp, municipality=MunicipalityFactory(county=county, name="Aurland"), submitted=True
    )
    ApplicationFactory(regional_program=rp, municipality=MunicipalityFactory(county=county, name="Utkast"))
    rows = ranked_applications(regional_program=rp)
    assert [(r.application.municipality.name, r.rank) for r in rows] == [
        ("Voss", 1),
        ("Askøy", 2),
        ("Bømlo", 2),
        ("Os", 4),
        ("Aurland", None),
    ]
    assert rows[-1].application == unscored
    assert rows[-1].score is None


def test_visible_applications_by_role(region):
    rp, branch, municipalities = region
    mine = ApplicationFactory(regional_program=rp, municipality=municipalities[0])
    neighbour = ApplicationFactory(regional_program=rp, municipality=municipalities[1])
    other_rp, _ob, _oc, other_municipalities = open_region()
    elsewhere = ApplicationFactory(regional_program=other_rp, municipality=other_municipalities[0])
    assert set(applications_visible_to(municipal_contact(municipalities[0]))) == {mine}
    assert set(applications_visible_to(board_member(branch))) == {mine, neighbour}
    assert set(applications_visible_to(UserFactory(leadership=True))) == {mine, neighbour, elsewhere}
    assert not applications_visible_to(UserFactory(jury=True)).exists()
    assert not applications_visible_to(UserFactory()).exists()


def test_the_effective_deadline_annotation_matches_the_extension(region):
    import datetime as dt

    from applications.models import ApplicationDeadlineExtension

    rp, _b, municipalities = region
    application = ApplicationFactory(regional_program=rp, municipality=municipalities[0])
    later = rp.application_deadline + dt.timedelta(days=3)
    ApplicationDeadlineExtension.objects.create(
        regional_program=rp, municipality=municipalities[0], deadline=later
    )
    annotated = applications_visible_to(UserFactory(leadership=True)).get(pk=application.pk)
    assert annotated.effective_deadline == later
    assert application_deadline_for(regional_program=rp, municipality=municipalities[0]) == later


def test_open_programmes_offer_only_municipalities_without_an_application(region):
    rp, branch, municipalities = region
    started = ApplicationFactory(regional_program=rp, municipality=municipalities[0])
    [(program, eligible, mine)] = regional_programs_open_to(board_member(branch))
    assert program == rp
    assert set(eligible) == set(municipalities[1:])
    assert mine == [started]


def test_jury_reviews_leave_out_conflicts_and_withdrawn(region):
    rp, _b, municipalities = region
    member = JuryMemberFactory(regional_program=rp)
    ok = ReviewFactory(
        application=ApplicationFactory(regional_program=rp, municipality=municipalities[0], submitted=True),
        jury_member=member,
    )
    ReviewFactory(
        application=ApplicationFactory(regional_program=rp, municipality=municipalities[1], submitted=True),
        jury_member=member,
        has_conflict=True,
    )
    ReviewFactory(
        application=ApplicationFactory(
            regional_program=rp, municipality=municipalities[2], status=ApplicationStatus.WITHDRAWN
        ),
        jury_member=member,
    )
    assert list(jury_reviews_for(user=member.user)) == [ok]


def test_closed_application_windows_are_not_offered_unless_extended_for_one_of_mine(region):
    rp, branch, municipalities = region
    closed = RegionalProgramFactory(
        branches=[branch], application_deadline=timezone.now() - dt.timedelta(days=1)
    )
    extended = RegionalProgramFactory(
        branches=[branch], application_deadline=timezone.now() - dt.timedelta(days=1)
    )
    ApplicationDeadlineExtension.objects.create(
        regional_program=extended,
        municipality=municipalities[0],
        deadline=timezone.now() + dt.timedelta(days=2),
    )
    offered = [program for program, _eligible, _mine in regional_programs_open_to(board_member(branch))]
    assert rp in offered
    assert extended in offered
    assert closed not in offered


def test_the_dashboards_open_windows_follow_the_rules_of_the_application_list(region):
    """The dashboard's one-query windows offer what `regional_programs_open_to` offers, to board and contact."""
    rp, branch, municipalities = region
    now = timezone.now()
    county = municipalities[0].county
    MunicipalityFactory(county=county, is_member=False)  # never offered
    ApplicationFactory(regional_program=rp, municipality=municipalities[1])  # started: not offered again
    RegionalProgramFactory(branches=[branch], application_deadline=now - dt.timedelta(days=1))  # closed
    extended = RegionalProgramFactory(branches=[branch], application_deadline=now - dt.timedelta(days=1))
    ApplicationDeadlineExtension.objects.create(
        regional_program=extended, municipality=municipalities[2], deadline=now + dt.timedelta(days=2)
    )
    RegionalProgramFactory(  # not opened yet
        branches=[branch],
        applications_open_at=now + dt.timedelta(days=1),
        application_deadline=now + dt.timedelta(days=9),
    )
    open_region()  # another branch's window
    for person in (board_member(branch), municipal_contact(municipalities[2]), UserFactory(jury=True)):
        expected = [
            (program.pk, program.name, program.application_deadline, [(m.pk, m.name) for m in eligible])
            for program, eligible, _mine in regional_programs_open_to(person, applications=False)
            if eligible
        ]
        windows = dashboard_open_windows(user=person)
        got = [(w.pk, w.name, w.application_deadline, [(m.pk, m.name) for m in ms]) for w, ms in windows]
        assert got == expected
    # the earliest deadline first (the extended window), each with the municipalities that may still start
    board_windows = dashboard_open_windows(user=board_member(branch))
    not_started = sorted([municipalities[0], municipalities[2]], key=lambda m: (m.name, m.number))
    assert [(w.pk, [m.pk for m in ms]) for w, ms in board_windows] == [
        (extended.pk, [municipalities[2].pk]),
        (rp.pk, [m.pk for m in not_started]),
    ]


def _open_windows_by_the_orm(user) -> list[tuple[int, str, object, int, str]]:
    """The (region, municipality) pairs of the dashboard's open windows as the ORM query that
    `dashboard_open_windows` wrote out as SQL built them (kept here to hold the two together)."""
    from django.db.models import Exists, F, OuterRef, Q, Subquery
    from django.db.models.functions import Coalesce

    from accounts.permissions import role_scope
    from applications.models import Application
    from municipalities.models import Municipality

    scope = role_scope(user)
    now = timezone.now()
    region = "county__branch__regional_programs"
    extension = (
        ApplicationDeadlineExtension.objects.filter(
            regional_program=OuterRef("region_id"), municipality=OuterRef("pk")
        )
        .order_by()
        .values("deadline")[:1]
    )
    started = Application.objects.filter(regional_program=OuterRef("region_id"), municipality=OuterRef("pk"))
    return list(
        Municipality.objects.filter(
            Q(pk__in=scope.municipality_ids) | Q(county__branch_id__in=scope.branch_ids),
            Q(**{f"{region}__applications_open_at__isnull": True})
            | Q(**{f"{region}__applications_open_at__lte": now}),
            is_member=True,
            **{f"{region}__application_deadline__isnull": False},
        )
        .annotate(
            region_id=F(region),
            region_name=F(f"{region}__name"),
            region_deadline=F(f"{region}__application_deadline"),
        )
        .annotate(deadline=Coalesce(Subquery(extension), F("region_deadline")))
        .filter(deadline__gt=now)
        .exclude(Exists(started))
        .order_by("region_deadline", "region_name", "region_id", "name", "number")
        .values_list("region_id", "region_name", "region_deadline", "pk", "name")
    )


def test_the_dashboards_open_windows_in_sql_answer_what_the_orm_query_answered():
    """Two branches sharing a region, a contact of two municipalities, extensions that open, close and do not
    matter, started and withdrawn applications, windows not opened, without a deadline or closed: the SQL gives
    the ORM query's pairs, in its order, to every kind of person."""
    now = timezone.now()
    rp, branch, county, municipalities = open_region(municipalities=4)
    other_rp, other_branch, other_county, others = open_region(municipalities=3)
    shared = RegionalProgramFactory(  # both branches, a later deadline
        branches=[branch, other_branch],
        applications_open_at=None,
        application_deadline=now + dt.timedelta(days=20),
    )
    same_deadline = RegionalProgramFactory(  # ties on the deadline: by name, then id
        branches=[branch],
        applications_open_at=now - dt.timedelta(days=1),
        application_deadline=rp.application_deadline,
    )
    closed = RegionalProgramFactory(branches=[branch], application_deadline=now - dt.timedelta(days=1))
    RegionalProgramFactory(branches=[branch], application_deadline=None)  # no window
    RegionalProgramFactory(  # not opened yet
        branches=[other_branch],
        applications_open_at=now + dt.timedelta(days=1),
        application_deadline=now + dt.timedelta(days=9),
    )
    MunicipalityFactory(county=county, is_member=False)  # never offered
    ApplicationDeadlineExtension.objects.create(  # opens the closed window for one
        regional_program=closed, municipality=municipalities[0], deadline=now + dt.timedelta(days=2)
    )
    ApplicationDeadlineExtension.objects.create(  # an extension that ran out closes the open window for one
        regional_program=rp, municipality=municipalities[3], deadline=now - dt.timedelta(hours=1)
    )
    ApplicationDeadlineExtension.objects.create(  # another municipality's extension of the other window
        regional_program=shared, municipality=others[0], deadline=now + dt.timedelta(days=30)
    )
    ApplicationFactory(regional_program=rp, municipality=municipalities[1])  # started
    ApplicationFactory(
        regional_program=shared, municipality=others[1], status=ApplicationStatus.WITHDRAWN
    )  # still started
    ApplicationFactory(regional_program=other_rp, municipality=municipalities[2])  # another region: no matter
    both = board_member(branch)
    RoleAssignment.objects.create(user=both, role=Role.MUNICIPAL_CONTACT, municipality=others[2])
    contact = municipal_contact(municipalities[0])
    RoleAssignment.objects.create(user=contact, role=Role.MUNICIPAL_CONTACT, municipality=others[0])
    people = [board_member(branch), board_member(other_branch), both, contact, UserFactory(jury=True)]
    seen = []
    for person in people:
        expected = _open_windows_by_the_orm(person)
        got = [
            (w.pk, w.name, w.application_deadline, m.pk, m.name)
            for w, ms in dashboard_open_windows(user=person)
            for m in ms
        ]
        assert got == expected
        seen.append(len(got))
    assert seen == [11, 5, 13, 6, 0]  # pairs compared: board, other board, board and contact, contact, jury
    assert {shared.pk, same_deadline.pk, closed.pk} <= {w.pk for w, _ms in dashboard_open_windows(user=both)}


def _dashboard_applications_by_the_orm(user, limit: int = 5) -> list[tuple]:
    """The dashboard's applications as the ORM query that `dashboard_applications` wrote out as SQL read them."""
    from django.db.models import F, OuterRef, Q, Subquery
    from django.db.models.functions import Coalesce

    from accounts.permissions import role_scope
    from applications.models import Application

    scope = role_scope(user)
    extension = (
        ApplicationDeadlineExtension.objects.filter(
            regional_program=OuterRef("regional_program"), municipality=OuterRef("municipality")
        )
        .order_by()
        .values("deadline")[:1]
    )
    return [
        (a.pk, a.status, a.updated_at, a.regional_program.name, a.municipality.name, a.effective_deadline)
        for a in Application.objects.select_related("regional_program", "municipality")
        .annotate(
            effective_deadline=Coalesce(Subquery(extension), F("regional_program__application_deadline"))
        )
        .filter(
            Q(municipality_id__in=scope.municipality_ids)
            | Q(municipality__county__branch_id__in=scope.branch_ids)
        )
        .order_by("-updated_at", "-pk")[:limit]
    ]


def test_the_dashboards_applications_in_sql_answer_what_the_orm_query_answered():
    """A branch's applications in two regions, one with an extension, one in a region without a deadline, another
    branch's beside them, and a contact of two municipalities: the SQL gives the ORM query's newest five (or all),
    in its order, with the same deadline, to board, contact and a person without municipalities."""
    now = timezone.now()
    rp, branch, county, municipalities = open_region(municipalities=5)
    later = RegionalProgramFactory(branches=[branch], application_deadline=None)
    other_rp, _other_branch, _c, others = open_region(municipalities=2)
    made = []
    for i, m in enumerate(municipalities):
        made.append(ApplicationFactory(regional_program=rp, municipality=m, submitted=i % 2 == 0))
    made.append(ApplicationFactory(regional_program=later, municipality=municipalities[0]))
    made += [ApplicationFactory(regional_program=other_rp, municipality=m) for m in others]
    ApplicationDeadlineExtension.objects.create(
        regional_program=rp, municipality=municipalities[3], deadline=now + dt.timedelta(days=40)
    )
    for i, application in enumerate(made):  # updated in an order of their own, two at the same moment
        stamp = now - dt.timedelta(hours=(i * 7) % 10 if i != 4 else 7)  # the same moment as the second
        type(application).objects.filter(pk=application.pk).update(updated_at=stamp)
    contact = municipal_contact(municipalities[3])
    RoleAssignment.objects.create(user=contact, role=Role.MUNICIPAL_CONTACT, municipality=others[1])
    for person, limit, n in (
        (board_member(branch), 5, 5),
        (board_member(branch), 10, 6),
        (contact, 5, 2),
        (UserFactory(jury=True), 5, 0),
    ):
        got = [
            (a.pk, a.status, a.updated_at, a.regional_program.name, a.municipality.name, a.effective_deadline)
            for a in dashboard_applications(user=person, limit=limit)
        ]
        assert got == _dashboard_applications_by_the_orm(person, limit)
        assert len(got) == n
    extended = next(
        a for a in dashboard_applications(user=contact) if a.municipality_id == municipalities[3].pk
    )
    assert extended.effective_deadline == now + dt.timedelta(days=40)


def test_ranking_means_per_criterion_count_only_this_programmes_criteria_and_delivered_reviews(region):
    rp, _b, municipalities = region
    quality, reach = (
        SelectionCriterionFactory(regional_program=rp, weight=1),
        SelectionCriterionFactory(regional_program=rp, weight=3),
    )
    elsewhere = SelectionCriterionFactory(regional_program=RegionalProgramFactory(), weight=10)
    application = ApplicationFactory(regional_program=rp, municipality=municipalities[0], submitted=True)
    submitted_review(
        application, JuryMemberFactory(regional_program=rp), {quality: 5, reach: 2, elsewhere: 1}
    )
    submitted_review(application, JuryMemberFactory(regional_program=rp), {quality: 4, reach: 3})
    ReviewFactory(
        application=application, jury_member=JuryMemberFactory(regional_program=rp)
    )  # not delivered
    ApplicationFactory(
        regional_program=rp, municipality=municipalities[1], status=ApplicationStatus.WITHDRAWN
    )
    [row] = ranked_applications(regional_program=rp, texts=False)
    # (5 + 6) / 4 = 2.75 and (4 + 9) / 4 = 3.25: the other programme's criterion weighs nothing here.
    assert review_scores_of(application=application) == [Decimal("2.75"), Decimal("3.25")]
    assert (row.score, row.spread) == (Decimal("3.00"), Decimal("0.50"))
    assert row.criterion_means == {quality.pk: Decimal("4.50"), reach.pk: Decimal("2.50")}
    assert (row.review_count, row.assigned_count, row.conflict_count) == (2, 3, 0)


def test_jury_members_are_counted_per_member_and_listed_by_email(region):
    rp, _b, municipalities = region
    applications = [
        ApplicationFactory(regional_program=rp, municipality=m, submitted=True) for m in municipalities[:3]
    ]
    early = JuryMemberFactory(regional_program=rp, user=UserFactory(email="b-forst@example.org"))
    late = JuryMemberFactory(regional_program=rp, user=UserFactory(email="a-sist@example.org"))
    for application in applications:
        ReviewFactory(application=application, jury_member=late)
    submitted_review(applications[0], early, {})
    ReviewFactory(application=applications[1], jury_member=early, has_conflict=True, conflict_note="Nabo")
    members = list(jury_members_of(regional_program=rp))
    assert [m.email for m in members] == ["a-sist@example.org", "b-forst@example.org"]
    assert [(m.assigned, m.submitted, m.conflicts) for m in members] == [(3, 0, 0), (2, 1, 1)]


def test_the_selection_overviews_jury_and_group_rows_are_what_the_querysets_say(region):
    from tests.gatherings.factories import GroupFactory, MemberFactory

    rp, _b, municipalities = region
    applications = [
        ApplicationFactory(regional_program=rp, municipality=m, submitted=True) for m in municipalities[:3]
    ]
    linked = JuryMemberFactory(
        regional_program=rp, user=UserFactory(email="b@example.org", full_name="Bo <B>")
    )
    invited = JuryMemberFactory(regional_program=rp, user=None, email="a@example.org", full_name="")
    JuryMemberFactory(regional_program=RegionalProgramFactory())  # another programme's
    for application in applications:
        ReviewFactory(application=application, jury_member=linked)
    submitted_review(applications[0], invited, {})
    ReviewFactory(application=applications[1], jury_member=invited, has_conflict=True, conflict_note="Nabo")
    members = list(jury_members_of(regional_program=rp))
    assert [
        (r.pk, r.user_id, r.email, r.display_name, r.assigned, r.submitted, r.conflicts)
        for r in jury_rows_of(regional_program_id=rp.pk)
    ] == [(m.pk, m.user_id, m.email, m.display_name, m.assigned, m.submitted, m.conflicts) for m in members]
    assert [r.display_name for r in jury_rows_of(regional_program_id=rp.pk)] == ["a@example.org", "Bo <B>"]

    full = GroupFactory(regional_program=rp, municipality=municipalities[0], coordinator_name="Kari")
    GroupFactory(regional_program=rp, municipality=municipalities[1], coordinator_name="")
    MemberFactory.create_batch(2, group=full)
    groups = list(municipal_groups_of(regional_program=rp))
    assert len(groups) == 2
    assert group_rows_of(regional_program_id=rp.pk) == [
        (g.pk, g.municipality.name, g.coordinator_name, g.member_count) for g in groups
    ]


def test_the_selection_overviews_programme_is_locked_once_a_review_is_delivered_and_hidden_from_others(
    region,
):
    from django.http import Http404

    from applications.selectors import selection_program_get
    from applications.services import criteria_locked

    rp, _b, municipalities = region
    leader = UserFactory(leadership=True)
    application = ApplicationFactory(regional_program=rp, municipality=municipalities[0], submitted=True)
    member = JuryMemberFactory(regional_program=rp)
    ReviewFactory(application=application, jury_member=member)
    shown = selection_program_get(user=leader, pk=rp.pk)
    assert (shown.pk, shown.name, shown.places, shown.criteria_locked) == (rp.pk, rp.name, rp.places, False)
    submitted_review(application, JuryMemberFactory(regional_program=rp), {})
    assert selection_program_get(user=leader, pk=rp.pk).criteria_locked is True
    assert criteria_locked(regional_program=rp) is True
    with pytest.raises(Http404):
        selection_program_get(user=UserFactory(), pk=rp.pk)
    with pytest.raises(Http404):
        selection_program_get(user=leader, pk=rp.pk + 1000)


def _open_programs_by_the_orm(user, *, applications: bool = True) -> list[tuple]:
    """`regional_programs_open_to` as the five ORM queries that its SQL replaced built it (kept here to hold the
    two together)."""
    from django.db.models import Exists, OuterRef, Q

    from accounts.permissions import role_scope
    from applications.models import Application
    from municipalities.models import Municipality
    from programs.models import RegionalProgram

    scope = role_scope(user)
    if not scope.municipality_ids and not scope.branch_ids:
        return []
    municipalities = list(
        Municipality.objects.filter(
            Q(pk__in=scope.municipality_ids) | Q(county__branch_id__in=scope.branch_ids), is_member=True
        )
        .select_related("county")
        .only("name", "county__branch")
    )
    branch_ids = {m.county.branch_id for m in municipalities}
    municipality_ids = [m.pk for m in municipalities]
    now = timezone.now()
    extended = ApplicationDeadlineExtension.objects.filter(
        regional_program=OuterRef("pk"), deadline__gt=now, municipality_id__in=municipality_ids
    )
    programs_list = list(
        RegionalProgram.objects.filter(
            Q(application_deadline__gt=now) | Exists(extended),
            application_deadline__isnull=False,
            pk__in=RegionalProgram.branches.through.objects.filter(countybranch_id__in=branch_ids).values(
                "regionalprogram_id"
            ),
        )
        .select_related("program")
        .order_by("application_deadline", "name")
    )
    program_ids = [rp.pk for rp in programs_list]
    in_windows = Application.objects.filter(
        municipality_id__in=municipality_ids, regional_program_id__in=program_ids
    )
    existing_applications = (
        list(
            in_windows.select_related("municipality")
            .only("status", "regional_program_id", "municipality__name")
            .order_by("municipality__name")
        )
        if applications
        else []
    )
    existing = (
        {(a.regional_program_id, a.municipality_id) for a in existing_applications}
        if applications
        else set(in_windows.order_by().values_list("regional_program_id", "municipality_id"))
    )
    extensions = {
        (rp_id, m_id): deadline
        for rp_id, m_id, deadline in ApplicationDeadlineExtension.objects.filter(
            municipality_id__in=municipality_ids
        )
        .order_by()
        .values_list("regional_program_id", "municipality_id", "deadline")
    }
    program_branches: dict[int, set[int]] = {}
    for rp_id, branch_id in RegionalProgram.branches.through.objects.filter(
        regionalprogram_id__in=program_ids, countybranch_id__in=branch_ids
    ).values_list("regionalprogram_id", "countybranch_id"):
        program_branches.setdefault(rp_id, set()).add(branch_id)
    result = []
    for rp in programs_list:
        rp_branch_ids = program_branches.get(rp.pk, set())
        opened = rp.applications_open_at is None or rp.applications_open_at <= now
        eligible = [
            m
            for m in municipalities
            if m.county.branch_id in rp_branch_ids
            and (rp.pk, m.pk) not in existing
            and opened
            and (extensions.get((rp.pk, m.pk)) or rp.application_deadline or now) > now
        ]
        mine = [a for a in existing_applications if a.regional_program_id == rp.pk]
        result.append((rp, eligible, mine))
    return result


def _what_the_open_programs_show(windows) -> list[tuple]:
    """Every field of each programme and its programme's name, the municipalities that may start (id, name) and the
    started applications (id, status, programme, municipality and its name): what the list and the start read."""
    from programs.models import RegionalProgram

    fields = [f.attname for f in RegionalProgram._meta.concrete_fields]
    return [
        (
            {name: getattr(rp, name) for name in fields},
            rp.program.name,
            [(m.pk, m.name) for m in eligible],
            [(a.pk, a.status, a.regional_program_id, a.municipality_id, a.municipality.name) for a in mine],
        )
        for rp, eligible, mine in windows
    ]


def test_the_open_programmes_in_sql_answer_what_the_orm_queries_answered():
    """Two branches sharing a region, a board member of both, a contact of municipalities in two branches,
    extensions that open, close and do not matter, started and withdrawn applications (also from a municipality
    outside the region's branches, and from one no longer a member), windows not opened, without a deadline or
    closed: the one query gives every person what the five ORM queries gave, whole programmes included."""
    now = timezone.now()
    rp, branch, county, municipalities = open_region(municipalities=4, applicant_guidance="Les dette først.")
    other_rp, other_branch, _other_county, others = open_region(municipalities=3)
    shared = RegionalProgramFactory(  # both branches, a later deadline
        branches=[branch, other_branch],
        applications_open_at=None,
        application_deadline=now + dt.timedelta(days=20),
        review_deadline=now + dt.timedelta(days=40),
        places=7,
    )
    same_deadline = RegionalProgramFactory(  # ties on the deadline: by name
        branches=[branch],
        name="Å-regionen",
        applications_open_at=now - dt.timedelta(days=1),
        application_deadline=rp.application_deadline,
    )
    closed = RegionalProgramFactory(branches=[branch], application_deadline=now - dt.timedelta(days=1))
    RegionalProgramFactory(branches=[branch], application_deadline=None)  # no window
    not_opened = RegionalProgramFactory(  # listed, nobody may start yet
        branches=[other_branch],
        applications_open_at=now + dt.timedelta(days=1),
        application_deadline=now + dt.timedelta(days=9),
    )
    RegionalProgramFactory(  # closed, extended for a municipality of nobody below
        branches=[other_branch], application_deadline=now - dt.timedelta(days=2)
    )
    former = MunicipalityFactory(county=county, is_member=False)  # never offered, its application not listed
    ApplicationDeadlineExtension.objects.create(  # opens the closed window for one
        regional_program=closed, municipality=municipalities[0], deadline=now + dt.timedelta(days=2)
    )
    ApplicationDeadlineExtension.objects.create(  # an extension that ran out closes the open window for one
        regional_program=rp, municipality=municipalities[3], deadline=now - dt.timedelta(hours=1)
    )
    ApplicationDeadlineExtension.objects.create(  # another municipality's extension of the shared window
        regional_program=shared, municipality=others[0], deadline=now + dt.timedelta(days=30)
    )
    ApplicationFactory(regional_program=rp, municipality=municipalities[1])  # started
    ApplicationFactory(regional_program=rp, municipality=former, submitted=True)
    ApplicationFactory(
        regional_program=closed, municipality=municipalities[2], submitted=True
    )  # closed, started
    ApplicationFactory(regional_program=not_opened, municipality=others[2])  # started before it opened
    ApplicationFactory(
        regional_program=shared, municipality=others[1], status=ApplicationStatus.WITHDRAWN
    )  # still started
    ApplicationFactory(
        regional_program=other_rp, municipality=municipalities[2]
    )  # outside its branch's regions
    both = board_member(branch)
    RoleAssignment.objects.create(user=both, role=Role.BOARD_MEMBER, branch=other_branch)
    contact = municipal_contact(municipalities[2])
    RoleAssignment.objects.create(user=contact, role=Role.MUNICIPAL_CONTACT, municipality=others[2])
    people = [board_member(branch), board_member(other_branch), both, contact, UserFactory(jury=True)]
    seen = []
    for person in people:
        for applications in (False, True):
            expected = _what_the_open_programs_show(
                _open_programs_by_the_orm(person, applications=applications)
            )
            got = _what_the_open_programs_show(regional_programs_open_to(person, applications=applications))
            assert got == expected
        seen.append((len(got), sum(len(e) for _rp, _p, e, _m in got), sum(len(m) for _rp, _p, _e, m in got)))
    # (windows, municipalities that may start, applications started) per person: every kind of row was compared
    assert seen == [(4, 11, 2), (3, 5, 2), (6, 16, 5), (5, 5, 2), (0, 0, 0)]
    windows = [rp.pk for rp, _e, _m in regional_programs_open_to(both)]
    assert {shared.pk, same_deadline.pk, closed.pk, not_opened.pk, rp.pk, other_rp.pk} == set(windows)
