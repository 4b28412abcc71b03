"""Reminders N days before a deadline: the deadline arithmetic and the occasion that plans them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from core.dates import datetime_display

from ..outbox import Recipient
from .base import OSLO, ConfigLookup, Occasion, OccasionConfig, Plan, PlannedDelivery
from .placeholders import overrides_context

if TYPE_CHECKING:
    from ..models import Delivery


def reminder_times(
    deadline: dt.datetime, offsets_days: Iterable[int], *, send_hour: int = 8
) -> list[tuple[int, dt.datetime, dt.datetime]]:
    """(offset, planned_at, expires_at) for each offset, latest reminder last.

    A reminder "N days before" goes at `send_hour` o'clock Oslo time on the calendar day N days before the
    deadline's Oslo date, so it lands in the morning whatever the clock says, across summer/winter time.
    It expires (is no longer worth sending) when the next reminder is due, the last one at the deadline.
    """
    local_deadline = deadline.astimezone(OSLO)
    times: list[tuple[int, dt.datetime]] = []
    for offset in sorted({int(o) for o in offsets_days if int(o) >= 0}, reverse=True):
        day = local_deadline.date() - dt.timedelta(days=offset)
        planned = dt.datetime.combine(day, dt.time(send_hour, 0), tzinfo=OSLO)
        if planned < local_deadline:
            times.append((offset, planned.astimezone(dt.UTC)))
    result = []
    for index, (offset, planned) in enumerate(times):
        expires = times[index + 1][1] if index + 1 < len(times) else deadline.astimezone(dt.UTC)
        result.append((offset, planned, expires))
    return result


def deadline_display(deadline: dt.datetime) -> str:
    """«15. september 2026 kl. 23:59» in Oslo time (the one date-time format, config/formats/)."""
    return datetime_display(timezone.localtime(deadline, OSLO))


class DeadlineOccasion(Occasion):
    """Reminders N days before a deadline to the parties that have not yet done the thing.

    Subclasses say which targets exist now (`targets`), and for a batch of rows whether each still applies
    and with what context (`prepare`). Offsets, pause and own texts come from leadership's settings.
    """

    send_hour = 8

    def scopes(self, *, now: dt.datetime) -> Iterable[str]:
        """The scopes being planned now, even those with no target left (their planned rows get cancelled).

        A scope that is no longer listed (its deadline has passed) is left alone: its rows are sent or
        marked missed as they come due.
        """
        return ()

    def targets(self, *, now: dt.datetime, program_id: int | None = None) -> Iterable[Target]:
        """Who should be reminded of what now; with `program_id`, only in that edition."""
        raise NotImplementedError

    def deadlines(self, *, program_id: int, now: dt.datetime) -> list[dt.datetime]:
        return sorted({t.deadline for t in self.targets(now=now, program_id=program_id)})

    def _unlisted_plans(self, *, now: dt.datetime, listed: Iterable[str]) -> dict[str, Plan]:
        """Plans for scopes no longer planned (deadline moved into the past, edition unpublished) that still hold
        planned rows: rows already due stay as they are (sent or marked missed as before), rows whose moment
        lies ahead are left out, so the planner cancels them now instead of listing them until that moment."""
        from ..models import Delivery, DeliveryState

        plans: dict[str, Plan] = {}
        rows = (
            Delivery.objects.filter(occasion=self.code, state=DeliveryState.PLANNED)
            .exclude(scope__in=list(listed))
            .exclude(scope="")
            .only(
                "key",
                "scope",
                "program_id",
                "recipient_email",
                "recipient_name",
                "recipient_user_id",
                "planned_at",
                "expires_at",
                "context",
            )
        )
        for row in rows:
            plan = plans.setdefault(row.scope, Plan(scope=row.scope))
            if row.planned_at <= now:
                plan.deliveries.append(
                    PlannedDelivery(
                        key=row.key,
                        recipient=Recipient(
                            email=row.recipient_email, name=row.recipient_name, user_id=row.recipient_user_id
                        ),
                        planned_at=row.planned_at,
                        expires_at=row.expires_at,
                        context=row.context,
                        program_id=row.program_id,
                    )
                )
        return plans

    def plan(self, *, now: dt.datetime, configs: ConfigLookup) -> Iterable[Plan]:
        plans: dict[str, Plan] = {scope: Plan(scope=scope) for scope in self.scopes(now=now)}
        for scope, plan in self._unlisted_plans(now=now, listed=list(plans)).items():
            plans.setdefault(scope, plan)
        for target in self.targets(now=now):
            plan = plans.setdefault(target.scope, Plan(scope=target.scope))
            config = configs.get(target.program_id, self)
            for offset, planned_at, expires_at in reminder_times(
                target.deadline, config.offsets_days, send_hour=self.send_hour
            ):
                for recipient in target.recipients:
                    plan.deliveries.append(
                        PlannedDelivery(
                            key=f"{target.key}:d{offset}",
                            recipient=recipient,
                            planned_at=planned_at,
                            expires_at=expires_at,
                            context={**target.context, "offset": offset},
                            program_id=target.program_id,
                        )
                    )
        return plans.values()

    def with_overrides(
        self, context: dict[str, Any], *, delivery: Delivery, config: OccasionConfig, values: dict[str, Any]
    ) -> dict[str, Any]:
        recipient = Recipient(email=delivery.recipient_email, name=delivery.recipient_name)
        return {**context, **overrides_context(config, values, recipient, fields=self.placeholder_fields())}


@dataclass(frozen=True)
class Target:
    """One party that should be reminded of one deadline (e.g. one branch for one edition)."""

    scope: str
    key: str
    deadline: dt.datetime
    recipients: Sequence[Recipient]
    context: dict[str, Any]
    program_id: int | None = None
