"""What leadership sees before saving an occasion's settings: one real recipient's e-mail, and when the
reminders would go. Reads only; nothing is planned or sent."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from ..occasions import ConfigLookup, NoticeOccasion, Occasion, OccasionConfig, Prepared, reminder_times
from ..outbox import Recipient, message_render

logger = logging.getLogger(__name__)


class _PreviewConfigs(ConfigLookup):
    """The settings being edited, not yet saved, for the preview."""

    def __init__(self, config: OccasionConfig) -> None:
        self._config = config

    def get(self, program_id, occasion):
        return self._config


@dataclass(frozen=True)
class OccasionPreview:
    delivery: Any = None
    recipient_email: str = ""
    subject: str = ""
    body: str = ""
    html: str = ""
    error: str = ""


def occasion_preview(*, occasion: Occasion, program, config: OccasionConfig) -> OccasionPreview | None:
    """The e-mail one real recipient would get with these settings, or None when nobody is planned yet.

    A template or data problem is shown as such instead of failing the page: this is where leadership
    comes to put it right.
    """
    try:
        if isinstance(occasion, NoticeOccasion):
            # a notice is previewed on a sample from the edition's data, also before anything is sent
            sample = occasion.preview(program=program, config=config)
            return OccasionPreview(**sample) if sample else None
        candidates = occasion.preview_candidates(program_id=program.pk)
        # one prepare() for all candidates (its queries are per batch), then the first that still applies
        prepared_all = occasion.prepare(candidates, configs=_PreviewConfigs(config)) if candidates else {}
        for delivery in candidates:
            prepared = prepared_all.get(delivery.pk)
            if not isinstance(prepared, Prepared):
                continue  # no longer applies (None, or Stale with its reason)
            recipient = Recipient(email=delivery.recipient_email, name=delivery.recipient_name)
            message = message_render(
                template=prepared.template, context=prepared.context, recipient=recipient
            )
            return OccasionPreview(
                delivery=delivery,
                recipient_email=delivery.recipient_email,
                subject=message.subject,
                body=message.body,
                html=message.html,
            )
    except Exception as exc:
        logger.exception("reminders: preview of %s failed", occasion.code)
        return OccasionPreview(error=f"{type(exc).__name__}: {exc}")
    return None


def occasion_schedule(*, occasion: Occasion, program, offsets) -> list[dict]:
    """When the reminders go for each of the edition's next ten deadlines, with these offsets (Oslo time)."""
    now = timezone.now()
    return [
        {
            "deadline": deadline,
            "times": [planned for _offset, planned, _expires in reminder_times(deadline, offsets)],
        }
        for deadline in occasion.deadlines(program_id=program.pk, now=now)[:10]
    ]
