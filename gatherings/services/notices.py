"""Mail that goes out the moment something happens: invitation, change, cancellation, a place from the
waiting list. Called inside the service's transaction; the outbox sends after commit, exactly once per key,
and each is checked again when the worker sends it (the checks are in `notice_checks`), so a late worker sends
nothing stale.

A change notice waits a few minutes (GATHERING_CHANGE_NOTICE_DELAY_SECONDS) so that leadership's quick
corrections make one notice: a further change in that time withdraws the waiting one and queues one that
says what changed since what the recipient was last told (the waiting row carries that state, `told`), and
a change that undoes the waiting one queues nothing.

Recipients are mostly people without an account, so the mail carries the content and the calendar entry,
not a link to a page they cannot open.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Role
from core.dates import date_range_display, span_display
from programs.models import MunicipalGroup
from programs.selectors import regional_program_municipalities
from reminders.models import Delivery
from reminders.outbox import (
    Recipient,
    message_send,
    messages_skip,
    messages_waiting,
    normalize_email,
    recipients_distinct,
    role_recipients,
)

from ..calendar import gathering_attachment
from ..models import Gathering, Registration, RegistrationStatus

INVITATION = "gatherings.invitation"
CHANGED = "gatherings.changed"
CANCELLED = "gatherings.cancelled"
PROMOTED = "gatherings.waitlist_promoted"
INVITATION_TEMPLATE = "gatherings/email/invitation"
CHANGED_TEMPLATE = "gatherings/email/changed"
CANCELLED_TEMPLATE = "gatherings/email/cancelled"


def _notice(code: str):
    """The registered notice (gatherings/reminders.py, which imports this module): it adds leadership's texts."""
    from .. import reminders

    return {
        INVITATION: reminders.GATHERING_INVITATION,
        CHANGED: reminders.GATHERING_CHANGED,
        CANCELLED: reminders.GATHERING_CANCELLED,
    }[code]


def group_coordinators(groups) -> dict[int, list[Recipient]]:
    """Per group id: the municipality's contacts and the group's own coordinator address."""
    groups = list(groups)
    contacts = role_recipients(
        role=Role.MUNICIPAL_CONTACT,
        scope_field="municipality_id",
        scope_ids={g.municipality_id for g in groups},
    )
    result: dict[int, list[Recipient]] = {}
    for group in groups:
        people = list(contacts.get(group.municipality_id, []))
        if group.coordinator_email:
            people.append(Recipient(email=group.coordinator_email, name=group.coordinator_name))
        result[group.pk] = people
    return result


def pre_gathering_contacts(regional_program) -> list[Recipient]:
    """The region's member municipalities (their address and contacts) and its branches' boards."""
    municipalities = list(regional_program_municipalities(regional_program=regional_program))
    contacts = role_recipients(
        role=Role.MUNICIPAL_CONTACT, scope_field="municipality_id", scope_ids=[m.pk for m in municipalities]
    )
    people: list[Recipient] = []
    for m in municipalities:
        if m.email:
            people.append(Recipient(email=m.email, name=m.name))
        people.extend(contacts.get(m.pk, []))
    branches = list(regional_program.branches.all())
    board = role_recipients(
        role=Role.BOARD_MEMBER, scope_field="branch_id", scope_ids=[b.pk for b in branches]
    )
    for b in branches:
        people.extend(board.get(b.pk, []))
    return people


def invited(gathering: Gathering) -> list[Recipient]:
    if gathering.is_pre_gathering:
        return pre_gathering_contacts(gathering.regional_program)
    groups = MunicipalGroup.objects.filter(regional_program_id=gathering.regional_program_id)
    return [r for people in group_coordinators(groups).values() for r in people]


def registered(gathering: Gathering) -> list[Recipient]:
    return [recipient for recipient, _ids in _registered_by_address(gathering).values()]


def _registered_by_address(gathering: Gathering) -> dict[str, tuple[Recipient, list[int]]]:
    """Per address: the person registered (attending or waiting) and their registrations' ids."""
    rows = (
        Registration.objects.filter(
            gathering=gathering, status__in=[RegistrationStatus.ATTENDING, RegistrationStatus.WAITLISTED]
        )
        .exclude(email="")
        .order_by("pk")
        .values_list("pk", "email", "name")
    )
    result: dict[str, tuple[Recipient, list[int]]] = {}
    for pk, email, name in rows:
        result.setdefault(normalize_email(email), (Recipient(email=email, name=name), []))[1].append(pk)
    return result


