"""Occasions: what an app declares to get reminders, without touching the mechanism.

An app that owns a deadline writes `<app>/reminders.py` with a subclass of `Occasion` (usually
`DeadlineOccasion`) and calls `register(...)`. The reminders app imports every `<app>/reminders.py` at
start-up. The sweep then asks each occasion for its plan (who should get what, when, computed from the
database), stores it as `Delivery` rows, and at send time asks the occasion again whether the row still
applies and what to put in it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.dates import datetime_display

from .outbox import Attachment, Recipient

if TYPE_CHECKING:
    from .models import Delivery

OSLO = ZoneInfo("Europe/Oslo")
DEFAULT_OFFSETS: tuple[int, ...] = (14, 3, 1)

# Placeholders leadership may use in its own subject and introduction; the values come from `prepare`.
PLACEHOLDERS: dict[str, Any] = {
    "navn": _("mottakerens navn"),
    "frist": _("fristen, dato og klokkeslett"),
    "program": _("programperioden"),
    "lenke": _("lenken der mottakeren gjør det"),
}


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

    def plan(self, *, now: dt.datetime, configs: ConfigLookup) -> Iterable[Plan]:
        return ()

    def prepare(self, deliveries: Sequence[Delivery], *, configs: ConfigLookup) -> dict[int, Prepared | None]:
        """For each delivery id: what to send, or None when the condition no longer holds (→ skipped).

        Called with a batch so an occasion can load what it needs in a fixed number of queries.
        """
        raise NotImplementedError

    def preview_candidates(self, *, program_id: int, limit: int = 20) -> Sequence[Delivery]:
        """Real rows to preview the texts on: the occasion's deliveries in the edition, planned ones first."""
        from django.db.models import Case, IntegerField, Value, When

        from .models import Delivery, DeliveryState

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


class ImmediateOccasion(Occasion):
    """A message sent at once through `message_send` (receipt, decision letter); registered for its label."""

    configurable = False

    def __init__(
        self, code: str, label: Any, *, resend_refusal: Callable[[Delivery], str | None] | None = None
    ) -> None:
        self.code = code
        self.label = label
        self._resend_refusal = resend_refusal

    def resend_refusal(self, delivery: Delivery) -> str | None:
        return self._resend_refusal(delivery) if self._resend_refusal else None


def overrides_context(config: OccasionConfig, values: dict[str, Any], recipient: Recipient) -> dict[str, Any]:
    """Leadership's own subject and introduction with the fields filled in for one recipient."""
    values = {"navn": recipient.name or recipient.email, **values}
    return {
        "subject_override": fill_placeholders(config.subject_override, values),
        "intro_override": fill_placeholders(config.body_override, values),
    }


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
        from .outbox import message_send, normalize_email

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
        from .outbox import message_render

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


class ConfigLookup:
    """Leadership's settings per (edition, occasion), loaded once per sweep or batch."""

    def __init__(self, program_ids: Iterable[int] | None = None) -> None:
        from .models import OccasionSetting

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


# --- deadline arithmetic ------------------------------------------------------------------------------


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


def site_link(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


# A field is a known name in braces, exactly: {navn}. Leadership's texts are never run through str.format,
# so "{navn:x}", "{0}" or a lone brace can neither fail at send time nor reach into Python's formatting.
_FIELD = re.compile(r"\{([^{}]*)\}")


def fill_placeholders(text: str, values: dict[str, Any]) -> str:
    """Put the values into leadership's own text; anything else in braces stays as it is. Never fails."""
    if not text:
        return ""
    return _FIELD.sub(lambda m: str(values[m.group(1)]) if m.group(1) in values else m.group(0), text)


def unknown_placeholders(text: str) -> list[str]:
    """The names in braces that are not fields, e.g. ["ukjent", "navn:x"]."""
    return [m.group(1) for m in _FIELD.finditer(text or "") if m.group(1) not in PLACEHOLDERS]


def has_stray_brace(text: str) -> bool:
    """A "{" or "}" that does not belong to a pair around a name."""
    rest = _FIELD.sub("", text or "")
    return "{" in rest or "}" in rest


def placeholder_errors(text: str) -> list[str]:
    """What is wrong with the braces in leadership's text, as Norwegian messages for the field."""
    errors = []
    unknown = unknown_placeholders(text)
    if unknown:
        errors.append(
            gettext("Ukjent felt: %(names)s. Bruk {navn}, {frist}, {program} eller {lenke}.")
            % {"names": ", ".join("{" + n[:40] + "}" for n in unknown[:5])}
        )
    if has_stray_brace(text):
        errors.append(
            gettext(
                "Krøllparentesene { og } brukes bare rundt et felt, som {navn}. "
                "Fjern den som står alene, eller skriv hele feltet."
            )
        )
    return errors


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
        from .models import Delivery, DeliveryState

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
        return {**context, **overrides_context(config, values, recipient)}


@dataclass(frozen=True)
class Target:
    """One party that should be reminded of one deadline (e.g. one branch for one edition)."""

    scope: str
    key: str
    deadline: dt.datetime
    recipients: Sequence[Recipient]
    context: dict[str, Any]
    program_id: int | None = None
