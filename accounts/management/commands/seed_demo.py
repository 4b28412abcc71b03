"""Demo data so every screen has something real to show. Idempotent; refuses to run without DEBUG unless --force."""

import importlib

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from municipalities.services import reference_data_load

# Each app that has demo data exposes demo.seed(ctx: dict) -> None; they run in this order and share ctx.
DEMO_APPS = ["municipalities", "accounts", "programs", "applications", "gatherings", "guidance", "reminders"]
# Steps that need what a later app made: the running region's accepted applications need its groups (gatherings
# never depend on applications, so the applications demo adds them afterwards).
DEMO_AFTER = [("applications", "seed_running")]

DEMO_PASSWORD = "kulturskole"  # noqa: S105 - documented demo password, never used outside DEBUG
DEMO_LOGINS = [
    ("leder@example.org", "Programledelse"),
    ("styre@example.org", "Fylkesstyre, Norsk kulturskoleråd Vestland"),
    ("kommune@example.org", "Kommunekontakt, Sunnfjord"),
    ("veileder@example.org", "Veileder"),
    ("jury@example.org", "Jurymedlem"),
]


def demo_seed(ctx: dict) -> None:
    """Every app's demo data in order, then the steps that need a later app's rows (`DEMO_AFTER`)."""
    for app in DEMO_APPS:
        try:
            module = importlib.import_module(f"{app}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.demo":
                raise
            continue
        module.seed(ctx)
    for app, step in DEMO_AFTER:
        getattr(importlib.import_module(f"{app}.demo"), step)(ctx)


class Command(BaseCommand):
    help = "Legger inn demodata med én bruker per rolle (passord «kulturskole»)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Kjør selv om DEBUG er av.")

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo lager brukere med kjent passord og kjøres bare med DEBUG=True (eller --force)."
            )
        reference_data_load()
        ctx: dict = {"password": DEMO_PASSWORD}
        with transaction.atomic():
            demo_seed(ctx)
        self.stdout.write(self.style.SUCCESS("Demodata er på plass."))
