"""The base of every occasion: what a plan and a prepared message are, leadership's settings, the registry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar
from zoneinfo import ZoneInfo

from django.conf import settings

from ..outbox import Attachment, Recipient
from .placeholders import PLACEHOLDERS

if TYPE_CHECKING:
    from ..models import Delivery

OSLO = ZoneInfo("Europe/Oslo")
DEFAULT_OFFSETS: tuple[int, ...] = (14, 3, 1)


@dataclass(frozen=True)
class PlannedDelivery:
    key: str
    recipient: Recipient
    planned_at: dt.datetime
    expires_at: dt.datetime | None
    context: dict[str, Any]
    program_id: int | None = None


@dataclass
class Plan:
    """Everything one occasion wants in one scope (e.g. one edition); rows of the scope not in it are cancelled."""

    scope: str
    deliveries: list[PlannedDelivery] = field(default_factory=list)


@dataclass(frozen=True)
class Prepared:
    """What to send for one delivery; `None` from `prepare` instead means: the condition is false, skip it."""

    template: str
    context: dict[str, Any]
    variant: str = ""
    # Files built at send time from the current state, e.g. a gathering's calendar entry (`core.ics`).
    attachments: tuple[Attachment, ...] = ()


@dataclass(frozen=True)
class Stale:
    """A row that no longer applies when it would be sent: skipped, with this readable reason.

    `ImmediateOccasion` checks return it for queued messages; `prepare` may return it instead of None to say why.
    """

    reason: str
    # True when a newer message to the same address replaces this one: the row is «Erstattet», not «Ikke sendt».
    superseded: bool = False
    # Why a row that WAS sent is not sent again, when `reason` speaks of a row never sent («avlyst før denne
    # ble sendt»); "" gives the general one (`reminders.services.sending.SENT_NO_LONGER_APPLIES`).
    after_sent: str = ""


@dataclass(frozen=True)
class OccasionConfig:
    offsets_days: tuple[int, ...] = DEFAULT_OFFSETS
    paused: bool = False
    subject_override: str = ""
    body_override: str = ""


class Occasion:
    code: str = ""
    label: Any = ""
    description: Any = ""
    template: str = ""
    # Reminders have offsets, pause and own texts per edition; immediate messages only a label.
    configurable: bool = True
    # Reminders before a deadline have days and a pause; a notice that starts a step only its own texts.
    has_offsets: bool = True
    default_offsets: tuple[int, ...] = DEFAULT_OFFSETS
    # Fields of its own for leadership's texts, beside the common ones (`placeholders.PLACEHOLDERS`): name →
    # what it holds, e.g. {"samling": _("samlingens navn")}; its `prepare`/`values` give their values.
    placeholders: Mapping[str, Any] = {}

    def placeholder_fields(self) -> dict[str, Any]:
        """Every field leadership may use in this occasion's texts, with what it holds (the form's help)."""
        return {**PLACEHOLDERS, **self.placeholders}

    def plan(self, *, now: dt.datetime, configs: ConfigLookup) -> Iterable[Plan]:
        return ()

    def prepare(
        self, deliveries: Sequence[Delivery], *, configs: ConfigLookup
    ) -> dict[int, Prepared | Stale | None]:
        """For each delivery id: what to send, or None when the condition no longer holds (→ skipped); a
        `Stale` instead of None says why (shown to leadership beside the row).

        Called with a batch so an occasion can load what it needs in a fixed number of queries.
        """
        raise NotImplementedError

    def preview_candidates(self, *, program_id: int, limit: int = 20) -> Sequence[Delivery]:
        """Real rows to preview the texts on: the occasion's deliveries in the edition, planned ones first."""
        from django.db.models import Case, IntegerField, Value, When

        from ..models import Delivery, DeliveryState

        planned_first = Case(
            When(state=DeliveryState.PLANNED, then=Value(0)), default=Value(1), output_field=IntegerField()
        )
        return list(
            Delivery.objects.filter(occasion=self.code, program_id=program_id).order_by(
                planned_first, "planned_at", "id"
            )[:limit]
        )

    def deadlines(self, *, program_id: int, now: dt.datetime) -> list[dt.datetime]:
        """The distinct deadlines this occasion reminds of in the edition (for the settings page)."""
        return []

    def resend_refusal(self, delivery: Delivery) -> str | None:
        """Why sending this row again would not help (e.g. its link no longer works), or None to allow it."""
        return None

    def resend_refusals(self, deliveries: Sequence[Delivery]) -> dict[int, str]:
        """`resend_refusal` for a batch (leadership's list asks for a page at once), without the send-time
        check, which `reminders.services.deliveries_send_refusals` asks for the batch itself."""
        return {d.pk: refusal for d in deliveries if (refusal := self.resend_refusal(d))}

    def about(self, deliveries: Sequence[Delivery]) -> dict[int, str]:
        """For leadership's list: per delivery id, what the row reminds of (e.g. «Samling 3 (12.03.2026)»),
        read from its key and context in a fixed number of queries per batch; rows left out show nothing."""
        return {}

    @property
    def checks_at_send(self) -> bool:
        """Whether the rows it renders when queued (`message_send`) are asked again at send time (`recheck`)."""
        return False

    def recheck(self, deliveries: Sequence[Delivery]) -> dict[int, Stale | Prepared]:
        """At send time, for rows rendered when queued: per row id, Stale (skip it) or Prepared (send this, built
        from the current state, instead of the stored text). Rows left out go as they were rendered."""
        return {}


class ConfigLookup:
    """Leadership's settings per (edition, occasion), loaded once per sweep or batch."""

    def __init__(self, program_ids: Iterable[int] | None = None) -> None:
        from ..models import OccasionSetting

        qs = OccasionSetting.objects.all()
        if program_ids is not None:
            qs = qs.filter(program_id__in=list(program_ids))
        self._rows = {(s.program_id, s.occasion): s for s in qs}

    def get(self, program_id: int | None, occasion: Occasion | str) -> OccasionConfig:
        code = occasion if isinstance(occasion, str) else occasion.code
        occ = occasion if isinstance(occasion, Occasion) else _registry.get(code)
        default = tuple(occ.default_offsets) if occ else DEFAULT_OFFSETS
        row = self._rows.get((program_id, code))
        if row is None:
            return OccasionConfig(offsets_days=default)
        return OccasionConfig(
            offsets_days=tuple(row.offsets_days) if row.offsets_days is not None else default,
            paused=row.paused,
            subject_override=row.subject_override,
            body_override=row.body_override,
        )


_registry: dict[str, Occasion] = {}


OccasionT = TypeVar("OccasionT", bound="Occasion")


def register(occasion: OccasionT) -> OccasionT:
    """Declare an occasion (replaces one with the same code, so re-imports are harmless)."""
    if not occasion.code:
        raise ValueError("An occasion needs a code")
    _registry[occasion.code] = occasion
    return occasion


def unregister(code: str) -> None:
    _registry.pop(code, None)


def occasion_get(code: str) -> Occasion | None:
    return _registry.get(code)


def occasion_label(code: str) -> str:
    """The declared occasion's Norwegian name, or its code when no occasion with that code is declared."""
    occasion = _registry.get(code)
    return str(occasion.label) if occasion is not None and occasion.label else code


def occasions_all() -> list[Occasion]:
    return list(_registry.values())


def occasions_configurable() -> list[Occasion]:
    return [o for o in _registry.values() if o.configurable]


def site_link(path: str) -> str:
    return f"{settings.SITE_URL}{path}"
