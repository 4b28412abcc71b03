"""Factories shared by every app's tests. States are Traits."""

import datetime as dt

import factory
from django.utils import timezone

from accounts.models import Role, RoleAssignment, User
from municipalities.models import County, CountyBranch, Municipality
from programs.models import Program, RegionalProgram


class CountyBranchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CountyBranch

    name = factory.Sequence(lambda n: f"Norsk kulturskoleråd Testavdeling {n}")
    email = factory.Sequence(lambda n: f"avdeling{n}@example.org")


class CountyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = County

    number = factory.Sequence(lambda n: f"{(n % 89) + 10:02d}")
    name = factory.Sequence(lambda n: f"Testfylke {n}")
    branch = factory.SubFactory(CountyBranchFactory)


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality

    number = factory.Sequence(lambda n: f"{9000 + (n % 999):04d}")
    name = factory.Sequence(lambda n: f"Testkommune {n}")
    county = factory.SubFactory(CountyFactory)
    is_member = True

    class Params:
        not_member = factory.Trait(is_member=False)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name", locale="no_NO")

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or "kulturskole")
        if create:
            self.save(update_fields=["password"])

    class Params:
        leadership = factory.Trait(
            role=factory.RelatedFactory("tests.factories.RoleAssignmentFactory", "user", role=Role.LEADERSHIP)
        )
        advisor = factory.Trait(
            role=factory.RelatedFactory("tests.factories.RoleAssignmentFactory", "user", role=Role.ADVISOR)
        )
        jury = factory.Trait(
            role=factory.RelatedFactory(
                "tests.factories.RoleAssignmentFactory", "user", role=Role.JURY_MEMBER
            )
        )


class RoleAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    role = Role.LEADERSHIP


def board_member(branch: CountyBranch, **kwargs) -> User:
    user = UserFactory(**kwargs)
    RoleAssignment.objects.create(user=user, role=Role.BOARD_MEMBER, branch=branch)
    return user


def municipal_contact(municipality: Municipality, **kwargs) -> User:
    user = UserFactory(**kwargs)
    RoleAssignment.objects.create(user=user, role=Role.MUNICIPAL_CONTACT, municipality=municipality)
    return user


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program

    name = factory.Sequence(lambda n: f"Fremtidens kulturskole – regionale program test {n}")
    slug = factory.Sequence(lambda n: f"program-{n}")
    invitation_text = "Invitasjon til regionale program."
    interest_deadline = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=30))
    contact_email = "program@example.org"
    is_published = True

    class Params:
        unpublished = factory.Trait(is_published=False)
        deadline_passed = factory.Trait(
            interest_deadline=factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
        )


class RegionalProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RegionalProgram
        skip_postgeneration_save = True  # branches are an M2M set after creation; no second save needed

    program = factory.SubFactory(ProgramFactory)
    name = factory.Sequence(lambda n: f"Region {n}")

    @factory.post_generation
    def branches(self, create, extracted, **kwargs):
        if create and extracted:
            self.branches.set(extracted)
