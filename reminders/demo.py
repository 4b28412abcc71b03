"""Demo reminders: the real plan for the demo editions, plus one failed delivery so every part of the
leadership page has something to show. Idempotent: planning is an upsert and the failed row is get_or_create."""

from django.utils import timezone

from .models import Delivery, DeliveryState
from .services import deliveries_plan


def seed(ctx: dict) -> None:
    deliveries_plan()
    program = ctx.get("program")
    now = timezone.now()
    Delivery.objects.get_or_create(
        occasion="programs.interest_receipt",
        key="demo:gammel-adresse",
        recipient_email="gammel-adresse@example.org",
        defaults={
            "program": program,
            "recipient_name": "Gammel adresse",
            "planned_at": now,
            "next_attempt_at": now,
            "state": DeliveryState.FAILED,
            "attempts": 8,
            "last_error": "SMTPRecipientsRefused: {'gammel-adresse@example.org': (550, b'5.1.1 Mailbox unavailable')}",
            "template": "reminders/email/interest_deadline",
            "subject": "Kvittering for interessemelding",
            "body": "Demo",
        },
    )
