"""Factories for interest registrations and the steps around them."""

import datetime as dt

import factory
from django.utils import timezone

from programs.models import (
    AnnualMeetingDecision,
    DialogueMeeting,
    DialogueMeetingStatus,
    InterestDeadlineExtension,
    InterestLevel,
    InterestRegistration,
)
from tests.factories import CountyBranchFactory, ProgramFactory


class InterestRegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InterestRegistration
        skip_postgeneration_save = True

    program = factory.SubFactory(ProgramFactory)
    branch = factory.SubFactory(CountyBranchFactory)
    level = InterestLevel.YES
    contact_name = "Kari Kontakt"
    contact_email = factory.Sequence(lambda n: f"kontakt{n}@example.org")
    contact_phone = "+47 900 00 000"

    @factory.post_generation
    def municipalities(self, create, extracted, **kwargs):
        if create and extracted:
            self.municipalities.set(extracted)

    class Params:
        maybe = factory.Trait(level=InterestLevel.MAYBE)
        no = factory.Trait(level=InterestLevel.NO)
        wants_dialogue = factory.Trait(
            dialogue_meeting_wanted=True,
            dialogue_meeting_topic="Forankring",
            dialogue_meeting_times="Tirsdag",
        )


class InterestDeadlineExtensionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InterestDeadlineExtension

    program = factory.SubFactory(ProgramFactory)
    branch = factory.SubFactory(CountyBranchFactory)
    deadline = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=7))


class DialogueMeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DialogueMeeting

    program = factory.SubFactory(ProgramFactory)
    branch = factory.SubFactory(CountyBranchFactory)
    topic = "Forankring i kommunene"
    suggested_times = "Tirsdager"

    class Params:
        scheduled = factory.Trait(
            status=DialogueMeetingStatus.SCHEDULED,
            starts_at=factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=5)),
            video_link="https://video.example.org/mote",
            participants="Liv Leder, Stian Styre",
        )


class AnnualMeetingDecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnnualMeetingDecision

    program = factory.SubFactory(ProgramFactory)
    branch = factory.SubFactory(CountyBranchFactory)
    meeting_date = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=3))
    participates = True
