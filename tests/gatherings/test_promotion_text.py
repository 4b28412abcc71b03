"""«Du har fått plass»: the promoted person is spoken to as «du»; the one who registered them hears their name."""

import pytest

from gatherings import services
from gatherings.models import RegistrationStatus
from gatherings.services.notices import PROMOTED
from reminders.models import Delivery
from tests.factories import UserFactory
from tests.gatherings.factories import GatheringFactory, RegistrationFactory, make_region

pytestmark = pytest.mark.django_db


def test_the_promoted_person_reads_du_and_the_coordinator_reads_the_name(leader):
    r = make_region()
    coordinator = UserFactory(full_name="Kari Kommune", email="kari@example.org")
    gathering = GatheringFactory(regional_program=r.region, capacity=1)
    first = RegistrationFactory(gathering=gathering, municipality=r.municipalities[0])
    RegistrationFactory(
        gathering=gathering,
        municipality=r.municipalities[0],
        name="Eli Hope",
        email="eli@example.org",
        status=RegistrationStatus.WAITLISTED,
        registered_by=coordinator,
    )
    services.registration_withdraw(actor=leader, registration=first)

    own = Delivery.objects.get(occasion=PROMOTED, recipient_email="eli@example.org")
    assert own.subject.startswith("Du har fått plass: ")
    assert "Hei Eli Hope," in own.body
    assert "Det er blitt ledig plass, og du har fått plass fra ventelisten:" in own.body
    assert "og Eli Hope har fått plass" not in own.body
    assert "Kan du likevel ikke komme" in own.body

    told = Delivery.objects.get(occasion=PROMOTED, recipient_email="kari@example.org")
    assert told.subject.startswith("Eli Hope har fått plass: ")
    assert "Hei Kari Kommune," in told.body
    assert "Det er blitt ledig plass, og Eli Hope har fått plass fra ventelisten:" in told.body
