"""Back after «Inviter» and sending again sends no second invitation (a second one would also end the first link)."""

import pytest
from django.core import mail

from accounts.models import Invitation, Role
from tests.factories import MunicipalityFactory, UserFactory
from tests.once import CreateForm, check_creates_once

pytestmark = pytest.mark.django_db


def test_an_invitation_is_sent_once(client, django_capture_on_commit_callbacks):
    municipality = MunicipalityFactory(name="Sunnfjord")
    data = {
        "email": "ny@example.org",
        "full_name": "Nora Ny",
        "role": Role.MUNICIPAL_CONTACT,
        "municipality": municipality.pk,
    }
    check_creates_once(
        client,
        django_capture_on_commit_callbacks,
        CreateForm(
            url="/personer/inviter/",
            user=UserFactory(leadership=True),
            data=data,
            invalid={**data, "municipality": "abc"},
            made=Invitation.objects.count,
            sent=lambda: len(mail.outbox),
            other_user=UserFactory(leadership=True),
        ),
    )
    assert len(mail.outbox) == 2  # the first leader's once, the second leader's own
