"""Services for the municipal groups (kommunegrupper): the regional programme's participants.

Accepting an application calls `municipal_group_create`; gatherings and guidance read the groups from here,
so they depend on programs and never on applications.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from accounts.models import Role, RoleAssignment, User
from audit.services import audit_log, changed_fields
from municipalities.models import Municipality

from ..models import GroupMemberBase, MunicipalGroup, MunicipalGroupMember, RegionalProgram

# A municipal group is a working group, not a mailing list: a cap keeps one form from growing it without end.
MAX_GROUP_MEMBERS = 40


def group_member_cap_check(members: QuerySet) -> None:
    """Refuse one more member when the group (or the application's proposed group) is full."""
    if members.count() >= MAX_GROUP_MEMBERS:
        raise ValidationError(
            _("En kommunegruppe kan ha høyst %(n)s medlemmer. Fjern noen før du legger til flere.")
            % {"n": MAX_GROUP_MEMBERS}
        )


def coordinator_claim(members: QuerySet, *, member: GroupMemberBase | None) -> None:
    """One coordinator per group: naming a new one takes the title from the previous (call in a transaction,
    before saving the new coordinator; the database's partial unique constraint is the last word)."""
    others = members.filter(is_coordinator=True)
    if member is not None and member.pk:
        others = others.exclude(pk=member.pk)
    others.update(is_coordinator=False)


def member_values(data: dict[str, Any]) -> dict[str, Any]:
    values = {k: data[k] for k in GroupMemberBase.FIELDS if k in data}
    if "email" in values:
        # one person, one address: OLA@ and ola@ are the same mailbox
        values["email"] = (values["email"] or "").strip().lower()
    return values


def member_email_check(members: QuerySet, *, email: str, member: GroupMemberBase | None) -> None:
    """Refuse a second member with the same address (compared without regard to case)."""
    if not email:
        return
    others = members.filter(email__iexact=email)
    if member is not None and member.pk:
        others = others.exclude(pk=member.pk)
    other = others.first()
    if other is not None:
        raise ValidationError(
            {
                "email": _("%(name)s er allerede med i gruppen med denne e-postadressen.")
                % {"name": other.name}
            }
        )


def coordinator_current(members: QuerySet, *, member: GroupMemberBase | None) -> GroupMemberBase | None:
    """The coordinator that naming `member` would demote (for the form's hint and the message)."""
    others = members.filter(is_coordinator=True)
    if member is not None and member.pk:
        others = others.exclude(pk=member.pk)
    return others.first()


def municipal_group_create(
    *,
    actor: User | None,
    regional_program: RegionalProgram,
    municipality: Municipality,
    members: Iterable[GroupMemberBase],
) -> tuple[MunicipalGroup, bool]:
    """The municipality's group with these members (copied), or the existing group unchanged. The coordinator
    gets the municipal contact role (invited if they have no account)."""
    from accounts.services import invitation_create

    members = list(members)
    coordinator = next((m for m in members if m.is_coordinator), None)
    with transaction.atomic():
        group, created = MunicipalGroup.objects.get_or_create(
            regional_program=regional_program,
            municipality=municipality,
            defaults={
                "coordinator_name": coordinator.name if coordinator else "",
                "coordinator_email": coordinator.email if coordinator else "",
                "coordinator_phone": coordinator.phone if coordinator else "",
            },
        )
        if not created:
            return group, False
        MunicipalGroupMember.objects.bulk_create(
            [
                MunicipalGroupMember(group=group, **{f: getattr(m, f) for f in GroupMemberBase.FIELDS})
                for m in members
            ]
        )
        audit_log(
            actor=actor,
            action="programs.municipal_group.created",
            obj=group,
            details={"members": len(members), "coordinator_email": group.coordinator_email},
        )
        if coordinator and coordinator.email:
            already = RoleAssignment.objects.filter(
                user__email__iexact=coordinator.email, role=Role.MUNICIPAL_CONTACT, municipality=municipality
            ).exists()
            if not already:
                invitation_create(
                    actor=actor,
                    email=coordinator.email,
                    full_name=coordinator.name,
                    role=Role.MUNICIPAL_CONTACT,
                    municipality=municipality,
                )
    return group, True


def municipal_group_member_save(
    *, actor: User, group: MunicipalGroup, member: MunicipalGroupMember | None = None, data: dict[str, Any]
) -> MunicipalGroupMember:
    """Add or change a member of an existing group; the group's coordinator fields follow the coordinator."""
    values = member_values(data)
    with transaction.atomic():
        group = MunicipalGroup.objects.select_for_update().get(pk=group.pk)
        member_email_check(group.members.all(), email=values.get("email", ""), member=member)
        if values.get("is_coordinator"):
            coordinator_claim(group.members.all(), member=member)
        details: dict[str, Any]  # the new member's name, or the changed fields
        if member is None:
            group_member_cap_check(group.members.all())
            member = MunicipalGroupMember.objects.create(group=group, **values)
            action, details = "programs.municipal_group.member_added", {"navn": member.name}
        else:
            details = changed_fields(member, values)
            for key, value in values.items():
                setattr(member, key, value)
            member.save()
            action = "programs.municipal_group.member_updated"
        municipal_group_coordinator_sync(group)
        audit_log(actor=actor, action=action, obj=group, details=details)
    return member


def municipal_group_member_delete(*, actor: User, member: MunicipalGroupMember) -> None:
    with transaction.atomic():
        group = MunicipalGroup.objects.select_for_update().get(pk=member.group_id)
        audit_log(
            actor=actor,
            action="programs.municipal_group.member_removed",
            obj=group,
            details={"navn": member.name},
        )
        member.delete()
        municipal_group_coordinator_sync(group)


def municipal_group_coordinator_sync(group: MunicipalGroup) -> None:
    coordinator = group.members.filter(is_coordinator=True).first()
    group.coordinator_name = coordinator.name if coordinator else ""
    group.coordinator_email = coordinator.email if coordinator else ""
    group.coordinator_phone = coordinator.phone if coordinator else ""
    group.save(update_fields=["coordinator_name", "coordinator_email", "coordinator_phone"])