def _program_id(gathering: Gathering) -> int:
    """The edition the gathering's notices belong to, so leadership finds them under it."""
    return gathering.regional_program.program_id


def _program(gathering: Gathering):
    return gathering.regional_program.program


def _version(gathering: Gathering) -> dict[str, Any]:
    """What the notice's check at send time needs: which gathering, as it was when the notice was written."""
    return {"gathering": gathering.pk, "sequence": gathering.sequence}


def invitation_send(gathering: Gathering) -> None:
    _notice(INVITATION).send(
        program=_program(gathering),
        key=f"gathering:{gathering.pk}",
        recipients=invited(gathering),
        context={"gathering": gathering},
        attachments=[gathering_attachment(gathering)],
        reference=lambda _recipient: _version(gathering),
    )


def notice_snapshot(gathering: Gathering) -> dict[str, Any]:
    """What a change notice lists about the gathering, as it is now: taken before a change, so the notice can
    say what it was before."""
    return {
        "title": gathering.display_title,
        "theme": gathering.theme,
        "starts_at": gathering.starts_at,
        "ends_at": gathering.ends_at,
        "location": ", ".join(p for p in (gathering.venue, gathering.address) if p),
        "video_link": gathering.video_link,
        "host": gathering.host_municipality.name if gathering.host_municipality else "",
    }


def _said(before: str, after: str, *, new: str, added: str, removed: str) -> str | None:
    """One sentence for a changed text: `new` with both, `added` when there was none, `removed` when it is gone."""
    if before == after:
        return None
    if not after:
        return removed % {"old": before}
    if not before:
        return added % {"new": after}
    return new % {"new": after, "old": before}


def _time_change(before: dict[str, Any], gathering: Gathering) -> str | None:
    old_start, old_end = timezone.localtime(before["starts_at"]), timezone.localtime(before["ends_at"])
    new_start, new_end = timezone.localtime(gathering.starts_at), timezone.localtime(gathering.ends_at)
    if (old_start, old_end) == (new_start, new_end):
        return None
    same_days = (old_start.date(), old_end.date()) == (new_start.date(), new_end.date())
    same_clock = (old_start.time(), old_end.time()) == (new_start.time(), new_end.time())
    if same_days:
        return _("Nytt klokkeslett: %(new)s (før: %(old)s).") % {
            "new": span_display(new_start, new_end),
            "old": span_display(old_start, old_end),
        }
    if same_clock:
        return _("Flyttet fra %(old)s til %(new)s, samme klokkeslett.") % {
            "old": date_range_display(old_start.date(), old_end.date()),
            "new": date_range_display(new_start.date(), new_end.date()),
        }
    return _("Flyttet fra %(old)s til %(new)s.") % {
        "old": span_display(old_start, old_end),
        "new": span_display(new_start, new_end),
    }


def change_lines(before: dict[str, Any], gathering: Gathering) -> list[str]:
    """In words, old → new, what changed of what the notice lists (see `notice_snapshot`)."""
    after = notice_snapshot(gathering)
    lines = [
        _time_change(before, gathering),
        _said(
            before["location"],
            after["location"],
            new=_("Nytt sted: %(new)s (før: %(old)s)."),
            added=_("Nytt sted: %(new)s."),
            removed=_("Samlingen har ikke lenger et fysisk sted (før: %(old)s)."),
        ),
        _said(
            before["video_link"],
            after["video_link"],
            new=_("Ny videolenke: %(new)s (før: %(old)s)."),
            added=_("Ny videolenke: %(new)s."),
            removed=_("Videolenken er fjernet (før: %(old)s)."),
        ),
        _said(
            before["title"],
            after["title"],
            new=_("Nytt navn: %(new)s (før: %(old)s)."),
            added=_("Nytt navn: %(new)s."),
            removed=_("Navnet er fjernet (før: %(old)s)."),
        ),
        _said(
            before["theme"],
            after["theme"],
            new=_("Nytt tema: %(new)s (før: %(old)s)."),
            added=_("Nytt tema: %(new)s."),
            removed=_("Temaet er fjernet (før: %(old)s)."),
        ),
        _said(
            before["host"],
            after["host"],
            new=_("Ny vertskommune: %(new)s (før: %(old)s)."),
            added=_("Ny vertskommune: %(new)s."),
            removed=_("Ingen vertskommune lenger (før: %(old)s)."),
        ),
    ]
    return [line for line in lines if line]


