"""Writes to counties, branches and municipalities."""

import csv
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from audit.services import audit_log, changed_fields

from .models import County, CountyBranch, Municipality

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass
class ReferenceLoadResult:
    counties_created: int = 0
    branches_created: int = 0
    municipalities_created: int = 0
    municipalities_updated: int = 0

    @property
    def changed(self) -> bool:
        return any(
            (
                self.counties_created,
                self.branches_created,
                self.municipalities_created,
                self.municipalities_updated,
            )
        )


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@transaction.atomic
def reference_data_load(*, actor=None) -> ReferenceLoadResult:
    """Load the official counties and municipalities and the branches' county coverage.

    Idempotent, and it respects what leadership has edited since: a county that already has a branch keeps
    it, and a municipality keeps its member flag. Official names and county numbers follow the files.
    """
    result = ReferenceLoadResult()
    counties = {c.number: c for c in County.objects.all()}
    for row in _rows("counties_2024.csv"):
        county = counties.get(row["number"])
        if county is None:
            counties[row["number"]] = County.objects.create(
                number=row["number"], name=row["name"], parallel_names=row["parallel_names"]
            )
            result.counties_created += 1
        elif (county.name, county.parallel_names) != (row["name"], row["parallel_names"]):
            county.name, county.parallel_names = row["name"], row["parallel_names"]
            county.save(update_fields=["name", "parallel_names"])

    # The file only seeds coverage: once a county has a branch, leadership owns that choice. A branch is
    # looked up or created only for counties still without one, so a renamed or split branch is not
    # brought back by a reload.
    for row in _rows("county_branches.csv"):
        uncovered = [
            counties[number.strip()]
            for number in row["county_numbers_2024"].split(";")
            if counties[number.strip()].branch_id is None
        ]
        if not uncovered:
            continue
        branch, created = CountyBranch.objects.get_or_create(name=row["branch_name"])
        result.branches_created += int(created)
        for county in uncovered:
            county.branch = branch
            county.save(update_fields=["branch"])

    existing = {m.number: m for m in Municipality.objects.all()}
    to_create, to_update = [], []
    for row in _rows("municipalities_2024.csv"):
        county = counties[row["county_number"]]
        municipality = existing.get(row["number"])
        if municipality is None:
            to_create.append(
                Municipality(
                    number=row["number"],
                    name=row["name"],
                    county=county,
                    parallel_names=row["parallel_names"],
                )
            )
        elif (municipality.name, municipality.county_id, municipality.parallel_names) != (
            row["name"],
            county.pk,
            row["parallel_names"],
        ):
            municipality.name, municipality.county, municipality.parallel_names = (
                row["name"],
                county,
                row["parallel_names"],
            )
            to_update.append(municipality)
    Municipality.objects.bulk_create(to_create)
    Municipality.objects.bulk_update(to_update, ["name", "county", "parallel_names"])
    result.municipalities_created = len(to_create)
    result.municipalities_updated = len(to_update)

    if result.changed:
        audit_log(
            actor=actor,
            action="municipalities.reference_data.loaded",
            details={
                "fylker_opprettet": result.counties_created,
                "fylkesavdelinger_opprettet": result.branches_created,
                "kommuner_opprettet": result.municipalities_created,
                "kommuner_oppdatert": result.municipalities_updated,
            },
        )
    return result


def _changes(instance, data: dict) -> dict:
    """What `data` changes on `instance`, as {field: {"from": old, "to": new}}; empty when nothing does."""
    return changed_fields(instance, {k: v for k, v in data.items() if getattr(instance, k) != v})


def _clean_email(email: str) -> str:
    email = (email or "").strip().lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise ValidationError({"email": _("Skriv en gyldig e-postadresse.")}) from None
    return email


