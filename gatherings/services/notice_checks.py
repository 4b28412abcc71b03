"""The gathering notices (see `notices`) checked again when the worker sends them (see
reminders.occasions.ImmediateOccasion). A late worker (a broker outage: the sweep picks the rows up later)
must send nothing stale. Each check reads a batch in a fixed number of queries. Rows queued before the
reference existed go as rendered.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils.translation import gettext as _

from reminders.models import Delivery, DeliveryState
from reminders.occasions import Prepared, Stale
from reminders.outbox import Attachment

from ..calendar import gathering_attachment
from ..models import Gathering, Registration, RegistrationStatus
from .notices import (
    CHANGED,
    CHANGED_TEMPLATE,
    INVITATION_TEMPLATE,
    cancelled_after_sent_reason,
    cancelled_reason,
    change_lines,
    reason_text,
    snapshot_from_json,
    superseded_after_sent_reason,
    superseded_reason,
    unchanged_reason,
)


def _referenced(deliveries: Sequence[Delivery], name: str) -> list[Delivery]:
    return [d for d in deliveries if d.context.get(name) is not None]


def _gatherings(deliveries: Sequence[Delivery], *, related: bool = False) -> dict[int, Gathering]:
    qs = Gathering.objects.all()
    if related:
        qs = qs.select_related("regional_program__program", "host_municipality")
    return qs.in_bulk({d.context["gathering"] for d in deliveries})


def _gone() -> Stale:
    return Stale(_("Samlingen finnes ikke lenger."))


def _cancelled() -> Stale:
    # the cancellation goes to the same people and says all there is: replaced, not «Ikke sendt»
    return Stale(cancelled_reason(), superseded=True, after_sent=cancelled_after_sent_reason())


def invitation_check(deliveries: Sequence[Delivery]) -> dict[int, Stale | Prepared]:
    """A cancelled gathering's invitation is skipped. One changed since is built again from the gathering as
    it is now: the invitation carries the registration deadline and link, which no change notice does."""
    rows = _referenced(deliveries, "gathering")
    gatherings = _gatherings(rows, related=True) if rows else {}
    rebuilt: dict[int, Prepared] = {}
    result: dict[int, Stale | Prepared] = {}
    for row in rows:
        gathering = gatherings.get(row.context["gathering"])
        if gathering is None or gathering.is_cancelled:
            result[row.pk] = _gone() if gathering is None else _cancelled()
        elif gathering.sequence != row.context["sequence"]:
            if gathering.pk not in rebuilt:
                rebuilt[gathering.pk] = Prepared(
                    template=INVITATION_TEMPLATE,
                    context={"gathering": gathering},
                    attachments=(gathering_attachment(gathering),),
                )
            result[row.pk] = rebuilt[gathering.pk]
    return result


def _change_rebuilt(
    row: Delivery, gathering: Gathering, attachments: dict[int, Attachment]
) -> Stale | Prepared:
    """A waiting notice of a gathering edited since without a notice of its own (its title, its text): the
    same change, from what the recipient was told, said about the gathering as it is now, with its current
    calendar entry (built once per gathering in the batch)."""
    changes = change_lines(snapshot_from_json(row.context["told"]), gathering)
    if not changes:
        return Stale(unchanged_reason(), superseded=True)
    if gathering.pk not in attachments:
        attachments[gathering.pk] = gathering_attachment(gathering)
    return Prepared(
        template=CHANGED_TEMPLATE,
        context={
            "gathering": gathering,
            "changes": changes,
            "reason": reason_text(row.context.get("reasons", [])),
        },
        attachments=(attachments[gathering.pk],),
    )


def change_check(deliveries: Sequence[Delivery]) -> dict[int, Stale | Prepared]:
    """Skipped when the gathering was cancelled since or changed again (the newer notice to the same address
    carries the current calendar entry), or when the registered person has withdrawn. A notice that waited
    while the gathering was edited in ways that send no notice is built again as it is now."""
    rows = _referenced(deliveries, "gathering")
    if not rows:
        return {}
    gatherings = _gatherings(rows, related=True)
    attachments: dict[int, Attachment] = {}
    newest: dict[tuple[str, int], int] = {}
    for address, gathering_id, sequence in (
        Delivery.objects.filter(
            occasion=CHANGED,
            recipient_email__in={r.recipient_email for r in rows},
            context__gathering__in=list(gatherings),
        )
        .exclude(state=DeliveryState.CANCELLED)
        .values_list("recipient_email", "context__gathering", "context__sequence")
    ):
        if sequence is not None:
            newest[(address, gathering_id)] = max(sequence, newest.get((address, gathering_id), sequence))
    wanted = {pk for r in rows for pk in r.context.get("registrations", [])}
    still_registered = set(
        Registration.objects.filter(
            pk__in=wanted, status__in=[RegistrationStatus.ATTENDING, RegistrationStatus.WAITLISTED]
        ).values_list("pk", flat=True)
        if wanted
        else []
    )
    result: dict[int, Stale | Prepared] = {}
    for row in rows:
        gathering = gatherings.get(row.context["gathering"])
        registrations = row.context.get("registrations")
        if gathering is None or gathering.is_cancelled:
            result[row.pk] = _gone() if gathering is None else _cancelled()
        elif newest.get((row.recipient_email, gathering.pk), -1) > row.context["sequence"]:
            result[row.pk] = Stale(
                superseded_reason(), superseded=True, after_sent=superseded_after_sent_reason()
            )
        elif registrations is not None and not still_registered.intersection(registrations):
            result[row.pk] = Stale(_("Mottakeren har meldt seg av samlingen."))
        elif gathering.sequence != row.context["sequence"] and row.context.get("told") is not None:
            result[row.pk] = _change_rebuilt(row, gathering, attachments)
    return result


def cancellation_check(deliveries: Sequence[Delivery]) -> dict[int, Stale | Prepared]:
    """Skipped when the gathering is no longer cancelled (nothing un-cancels one today; this keeps it so)."""
    rows = _referenced(deliveries, "gathering")
    gatherings = _gatherings(rows) if rows else {}
    result: dict[int, Stale | Prepared] = {}
    for row in rows:
        gathering = gatherings.get(row.context["gathering"])
        if gathering is None:
            result[row.pk] = _gone()
        elif not gathering.is_cancelled:
            result[row.pk] = Stale(_("Samlingen er ikke lenger avlyst."))
    return result


def promotion_check(deliveries: Sequence[Delivery]) -> dict[int, Stale | Prepared]:
    """Skipped when the place is no longer theirs (withdrawn, or promoted again later) or the gathering was
    cancelled."""
    rows = _referenced(deliveries, "registration")
    registrations = (
        Registration.objects.select_related("gathering").in_bulk({r.context["registration"] for r in rows})
        if rows
        else {}
    )
    result: dict[int, Stale | Prepared] = {}
    for row in rows:
        registration = registrations.get(row.context["registration"])
        promoted_at = row.context.get("promoted_at")
        if registration is None or registration.status != RegistrationStatus.ATTENDING:
            result[row.pk] = Stale(_("Påmeldingen er ikke lenger aktiv; plassen er gitt fra seg igjen."))
        elif registration.gathering.is_cancelled:
            result[row.pk] = _cancelled()
        elif promoted_at and registration.promoted_at != dt.datetime.fromisoformat(promoted_at):
            result[row.pk] = Stale(
                _("Personen har fått plass på nytt senere; den nyeste meldingen sendes."), superseded=True
            )
    return result
