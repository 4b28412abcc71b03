"""Claiming the due rows for the sweep: each row is queued once per claim lease, a paused occasion's rows wait,
and a row found after its moment is marked missed. Sending them is in `sending`."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Delivery, DeliveryState, OccasionSetting

logger = logging.getLogger(__name__)


def _setting(name: str, default):
    return getattr(settings, name, default)


def claim_lease() -> dt.timedelta:
    return dt.timedelta(seconds=int(_setting("REMINDERS_CLAIM_LEASE_SECONDS", 600)))


def _not_paused():
    return ~Exists(
        OccasionSetting.objects.filter(
            program_id=OuterRef("program_id"), occasion=OuterRef("occasion"), paused=True
        )
    )


def deliveries_claim_due(*, now: dt.datetime | None = None, limit: int | None = None) -> list[int]:
    """Lock the due rows nobody has queued (or whose task got lost), mark them queued, return their ids.

    Rows another sweep holds are skipped (`skip_locked`), so two sweeps at once split the work instead of
    doubling it. A due row whose moment has passed (its `expires_at`) is marked missed instead.
    """
    now = now or timezone.now()
    limit = limit or int(_setting("REMINDERS_SWEEP_LIMIT", 50_000))
    with transaction.atomic():
        rows = list(
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(state=DeliveryState.PLANNED, next_attempt_at__lte=now)
            .filter(Q(queued_at__isnull=True) | Q(queued_at__lt=now - claim_lease()))
            .filter(_not_paused())
            .order_by("next_attempt_at", "id")
            .values_list("id", "expires_at")[:limit]
        )
        missed = [pk for pk, expires in rows if expires is not None and expires < now]
        due = [pk for pk, expires in rows if expires is None or expires >= now]
        if missed:
            Delivery.objects.filter(pk__in=missed).update(
                state=DeliveryState.MISSED,
                last_error=_("Funnet etter at tidspunktet var passert."),
                queued_at=None,
            )
        if due:
            Delivery.objects.filter(pk__in=due).update(queued_at=now)
    if missed:
        logger.info("reminders: %d deliveries found too late, marked missed", len(missed))
    return due


def chunks(ids: Sequence[int], size: int) -> list[list[int]]:
    return [list(ids[i : i + size]) for i in range(0, len(ids), size)]