def _check_branch_name(name: str, *, exclude_pk: int | None = None) -> str:
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": _("Fylkesavdelingen må ha et navn.")})
    if len(name) > (CountyBranch._meta.get_field("name").max_length or 0):
        raise ValidationError({"name": _("Navnet er for langt.")})
    taken = CountyBranch.objects.filter(name__iexact=name)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise ValidationError({"name": _("Det finnes allerede en fylkesavdeling med dette navnet.")})
    return name


@transaction.atomic
def county_branch_create(
    *, actor, name: str, email: str = "", is_active: bool = True, counties=()
) -> CountyBranch:
    """A new branch; `counties` are moved to it from their current branch (each move audited)."""
    if counties and not is_active:
        raise ValidationError({"counties": _("En inaktiv fylkesavdeling kan ikke ha fylker.")})
    name = _check_branch_name(name)
    try:
        with transaction.atomic():
            branch = CountyBranch.objects.create(name=name, email=_clean_email(email), is_active=is_active)
    except IntegrityError:
        # Someone created the same name a moment ago (the check above could not see it yet).
        raise ValidationError(
            {"name": _("Det finnes allerede en fylkesavdeling med dette navnet.")}
        ) from None
    audit_log(
        actor=actor,
        action="municipalities.branch.created",
        obj=branch,
        details={"name": branch.name, "email": branch.email or None, "is_active": branch.is_active},
    )
    for county in counties:
        county_move(actor=actor, county=county, branch=branch)
    return branch


@transaction.atomic
def county_branch_update(
    *, actor, branch: CountyBranch, name: str, email: str, is_active: bool
) -> CountyBranch:
    branch = CountyBranch.objects.select_for_update().get(pk=branch.pk)
    data = {
        "name": _check_branch_name(name, exclude_pk=branch.pk),
        "email": _clean_email(email),
        "is_active": is_active,
    }
    # An inactive branch cannot be chosen for a county, so it must not be left holding any.
    if not is_active and branch.counties.exists():
        raise ValidationError(
            {
                "is_active": _(
                    "Flytt fylkene til en annen fylkesavdeling før du gjør denne fylkesavdelingen inaktiv."
                )
            }
        )
    changes = _changes(branch, data)
    if not changes:
        return branch
    changed = [field for field, value in data.items() if getattr(branch, field) != value]
    for field, value in data.items():
        setattr(branch, field, value)
    try:
        with transaction.atomic():
            branch.save(update_fields=changed)
    except IntegrityError:
        raise ValidationError(
            {"name": _("Det finnes allerede en fylkesavdeling med dette navnet.")}
        ) from None
    audit_log(actor=actor, action="municipalities.branch.updated", obj=branch, details=changes)
    return branch


@transaction.atomic
def county_move(*, actor, county: County, branch: CountyBranch) -> County:
    """Let another branch cover the county (with its municipalities)."""
    county = County.objects.select_for_update(of=("self",)).select_related("branch").get(pk=county.pk)
    if not branch.is_active:
        raise ValidationError({"branch": _("Velg en aktiv fylkesavdeling.")})
    if county.branch_id == branch.pk:
        return county
    old = county.branch
    county.branch = branch
    county.save(update_fields=["branch"])
    audit_log(
        actor=actor,
        action="municipalities.county.moved",
        obj=county,
        details={
            "county": county.name,
            "from": old.name if old else None,
            "to": branch.name,
        },
    )
    return county


@transaction.atomic
def municipality_update(*, actor, municipality: Municipality, is_member: bool, email: str) -> Municipality:
    """Leadership keeps the member flag and the kulturskole's e-mail up to date."""
    municipality = Municipality.objects.select_for_update().get(pk=municipality.pk)
    data = {"is_member": is_member, "email": _clean_email(email)}
    changes = _changes(municipality, data)
    if not changes:
        return municipality
    changed = [field for field, value in data.items() if getattr(municipality, field) != value]
    for field, value in data.items():
        setattr(municipality, field, value)
    municipality.save(update_fields=changed)
    audit_log(actor=actor, action="municipalities.municipality.updated", obj=municipality, details=changes)
    return municipality