@dataclass(frozen=True)
class ChangeNotice:
    """What `change_send` queued: to how many addresses, when it goes (None: at once), and whether the change
    undid a notice still waiting (which was withdrawn, nothing new to tell)."""

    count: int
    due_at: dt.datetime | None = None
    withdrawn: bool = False


def change_notice_delay() -> dt.timedelta:
    """How long a change notice waits for further changes before it goes (0: at once)."""
    return dt.timedelta(seconds=max(0, int(getattr(settings, "GATHERING_CHANGE_NOTICE_DELAY_SECONDS", 300))))


def _snapshot_json(snapshot: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, dt.datetime) else v for k, v in snapshot.items()}


def snapshot_from_json(data: dict[str, Any]) -> dict[str, Any]:
    return {
        **data,
        "starts_at": dt.datetime.fromisoformat(data["starts_at"]),
        "ends_at": dt.datetime.fromisoformat(data["ends_at"]),
    }


def reason_text(reasons: Sequence[str]) -> str:
    """The reasons of the changes one notice gathers, each once, as one text (one reason stays as typed)."""
    if len(reasons) <= 1:
        return "".join(reasons)
    return " ".join(r if r[-1] in ".!?" else f"{r}." for r in reasons)


def unchanged_reason() -> str:
    return _(
        "Endringen ble gjort om før varselet ble sendt: samlingen er igjen slik mottakeren sist fikk beskjed "
        "om, så ingen e-post sendes."
    )


def superseded_reason() -> str:
    return _("Samlingen er endret igjen; den nyeste endringsmeldingen sendes i stedet.")


def cancelled_reason() -> str:
    return _("Samlingen ble avlyst før denne ble sendt; avlysningen er sendt i stedet.")


def cancelled_after_sent_reason() -> str:
    """Why a notice that was sent is not sent again once its gathering is cancelled."""
    return _("Samlingen er avlyst etter at denne ble sendt.")


def superseded_after_sent_reason() -> str:
    return _("Samlingen er endret igjen etter at denne ble sendt; den nyeste endringsmeldingen gjelder.")


def _told_by_address(waiting: Sequence[Delivery]) -> dict[str, tuple[dict[str, Any], list[str]]]:
    """Per address with a notice still waiting: the state it was last told and the reasons not yet told."""
    told: dict[str, tuple[dict[str, Any], list[str]]] = {}
    for row in waiting:  # oldest first: the first waiting row holds what the address was told before it
        if row.context.get("told") is not None and row.recipient_email not in told:
            told[row.recipient_email] = (row.context["told"], list(row.context.get("reasons", [])))
    return told


def change_send(gathering: Gathering, *, reason: str, before: dict[str, Any]) -> ChangeNotice:
    """Tell everyone registered and every invited address what changed (old → new) and how it is now, after
    a grace period in which a further change replaces this notice (see the module docstring).

    `before` is the gathering as it was before this change (`notice_snapshot`); an address with a notice still
    waiting is told from the state that notice started from instead, so three quick changes make one notice
    from the first state to the last, and an address for which that comes to nothing gets none."""
    people = _registered_by_address(gathering)
    coordinators = invited(gathering)
    addresses = {normalize_email(r.email) for r in coordinators}
    waiting = messages_waiting(occasion=CHANGED, reference={"gathering": gathering.pk})
    told_before = _told_by_address(waiting)
    recipients = recipients_distinct([*(recipient for recipient, _ids in people.values()), *coordinators])
    reason = reason.strip()
    this_change: tuple[dict[str, Any], list[str]] = (_snapshot_json(before), [])
    told: dict[str, tuple[dict[str, Any], list[str]]] = {}
    lines: dict[str, list[str]] = {}
    with translation.override(settings.LANGUAGE_CODE):  # the mail's language, whatever the page's
        for address in recipients:
            snapshot, reasons = told_before.get(address, this_change)
            changes = change_lines(snapshot_from_json(snapshot), gathering)
            if changes:
                told[address] = (
                    snapshot,
                    [*reasons, *([reason] if reason and reason not in reasons else [])],
                )
                lines[address] = changes
        undone = [
            row for row in waiting if row.recipient_email in recipients and row.recipient_email not in lines
        ]
        messages_skip(undone, reason=unchanged_reason(), superseded=True)
        messages_skip(
            [row for row in waiting if row.recipient_email in lines],
            reason=superseded_reason(),
            superseded=True,
        )
        # a waiting row of an address no longer told (the person withdrew) is left to the send-time check

    def reference(recipient: Recipient) -> dict[str, Any]:
        address = normalize_email(recipient.email)
        snapshot, reasons = told[address]
        version = {**_version(gathering), "told": snapshot, "reasons": reasons}
        if address in addresses:
            return version  # invited: told whether or not they registered themselves
        # registered only: told only while still registered (one address may hold several registrations)
        return {**version, "registrations": people[address][1]}

    def recipient_context(recipient: Recipient) -> dict[str, Any]:
        address = normalize_email(recipient.email)
        return {"changes": lines[address], "reason": reason_text(told[address][1])}

    delay = change_notice_delay()
    due_at = timezone.now() + delay if delay else None
    count = _notice(CHANGED).send(
        program=_program(gathering),
        key=f"gathering:{gathering.pk}:v{gathering.sequence}",
        recipients=[r for address, r in recipients.items() if address in lines],
        context={"gathering": gathering},
        attachments=[gathering_attachment(gathering)],
        reference=reference,
        recipient_context=recipient_context,
        send_at=due_at,
    )
    return ChangeNotice(count=count, due_at=due_at, withdrawn=bool(undone))


