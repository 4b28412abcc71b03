"""The municipal groups' services moved to `programs.services.groups`; this name stays so that the other apps'
imports (`from programs.groups import ...`) keep working."""

from .services.groups import (
    MAX_GROUP_MEMBERS,
    coordinator_claim,
    coordinator_current,
    group_member_cap_check,
    member_email_check,
    member_values,
    municipal_group_coordinator_sync,
    municipal_group_create,
    municipal_group_member_delete,
    municipal_group_member_save,
)

__all__ = [
    "MAX_GROUP_MEMBERS",
    "coordinator_claim",
    "coordinator_current",
    "group_member_cap_check",
    "member_email_check",
    "member_values",
    "municipal_group_coordinator_sync",
    "municipal_group_create",
    "municipal_group_member_delete",
    "municipal_group_member_save",
]
