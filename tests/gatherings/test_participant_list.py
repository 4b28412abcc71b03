"""The participant list shows the waiting list as its own table after those registered, in its order."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from gatherings.models import RegistrationStatus
from tests.gatherings.factories import GatheringFactory, RegistrationFactory, make_region

pytestmark = pytest.mark.django_db


def test_the_waiting_list_is_its_own_table_after_the_registered_in_the_order_they_get_a_place(client, leader):
    r = make_region(groups=1, members=0)
    town = r.municipalities[0]
    gathering = GatheringFactory(regional_program=r.region, capacity=2)
    now = timezone.now()
    # names sort the waiting people before the registered, and the later waiting person before the earlier
    RegistrationFactory(gathering=gathering, municipality=town, name="Berit Påmeldt")
    RegistrationFactory(gathering=gathering, municipality=town, name="Cecilie Påmeldt")
    for name, minutes in (("Anne Venter", 30), ("Aase Venter", 10)):
        RegistrationFactory(
            gathering=gathering,
            municipality=town,
            name=name,
            status=RegistrationStatus.WAITLISTED,
            waitlisted_at=now - dt.timedelta(minutes=minutes),
        )
    RegistrationFactory(gathering=gathering, municipality=town, name="Kommer Ikke", status="not_attending")
    client.force_login(leader)

    page = client.get(reverse("gatherings:participants", args=[gathering.pk])).content.decode()

    registered, waiting = page.split('data-testid="participant-table"')[1].split(
        'data-testid="waiting-table"'
    )
    assert "Berit Påmeldt" in registered
    assert "Cecilie Påmeldt" in registered
    assert "Venter" not in registered
    waiting = waiting.split("</table>")[0]
    assert "Påmeldt" not in waiting
    assert waiting.index("Anne Venter") < waiting.index("Aase Venter")  # first on the list first
    assert "Kommer Ikke" not in page
    assert "Venteliste" in page
