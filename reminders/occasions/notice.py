"""Notices that start a step: sent once when it happens, with leadership's own texts and a preview."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from ..outbox import Recipient
from .base import ConfigLookup, Occasion, OccasionConfig, Prepared, Stale
from .placeholders import overrides_context

if TYPE_CHECKING:
    from ..models import Delivery


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

    A notice whose content can go out of date before the worker sends it (a gathering moved again) overrides
    `check` like `ImmediateOccasion`'s; one it builds again from the current state keeps leadership's texts.
    """

    has_offsets = False
    default_offsets: tuple[int, ...] = (0,)

    def check(self, deliveries: Sequence[Delivery]) -> dict[int, Stale | Prepared]:
        """At send time: per row id, Stale (skip) or Prepared (built again without leadership's texts, which
        `recheck` adds); rows left out go as rendered. A subclass that overrides it checks at send time."""
        return {}

    @property
    def checks_at_send(self) -> bool:
        return type(self).check is not NoticeOccasion.check

    def recheck(self, deliveries: Sequence[Delivery]) -> dict[int, Stale | Prepared]:
        verdicts = self.check(deliveries)
        rebuilt = [d for d in deliveries if isinstance(verdicts.get(d.pk), Prepared)]
        if rebuilt:  # one query for the batch: the editions' settings
            configs = ConfigLookup({d.program_id for d in rebuilt if d.program_id})
            for delivery in rebuilt:
                prepared = verdicts[delivery.pk]
                assert isinstance(prepared, Prepared)
                recipient = Recipient(email=delivery.recipient_email, name=delivery.recipient_name)
                own = overrides_context(
                    configs.get(delivery.program_id, self),
                    self.values(prepared.context),
                    recipient,
                    fields=self.placeholder_fields(),
                )
                verdicts[delivery.pk] = replace(prepared, context={**prepared.context, **own})
        return verdicts

    def sample(self, *, program) -> Sample | None:
        raise NotImplementedError

    def values(self, context: dict[str, Any]) -> dict[str, Any]:
        """The placeholder values ({frist}, {program}, {lenke} and the occasion's own `placeholders`) for
        leadership's own texts."""
        return {}

    def send(
        self,
        *,
        program,
        key: str,
        recipients: Iterable[Recipient],
        context: dict[str, Any],
        attachments: Iterable[Any] = (),
        recipient_context: Callable[[Recipient], dict[str, Any]] | None = None,
        reference: Callable[[Recipient], dict[str, Any]] | None = None,
        send_at: dt.datetime | None = None,
    ) -> int:
        """Queue the notice; returns to how many addresses (for the audit row of the step that caused it).

        `recipient_context`, `reference` and `send_at` as for `message_send`; leadership's own texts are added
        to what differs per recipient."""
        from ..outbox import message_send

        config = ConfigLookup([program.pk]).get(program.pk, self)
        values = self.values(context)
        fields = self.placeholder_fields()

        def per_recipient(recipient: Recipient) -> dict[str, Any]:
            own = recipient_context(recipient) if recipient_context else {}
            return {**own, **overrides_context(config, values, recipient, fields=fields)}

        return message_send(
            occasion=self.code,
            key=key,
            recipients=recipients,
            template=self.template,
            context=context,
            attachments=attachments,
            program_id=program.pk,
            recipient_context=per_recipient,
            reference=reference,
            send_at=send_at,
        )

    def preview(self, *, program, config: OccasionConfig) -> dict[str, Any] | None:
        from ..outbox import message_render

        sample = self.sample(program=program)
        if sample is None:
            return None
        context = {
            **sample.context,
            **overrides_context(
                config, self.values(sample.context), sample.recipient, fields=self.placeholder_fields()
            ),
        }
        message = message_render(template=self.template, context=context, recipient=sample.recipient)
        return {
            "recipient_email": sample.recipient.email,
            "subject": message.subject,
            "body": message.body,
            "html": message.html,
        }
