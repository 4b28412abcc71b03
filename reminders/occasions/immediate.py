"""Messages sent at once through `message_send` (receipts, decision letters, a gathering's change notice)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from .base import Occasion, Prepared, Stale

if TYPE_CHECKING:
    from ..models import Delivery


# At send time, for a batch of one occasion's rows: per row id, Stale (skip it) or Prepared (send this,
# built from the current state, instead of the stored text). Rows left out go as they were rendered.
SendCheck = Callable[[Sequence["Delivery"]], dict[int, "Stale | Prepared"]]


class ImmediateOccasion(Occasion):
    """A message rendered when it is queued (`message_send`); registered for its label.

    When what it says can go out of date before the worker sends it (a late worker, a broker outage: the
    gathering was moved again or cancelled, the person withdrew), the occasion declares a `check` (see
    `SendCheck`), which reads the reference the sender stored in the row (`message_send(reference=...)`)
    in a fixed number of queries per batch, as `Occasion.prepare` does. Without one, rows go as rendered.
    """

    configurable = False

    def __init__(
        self,
        code: str,
        label: Any,
        *,
        resend_refusal: Callable[[Delivery], str | None] | None = None,
        check: SendCheck | None = None,
        resend_refusals: Callable[[Sequence[Delivery]], dict[int, str]] | None = None,
        about: Callable[[Sequence[Delivery]], dict[int, str]] | None = None,
    ) -> None:
        self.code = code
        self.label = label
        self._resend_refusal = resend_refusal
        self._resend_refusals = resend_refusals
        self._check = check
        self._about = about

    @property
    def checks_at_send(self) -> bool:
        return self._check is not None

    def recheck(self, deliveries: Sequence[Delivery]) -> dict[int, Stale | Prepared]:
        return self._check(deliveries) if self._check is not None else {}

    def about(self, deliveries: Sequence[Delivery]) -> dict[int, str]:
        return self._about(deliveries) if self._about is not None and deliveries else {}

    def resend_refusals(self, deliveries: Sequence[Delivery]) -> dict[int, str]:
        # `resend_refusals` (one batch) is the cheap form of `resend_refusal` (one row) for leadership's list
        if self._resend_refusals is not None:
            return self._resend_refusals(deliveries) if deliveries else {}
        if self._resend_refusal is None:
            return {}
        return {d.pk: refusal for d in deliveries if (refusal := self._resend_refusal(d))}

    def resend_refusal(self, delivery: Delivery) -> str | None:
        refusal = (
            self._resend_refusals([delivery]).get(delivery.pk)
            if self._resend_refusals is not None
            else self._resend_refusal(delivery)
            if self._resend_refusal
            else None
        )
        if refusal is None and self._check is not None:
            # sending a stale message again would only be skipped again: say why at once
            verdict = self._check([delivery]).get(delivery.pk)
            refusal = verdict.reason if isinstance(verdict, Stale) else None
        return refusal
