"""Every Django admin change list costs the same number of queries with few rows and with more rows."""

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invitation, Role
from audit.services import audit_log
from gatherings.models import HandIn
from programs.models import MunicipalGroup, MunicipalGroupMember
from tests.applications.factories import (
    ApplicationFactory,
    JuryMemberFactory,
    ReviewFactory,
    SelectionCriterionFactory,
)
from tests.factories import (
    CountyBranchFactory,
    CountyFactory,
    MunicipalityFactory,
    RegionalProgramFactory,
    RoleAssignmentFactory,
    UserFactory,
)
from tests.gatherings.factories import GatheringFactory, RegistrationFactory, SemesterFactory
from tests.guidance.factories import AgreementFactory, SessionFactory, plan_revision
from tests.programs.factories import (
    AnnualMeetingDecisionFactory,
    DialogueMeetingFactory,
    InterestDeadlineExtensionFactory,
    InterestRegistrationFactory,
)
from tests.reminders.factories import DeliveryFactory

pytestmark = pytest.mark.django_db

# The change lists this test fills with rows; a registration added later is still measured if it has rows.
COVERED = {
    "accounts.User",
    "accounts.RoleAssignment",
    "accounts.Invitation",
    "audit.AuditEntry",
    "municipalities.CountyBranch",
    "municipalities.County",
    "municipalities.Municipality",
    "programs.Program",
    "programs.RegionalProgram",
    "programs.InterestRegistration",
    "programs.InterestDeadlineExtension",
    "programs.DialogueMeeting",
    "programs.AnnualMeetingDecision",
    "programs.MunicipalGroup",
    "applications.Application",
    "applications.SelectionCriterion",
    "applications.JuryMember",
    "applications.Review",
    "reminders.Delivery",
    "gatherings.Semester",
    "gatherings.Gathering",
    "gatherings.Registration",
    "gatherings.HandIn",
    "guidance.GuidanceAgreement",
    "guidance.GuidanceSession",
    "guidance.DevelopmentPlan",
}


def _world(admin_user, n: int) -> None:
    """n rows of every kind, each with its own related rows (so a query per row would show)."""
    for _ in range(n):
        branch = CountyBranchFactory()
        county = CountyFactory(branch=branch)
        municipality = MunicipalityFactory(county=county)
        rp = RegionalProgramFactory()
        rp.branches.add(branch)
        program = rp.program
        user = UserFactory()
        RoleAssignmentFactory(user=user, role=Role.BOARD_MEMBER, branch=branch)
        Invitation.objects.create(
            email=f"inv{user.pk}@example.org",
            role=Role.MUNICIPAL_CONTACT,
            municipality=municipality,
            token_hash=f"hash{user.pk}",
            invited_by=admin_user,
            expires_at=timezone.now(),
        )
        audit_log(actor=user, action="accounts.role.added", obj=user, details={})
        InterestRegistrationFactory(program=program, branch=branch, updated_by=user)
        InterestDeadlineExtensionFactory(program=program, branch=branch, granted_by=user)
        DialogueMeetingFactory(program=program, branch=branch)
        AnnualMeetingDecisionFactory(program=program, branch=branch, recorded_by=user)
        application = ApplicationFactory(regional_program=rp, municipality=municipality, submitted=True)
        group = MunicipalGroup.objects.create(regional_program=rp, municipality=municipality)
        MunicipalGroupMember.objects.create(group=group, name="Kari", sector="kulturskole")
        SelectionCriterionFactory(regional_program=rp)
        ReviewFactory(application=application, jury_member=JuryMemberFactory(regional_program=rp))
        DeliveryFactory(program=program, recipient_user=user)
        gathering = GatheringFactory(regional_program=rp, semester=SemesterFactory(regional_program=rp))
        RegistrationFactory(gathering=gathering, municipality=municipality, group=group)
        HandIn.objects.create(gathering=gathering, group=group)
        agreement = AgreementFactory(regional_program=rp, municipality=municipality)
        SessionFactory(agreement=agreement, advisor=user)
        plan_revision(agreement, by=user)


def _changelist_queries(client) -> dict[str, tuple[int, int]]:
    """{model label: (queries, rows in the model)} for every registered change list."""
    counts = {}
    for model, _model_admin in admin.site._registry.items():
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        counts[model._meta.label] = (len(queries), model._default_manager.count())
    return counts


def test_every_admin_change_list_costs_the_same_queries_with_more_rows(client):
    admin_user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    _world(admin_user, 1)
    client.get(reverse("admin:index"))  # content types and sessions are cached after the first request
    few = _changelist_queries(client)
    _world(admin_user, 4)
    many = _changelist_queries(client)
    for label in COVERED:
        assert many[label][1] > few[label][1], f"{label}: the test adds no rows"
    grown = {label: (few[label][0], many[label][0]) for label in many if many[label][0] != few[label][0]}
    assert grown == {}, f"queries per change list (few rows, more rows): {grown}"
