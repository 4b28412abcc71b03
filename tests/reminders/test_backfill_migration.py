"""Existing receipts and letters get their edition, so the edition's reminders page counts them (issue 12)."""

import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from reminders.models import Delivery
from tests.applications.factories import ApplicationFactory, open_region
from tests.programs.factories import InterestRegistrationFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module("reminders.migrations.0003_immediate_messages_belong_to_their_edition")


def _row(occasion, key):
    now = timezone.now()
    return Delivery.objects.create(
        occasion=occasion,
        key=key,
        recipient_email=f"{key.replace(':', '-')}@example.org",
        planned_at=now,
        next_attempt_at=now,
        template="x",
        subject="Kvittering",
    )


def test_immediate_messages_are_given_the_edition_their_key_names():
    registration = InterestRegistrationFactory()
    rp, _b, _c, municipalities = open_region()
    application = ApplicationFactory(regional_program=rp, municipality=municipalities[0], submitted=True)
    receipt = _row("programs.interest_receipt", f"interest:{registration.pk}:v2")
    app_receipt = _row("applications.application_receipt", f"application:{application.pk}:2026-01-01")
    orphan = _row("applications.application_receipt", "application:999999:2026-01-01")
    other = _row("accounts.invitation", "invitation:5")

    migration.forwards(apps, None)

    assert Delivery.objects.get(pk=receipt.pk).program_id == registration.program_id
    assert Delivery.objects.get(pk=app_receipt.pk).program_id == rp.program_id
    assert Delivery.objects.get(pk=orphan.pk).program_id is None
    assert Delivery.objects.get(pk=other.pk).program_id is None
