"""Writes to counties, branches and municipalities."""

import csv
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from audit.services import audit_log

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

    for row in _rows("county_branches.csv"):
        branch, created = CountyBranch.objects.get_or_create(name=row["branch_name"])
        result.branches_created += int(created)
        for number in row["county_numbers_2024"].split(";"):
            county = counties[number.strip()]
            if county.branch_id is None:
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
