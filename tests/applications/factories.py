"""Factories for applications, selection and groups. States are Traits."""

import datetime as dt

import factory
from django.utils import timezone

from applications.models import (
    Application,
    ApplicationGroupMember,
    ApplicationStatus,
    JuryMember,
    Review,
    ReviewScore,
    Sector,
    SelectionCriterion,
)
from tests.factories import (
    CountyBranchFactory,
    CountyFactory,
    MunicipalityFactory,
    RegionalProgramFactory,
    UserFactory,
)


def open_region(*, municipalities: int = 3, places: int | None = 2, **kwargs):
    """A regional programme with an open application window, its branch and its member municipalities."""
    branch = CountyBranchFactory()
    county = CountyFactory(branch=branch)
    rp = RegionalProgramFactory(
        branches=[branch],
        applications_open_at=kwargs.pop("applications_open_at", timezone.now() - dt.timedelta(days=5)),
        application_deadline=kwargs.pop("application_deadline", timezone.now() + dt.timedelta(days=10)),
        places=places,
        **kwargs,
    )
    members = [MunicipalityFactory(county=county) for _ in range(municipalities)]
    return rp, branch, county, members


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application
        skip_postgeneration_save = True  # related members point at the application; it needs no second save

    regional_program = factory.SubFactory(RegionalProgramFactory)
    municipality = factory.SubFactory(MunicipalityFactory)
    status = ApplicationStatus.DRAFT

    class Params:
        complete = factory.Trait(
            motivation="Vi vil gjøre kulturskolen til en ressurs for hele oppvekstfeltet.",
            development_links="Samarbeid med barnehagene og SFO om kulturtilbud i skoletiden.",
            anchoring="Kommunestyret vedtok deltakelsen i juni; rådmannen støtter.",
            commitment=True,
            members=factory.RelatedFactoryList(
                "tests.applications.factories.GroupMemberFactory", "application", size=2
            ),
            coordinator=factory.RelatedFactory(
                "tests.applications.factories.GroupMemberFactory", "application", is_coordinator=True
            ),
        )
        submitted = factory.Trait(
            complete=True,
            status=ApplicationStatus.SUBMITTED,
            submitted_at=factory.LazyFunction(timezone.now),
        )


class GroupMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApplicationGroupMember

    application = factory.SubFactory(ApplicationFactory)
    name = factory.Faker("name", locale="no_NO")
    email = factory.Sequence(lambda n: f"medlem{n}@example.org")
    phone = "+47 900 00 000"
    sector = Sector.KULTURSKOLE
    is_coordinator = False


class SelectionCriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SelectionCriterion

    regional_program = factory.SubFactory(RegionalProgramFactory)
    name = factory.Sequence(lambda n: f"Kriterium {n}")
    weight = 1


class JuryMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JuryMember

    regional_program = factory.SubFactory(RegionalProgramFactory)
    user = factory.SubFactory(UserFactory, jury=True)
    email = factory.LazyAttribute(lambda o: o.user.email)


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review

    application = factory.SubFactory(ApplicationFactory)
    jury_member = factory.SubFactory(JuryMemberFactory)

    class Params:
        no_conflict = factory.Trait(has_conflict=False)


def submitted_review(application, member, scores: dict, comment: str = "") -> Review:
    """A delivered review with `scores` = {criterion: 1..5}."""
    review = Review.objects.create(
        application=application,
        jury_member=member,
        has_conflict=False,
        comment=comment,
        submitted_at=timezone.now(),
    )
    ReviewScore.objects.bulk_create(
        [ReviewScore(review=review, criterion=c, score=s) for c, s in scores.items()]
    )
    return review


def pdf_bytes(pages: int = 1) -> bytes:
    """A real (blank) PDF: uploads are checked by parsing, not by their first bytes."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
