"""Mail that goes out the moment something happens: invitation, change, cancellation, a place from the
waiting list. Called inside the service's transaction; the outbox sends after commit, exactly once per key.

Recipients are mostly people without an account, so the mail carries the content and the calendar entry,
not a link to a page they cannot open.
"""

from __future__ import annotations

from accounts.models import Role
from programs.models import MunicipalGroup
from programs.selectors import regional_program_municipalities
from reminders.outbox import Recipient, message_send, role_recipients

from ..calendar import gathering_attachment
from ..models import Gathering, Registration, RegistrationStatus

INVITATION = "gatherings.invitation"
CHANGED = "gatherings.changed"
CANCELLED = "gatherings.cancelled"
PROMOTED = "gatherings.waitlist_promoted"


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
    rows = (
        Registration.objects.filter(
            gathering=gathering, status__in=[RegistrationStatus.ATTENDING, RegistrationStatus.WAITLISTED]
        )
        .exclude(email="")
        .values_list("email", "name")
    )
    return [Recipient(email=email, name=name) for email, name in rows]


def invitation_send(gathering: Gathering) -> None:
    message_send(
        occasion=INVITATION,
        key=f"gathering:{gathering.pk}",
        recipients=invited(gathering),
        template="gatherings/email/invitation",
        context={"gathering": gathering},
        attachments=[gathering_attachment(gathering)],
    )


def change_send(gathering: Gathering, *, reason: str, changes: list[str]) -> None:
    message_send(
        occasion=CHANGED,
        key=f"gathering:{gathering.pk}:v{gathering.sequence}",
        recipients=[*registered(gathering), *invited(gathering)],
        template="gatherings/email/changed",
        context={"gathering": gathering, "reason": reason, "changes": changes},
        attachments=[gathering_attachment(gathering)],
    )


def cancellation_send(gathering: Gathering) -> None:
    message_send(
        occasion=CANCELLED,
        key=f"gathering:{gathering.pk}",
        recipients=[*registered(gathering), *invited(gathering)],
        template="gatherings/email/cancelled",
        context={"gathering": gathering},
        attachments=[gathering_attachment(gathering)],
    )


def promotion_send(registration: Registration) -> None:
    people = []
    if registration.email:
        people.append(Recipient(email=registration.email, name=registration.name))
    user = registration.registered_by
    if user is not None and user.is_active:
        people.append(Recipient(email=user.email, name=user.full_name, user_id=user.pk))
    message_send(
        occasion=PROMOTED,
        key=f"registration:{registration.pk}:promoted:{registration.promoted_at:%Y%m%d%H%M%S%f}",
        recipients=people,
        template="gatherings/email/promoted",
        context={"gathering": registration.gathering, "registration": registration},
        attachments=[gathering_attachment(registration.gathering)],
    )
