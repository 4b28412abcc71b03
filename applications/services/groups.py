"""The municipal group created from an accepted application, and its members."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from accounts.models import Role, RoleAssignment, User
from audit.services import audit_log, changed_fields

from ..models import (
    Application,
    MunicipalGroup,
    MunicipalGroupMember,
)
from .drafting import MEMBER_FIELDS
from .jury import _invite


def municipal_group_create_from_application(*, actor: User, application: Application) -> MunicipalGroup:
    """The accepted application's proposed group becomes the municipality's group; the coordinator gets the
    municipal contact role (invited if they have no account)."""
    with transaction.atomic():
        members = list(application.group_members.all())
        coordinator = next((m for m in members if m.is_coordinator), None)
        group, created = MunicipalGroup.objects.get_or_create(
            regional_program=application.regional_program,
            municipality=application.municipality,
            defaults={
                "application": application,
                "coordinator_name": coordinator.name if coordinator else "",
                "coordinator_email": coordinator.email if coordinator else "",
                "coordinator_phone": coordinator.phone if coordinator else "",
            },
        )
        if not created:
            return group
        MunicipalGroupMember.objects.bulk_create(
            [
                MunicipalGroupMember(
                    group=group,
                    name=m.name,
                    email=m.email,
                    phone=m.phone,
                    sector=m.sector,
                    role_title=m.role_title,
                    is_coordinator=m.is_coordinator,
                )
                for m in members
            ]
        )
        audit_log(
            actor=actor,
            action="applications.municipal_group.created",
            obj=group,
            details={"medlemmer": len(members), "koordinator": group.coordinator_email},
        )
        if coordinator and coordinator.email:
            already = RoleAssignment.objects.filter(
                user__email__iexact=coordinator.email,
                role=Role.MUNICIPAL_CONTACT,
                municipality=application.municipality,
            ).exists()
            if not already:
                _invite(
                    actor=actor,
                    email=coordinator.email,
                    full_name=coordinator.name,
                    role=Role.MUNICIPAL_CONTACT,
                    municipality=application.municipality,
                )
    return group


def municipal_group_member_save(
    *, actor: User, group: MunicipalGroup, member: MunicipalGroupMember | None = None, data: dict[str, Any]
) -> MunicipalGroupMember:
    """Add or change a member of an existing group; the group's coordinator fields follow the coordinator."""
    values = {k: data[k] for k in MEMBER_FIELDS if k in data}
    with transaction.atomic():
        group = MunicipalGroup.objects.select_for_update().get(pk=group.pk)
        if values.get("is_coordinator"):
            others = group.members.filter(is_coordinator=True)
            if member is not None:
                others = others.exclude(pk=member.pk)
            others.update(is_coordinator=False)
        if member is None:
            member = MunicipalGroupMember.objects.create(group=group, **values)
            action, details = "applications.municipal_group.member_added", {"navn": member.name}
        else:
            details = changed_fields(member, values)
            for key, value in values.items():
                setattr(member, key, value)
            member.save()
            action = "applications.municipal_group.member_updated"
        _group_coordinator_sync(group)
        audit_log(actor=actor, action=action, obj=group, details=details)
    return member


def municipal_group_member_delete(*, actor: User, member: MunicipalGroupMember) -> None:
    with transaction.atomic():
        group = MunicipalGroup.objects.select_for_update().get(pk=member.group_id)
        audit_log(
            actor=actor,
            action="applications.municipal_group.member_removed",
            obj=group,
            details={"navn": member.name},
        )
        member.delete()
        _group_coordinator_sync(group)


def _group_coordinator_sync(group: MunicipalGroup) -> None:
    coordinator = group.members.filter(is_coordinator=True).first()
    group.coordinator_name = coordinator.name if coordinator else ""
    group.coordinator_email = coordinator.email if coordinator else ""
    group.coordinator_phone = coordinator.phone if coordinator else ""
    group.save(update_fields=["coordinator_name", "coordinator_email", "coordinator_phone"])
