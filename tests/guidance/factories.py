"""Factories for guidance. States are Traits."""

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from accounts.models import Role, RoleAssignment
from guidance.models import (
    DevelopmentPlan,
    DevelopmentPlanRevision,
    GuidanceAgreement,
    GuidanceSession,
    GuidanceSessionTheme,
    SessionForm,
    Theme,
)
from programs.models import MunicipalGroup, MunicipalGroupMember, Sector
from tests.factories import MunicipalityFactory, RegionalProgramFactory, UserFactory


def advisor(**kwargs):
    user = UserFactory(**kwargs)
    RoleAssignment.objects.create(user=user, role=Role.ADVISOR)
    return user


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GuidanceAgreement
        skip_postgeneration_save = True

    regional_program = factory.SubFactory(RegionalProgramFactory)
    municipality = factory.SubFactory(MunicipalityFactory)
    agreed_hours = Decimal("20")
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=120))
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=240))
    focus_themes = factory.LazyFunction(lambda: [Theme.ANCHORING, Theme.PARTICIPATION])

    @factory.post_generation
    def advisors(self, create, extracted, **kwargs):
        if create and extracted:
            self.advisors.set(extracted)

    class Params:
        declined = factory.Trait(declined_on=factory.LazyFunction(timezone.localdate))


class SessionFactory(factory.django.DjangoModelFactory):
    """A session; `themes` (a list) sets its theme rows and theme_count like the service does."""

    class Meta:
        model = GuidanceSession
        skip_postgeneration_save = True

    agreement = factory.SubFactory(AgreementFactory)
    advisor = None
    held_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=7))
    duration_minutes = 90
    form = SessionForm.DIGITAL
    summary = "Vi gikk gjennom forankringen i kommunen."
    internal_note = ""
    next_steps = ""

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        themes = extracted or [Theme.ANCHORING]
        self.theme_count = len(themes)
        if create:
            GuidanceSession.objects.filter(pk=self.pk).update(theme_count=len(themes))
            GuidanceSessionTheme.objects.bulk_create(
                [GuidanceSessionTheme(session=self, theme=t) for t in themes]
            )


def group_for(agreement, members: int = 2) -> MunicipalGroup:
    group = MunicipalGroup.objects.create(
        regional_program=agreement.regional_program,
        municipality=agreement.municipality,
        coordinator_name="Kari Koordinator",
        coordinator_email="koordinator@example.org",
    )
    MunicipalGroupMember.objects.create(
        group=group,
        name="Kari Koordinator",
        email="koordinator@example.org",
        sector=Sector.KULTURSKOLE,
        is_coordinator=True,
    )
    for i in range(members - 1):
        MunicipalGroupMember.objects.create(group=group, name=f"Medlem {i}", sector=Sector.SKOLE)
    return group


def plan_revision(agreement, *, number: int = 1, by=None, **fields) -> DevelopmentPlanRevision:
    plan, _created = DevelopmentPlan.objects.get_or_create(
        regional_program=agreement.regional_program, municipality=agreement.municipality
    )
    return DevelopmentPlanRevision.objects.create(
        plan=plan,
        number=number,
        where_we_are=fields.get("where_we_are", "Kulturskolen jobber alene."),
        where_we_want_to_go=fields.get("where_we_want_to_go", "Kulturskolen er en del av oppvekstfeltet."),
        how_we_get_there=fields.get("how_we_get_there", "Felles møter med barnehage og skole."),
        created_by=by,
    )
