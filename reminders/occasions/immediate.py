"""Messages sent at once through `message_send` (receipts, decision letters, a gathering's change notice)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .base import Occasion, Prepared

if TYPE_CHECKING:
    from ..models import Delivery


@dataclass(frozen=True)
class Stale:
    """A queued message that no longer applies when the worker gets to it: skipped, with this readable reason."""

    reason: str


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
    ) -> None:
        self.code = code
        self.label = label
        self._resend_refusal = resend_refusal
        self._check = check

    @property
    def checks_at_send(self) -> bool:
        return self._check is not None

    def recheck(self, deliveries: Sequence[Delivery]) -> dict[int, Stale | Prepared]:
        return self._check(deliveries) if self._check is not None else {}

    def resend_refusal(self, delivery: Delivery) -> str | None:
        refusal = self._resend_refusal(delivery) if self._resend_refusal else None
        if refusal is None and self._check is not None:
            # sending a stale message again would only be skipped again: say why at once
            verdict = self._check([delivery]).get(delivery.pk)
            refusal = verdict.reason if isinstance(verdict, Stale) else None
        return refusal
