"""Turning an accepted application into the municipality's group. The group itself belongs to the regional
programme: its services live in `programs.services.groups` and are re-exported here for the views of this app."""

from __future__ import annotations

from django.db import transaction

from accounts.models import User
from programs.services.groups import (
    municipal_group_create,
    municipal_group_member_delete,
    municipal_group_member_save,
)

from ..models import Application, MunicipalGroup

__all__ = [
    "municipal_group_create_from_application",
    "municipal_group_member_delete",
    "municipal_group_member_save",
]


def municipal_group_create_from_application(*, actor: User, application: Application) -> MunicipalGroup:
    """The accepted application's proposed group becomes the municipality's group (a programs service); the
    application keeps a link to it."""
    with transaction.atomic():
        group, _created = municipal_group_create(
            actor=actor,
            regional_program=application.regional_program,
            municipality=application.municipality,
            members=application.group_members.all(),
        )
        if application.municipal_group_id != group.pk:
            application.municipal_group = group
            application.save(update_fields=["municipal_group"])
    return group
