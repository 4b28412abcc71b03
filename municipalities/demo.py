"""Demo e-mail addresses for the branches and the municipalities the demo shows (example.org only: the demo
must never mail a real kulturskole). Leaves any address someone has already set."""

import csv

from .models import CountyBranch, Municipality
from .services import DATA_DIR

_ASCII = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "á": "a", "č": "c", "š": "s"})


def _local_part(name: str) -> str:
    name = name.split(" (")[0].lower().translate(_ASCII)
    return "-".join("".join(ch if ch.isalnum() else " " for ch in name).split())


def demo_municipality_numbers() -> set[str]:
    """The pilot project's municipalities and every municipality in Vestland (the demo board's branch)."""
    with (DATA_DIR / "pilot_municipalities.csv").open(encoding="utf-8", newline="") as f:
        numbers = {row["number"] for row in csv.DictReader(f)}
    numbers.update(Municipality.objects.filter(county__number="46").values_list("number", flat=True))
    return numbers


def seed(ctx: dict) -> None:
    for branch in CountyBranch.objects.filter(email=""):
        branch.email = f"{_local_part(branch.short_name)}@example.org"
        branch.save(update_fields=["email"])
    for municipality in Municipality.objects.filter(number__in=demo_municipality_numbers(), email=""):
        municipality.email = f"kulturskolen.{_local_part(municipality.name)}@example.org"
        municipality.save(update_fields=["email"])
