"""Regional programmes: leadership sets up the edition's regions from the branches whose annual meeting confirmed
participation (each branch in one region per edition)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import audit_log
from municipalities.models import CountyBranch

from ..models import Program, RegionalProgram
from ..selectors import confirmed_branches


@transaction.atomic
def regional_program_create(*, actor, program: Program, name: str, branches) -> RegionalProgram:
    """Set up one region of the edition from branches whose annual meeting confirmed participation."""
    branches = list(branches)
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Gi det regionale programmet et navn.")})
    if not branches:
        raise ValidationError({"branches": _("Velg minst én fylkesavdeling.")})
    confirmed = set(confirmed_branches(program=program).values_list("pk", flat=True))
    unconfirmed = [b for b in branches if b.pk not in confirmed]
    if unconfirmed:
        raise ValidationError(
            {
                "branches": _("%(names)s har ikke bekreftet deltakelse etter årsmøtet.")
                % {"names": ", ".join(b.short_name for b in unconfirmed)}
            }
        )
    taken = list(
        CountyBranch.objects.filter(pk__in=[b.pk for b in branches], regional_programs__program=program)
    )
    if taken:
        raise ValidationError(
            {
                "branches": _("%(names)s er allerede med i et regionalt program i denne programperioden.")
                % {"names": ", ".join(b.short_name for b in taken)}
            }
        )
    if RegionalProgram.objects.filter(program=program, name__iexact=name).exists():
        raise ValidationError({"name": _("Det finnes allerede et regionalt program med dette navnet.")})
    regional = RegionalProgram.objects.create(program=program, name=name)
    regional.branches.set(branches)
    audit_log(
        actor=actor,
        action="programs.regional_program.created",
        obj=regional,
        details={"program": program.name, "branches": [b.name for b in branches]},
    )
    return regional
