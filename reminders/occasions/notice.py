"""Notices that start a step: sent once when it happens, with leadership's own texts and a preview."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..outbox import Recipient
from .base import ConfigLookup, Occasion, OccasionConfig
from .placeholders import overrides_context


@dataclass(frozen=True)
class Sample:
    """A message as it would go now in an edition, built from real data, for leadership's preview."""

    recipient: Recipient
    context: dict[str, Any]


class NoticeOccasion(Occasion):
    """A notice that starts a step (an edition's invitation, a dialogue-meeting request), sent once when it happens.

    It goes through `message_send` under a key that names the moment (e.g. "program:7:invitation"), so
    publishing again or a repeated request never sends it twice. Leadership may write its own subject and
    introduction per edition and previews them on a sample built from the edition's data (`sample`), also
    before anything is sent. No days before a deadline and no pause: it either happens or it does not.
    """

    has_offsets = False
    default_offsets: tuple[int, ...] = (0,)

    def sample(self, *, program) -> Sample | None:
        raise NotImplementedError

    def values(self, context: dict[str, Any]) -> dict[str, Any]:
        """The placeholder values ({frist}, {program}, {lenke}) for leadership's own texts."""
        return {}

    def send(
        self,
        *,
        program,
        key: str,
        recipients: Iterable[Recipient],
        context: dict[str, Any],
        attachments: Iterable[Any] = (),
    ) -> int:
        """Queue the notice; returns to how many addresses (for the audit row of the step that caused it)."""
        from ..outbox import message_send, normalize_email

        recipients = list(recipients)
        config = ConfigLookup([program.pk]).get(program.pk, self)
        values = self.values(context)
        message_send(
            occasion=self.code,
            key=key,
            recipients=recipients,
            template=self.template,
            context=context,
            attachments=attachments,
            program_id=program.pk,
            recipient_context=lambda recipient: overrides_context(config, values, recipient),
        )
        return len({normalize_email(r.email) for r in recipients if r.email})

    def preview(self, *, program, config: OccasionConfig) -> dict[str, Any] | None:
        from ..outbox import message_render

        sample = self.sample(program=program)
        if sample is None:
            return None
        context = {
            **sample.context,
            **overrides_context(config, self.values(sample.context), sample.recipient),
        }
        message = message_render(template=self.template, context=context, recipient=sample.recipient)
        return {
            "recipient_email": sample.recipient.email,
            "subject": message.subject,
            "body": message.body,
            "html": message.html,
        }
