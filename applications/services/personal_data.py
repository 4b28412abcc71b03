"""Personal data kept by applications: export and erasure per person."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from accounts.models import User
from audit.services import audit_log

from ..models import (
    ApplicationGroupMember,
    JuryMember,
    MunicipalGroup,
    MunicipalGroupMember,
)

# --- Personal data (export and erasure per person) ---------------------------------------------------------

ERASED_NAME = "Slettet person"


def personal_data_export(*, email: str) -> dict[str, list[dict[str, Any]]]:
    """Everything this app holds about one e-mail address: proposed and actual group memberships, jury places."""
    email = email.strip()
    proposed = ApplicationGroupMember.objects.filter(email__iexact=email).select_related(
        "application__municipality", "application__regional_program"
    )
    members = MunicipalGroupMember.objects.filter(email__iexact=email).select_related(
        "group__municipality", "group__regional_program"
    )
    jury = JuryMember.objects.filter(email__iexact=email).select_related("regional_program")
    return {
        "foreslått_kommunegruppe": [
            {
                "søknad": str(m.application),
                "navn": m.name,
                "e-post": m.email,
                "telefon": m.phone,
                "sektor": m.get_sector_display(),
                "stilling": m.role_title,
                "koordinator": m.is_coordinator,
            }
            for m in proposed
        ],
        "kommunegruppe": [
            {
                "kommunegruppe": str(m.group),
                "navn": m.name,
                "e-post": m.email,
                "telefon": m.phone,
                "sektor": m.get_sector_display(),
                "stilling": m.role_title,
                "koordinator": m.is_coordinator,
            }
            for m in members
        ],
        "jury": [
            {"regionalt_program": str(j.regional_program), "navn": j.full_name, "e-post": j.email}
            for j in jury
        ],
    }


def personal_data_erase(*, actor: User, email: str) -> int:
    """Blank the name, e-mail and phone of this person in groups and proposals; the rows stay so counts and
    history hold. Jury places keep the review (the selection must stay explainable) but lose the name.
    Returns how many rows were changed."""
    email = email.strip()
    changed = 0
    with transaction.atomic():
        for model in (ApplicationGroupMember, MunicipalGroupMember):
            changed += model.objects.filter(email__iexact=email).update(
                name=ERASED_NAME, email="", phone="", role_title=""
            )
        for group in MunicipalGroup.objects.filter(coordinator_email__iexact=email):
            group.coordinator_name, group.coordinator_email, group.coordinator_phone = ERASED_NAME, "", ""
            group.save(update_fields=["coordinator_name", "coordinator_email", "coordinator_phone"])
            changed += 1
        for member in JuryMember.objects.filter(email__iexact=email):
            member.full_name = ERASED_NAME
            member.email = f"slettet-{member.pk}@invalid.example"
            member.save(update_fields=["full_name", "email"])
            changed += 1
        # Only a count and no address in the log: the log must not keep what was erased.
        audit_log(actor=actor, action="applications.personal_data.erased", details={"rader": changed})
    return changed
