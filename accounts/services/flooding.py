"""Flooding: one address gets a bounded number of link e-mails (invitations, password resets) per hour."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _


def mail_flood_reached(*, occasion: str, email: str) -> bool:
    """True when `email` already got MAIL_PER_ADDRESS_LIMIT messages of `occasion` within the last hour.
    Counted from the outbox rows, so the limit holds across every web process."""
    from django.conf import settings

    from reminders.models import Delivery
    from reminders.outbox import normalize_email

    since = timezone.now() - dt.timedelta(hours=1)
    sent = Delivery.objects.filter(
        occasion=occasion, recipient_email=normalize_email(email), created_at__gte=since
    ).count()
    return sent >= settings.MAIL_PER_ADDRESS_LIMIT


def _flood_message() -> str:
    return _("Det er sendt for mange e-poster til denne adressen den siste timen. Prøv igjen senere.")