def cancellation_recipients(gathering: Gathering) -> list[Recipient]:
    """Everyone registered (attending or on the waiting list) and everyone invited."""
    return [*registered(gathering), *invited(gathering)]


def cancellation_audience_size(gathering: Gathering) -> int:
    """How many addresses a cancellation would go to now: a read, told to leadership before they cancel, from
    the same recipients as the notice itself so the two numbers agree."""
    return len(recipients_distinct(cancellation_recipients(gathering)))


@dataclass(frozen=True)
class ToldGathering:
    """The gathering as a notice `snapshot` told it, shaped as the mail's details (`email/_details.*`) read a
    gathering: place and address as one line, as the snapshot keeps them."""

    display_title: str
    theme: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    venue: str
    video_link: str
    host: str
    address: str = ""

    @property
    def host_municipality(self) -> dict[str, str] | None:
        return {"name": self.host} if self.host else None


def told_gathering(snapshot: dict[str, Any]) -> ToldGathering:
    return ToldGathering(
        display_title=snapshot["title"],
        theme=snapshot["theme"],
        starts_at=snapshot["starts_at"],
        ends_at=snapshot["ends_at"],
        venue=snapshot["location"],
        video_link=snapshot["video_link"],
        host=snapshot["host"],
    )


def cancellation_send(gathering: Gathering) -> int:
    """Goes at once; a change notice still waiting is withdrawn, the cancellation says all there is. An address
    whose change notice was withdrawn never heard of that change: its cancellation names the gathering as it
    was last told (time, place, title), not as changed."""
    waiting = messages_waiting(occasion=CHANGED, reference={"gathering": gathering.pk})
    told = _told_by_address(waiting)
    with translation.override(settings.LANGUAGE_CODE):
        withdrawn = cancelled_reason()
    messages_skip(waiting, reason=withdrawn, superseded=True)

    def recipient_context(recipient: Recipient) -> dict[str, Any]:
        found = told.get(normalize_email(recipient.email))
        if found is None:
            return {}
        snapshot = snapshot_from_json(found[0])
        return {"as_told": told_gathering(snapshot)} if change_lines(snapshot, gathering) else {}

    return _notice(CANCELLED).send(
        program=_program(gathering),
        key=f"gathering:{gathering.pk}",
        recipients=cancellation_recipients(gathering),
        context={"gathering": gathering},
        attachments=[gathering_attachment(gathering)],
        reference=lambda _recipient: _version(gathering),
        recipient_context=recipient_context,
    )


def promotion_send(registration: Registration) -> None:
    people = []
    if registration.email:
        people.append(Recipient(email=registration.email, name=registration.name))
    user = registration.registered_by
    if user is not None and user.is_active:
        people.append(Recipient(email=user.email, name=user.full_name, user_id=user.pk))
    promoted_at = registration.promoted_at
    message_send(
        occasion=PROMOTED,
        key=f"registration:{registration.pk}:promoted:{promoted_at:%Y%m%d%H%M%S%f}",
        recipients=people,
        template="gatherings/email/promoted",
        context={"gathering": registration.gathering, "registration": registration},
        attachments=[gathering_attachment(registration.gathering)],
        program_id=_program_id(registration.gathering),
        reference=lambda _recipient: {
            "registration": registration.pk,
            "promoted_at": promoted_at.isoformat() if promoted_at else None,
        },
    )
