import datetime as dt

import factory
from django.utils import timezone

from reminders.models import Delivery, DeliveryState, OccasionSetting
from tests.factories import ProgramFactory


class DeliveryFactory(factory.django.DjangoModelFactory):
    """A ready-rendered row, due now (what message_send stores)."""

    class Meta:
        model = Delivery

    occasion = "tests.notice"
    key = factory.Sequence(lambda n: f"notice:{n}")
    recipient_email = factory.Sequence(lambda n: f"mottaker{n}@example.org")
    recipient_name = factory.Sequence(lambda n: f"Mottaker Nummer {n}")
    planned_at = factory.LazyFunction(timezone.now)
    next_attempt_at = factory.SelfAttribute("planned_at")
    template = "reminders_test/message"
    subject = "Testmelding"
    body = "Hei"
    html = "<p>Hei</p>"

    class Params:
        sent = factory.Trait(state=DeliveryState.SENT, sent_at=factory.LazyFunction(timezone.now), attempts=1)
        failed = factory.Trait(state=DeliveryState.FAILED, attempts=8, last_error="SMTPConnectError: nede")
        with_program = factory.Trait(program=factory.SubFactory(ProgramFactory))


class OccasionSettingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OccasionSetting

    program = factory.SubFactory(ProgramFactory)
    occasion = "tests.municipality_deadline"


class ApplicationDeadlineExtensionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "applications.ApplicationDeadlineExtension"

    regional_program = factory.SubFactory("tests.factories.RegionalProgramFactory")
    municipality = factory.SubFactory("tests.factories.MunicipalityFactory")
    deadline = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=7))
