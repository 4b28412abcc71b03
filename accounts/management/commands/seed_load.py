"""National-scale data for measuring the product: ten editions, 5,000 applications, a programme year.

Each app that has load data exposes `<app>/load.py` with `seed_load(ctx: dict) -> None` (and, if it creates
rows that the cascade from editions and users does not remove, `reset_load(ctx: dict) -> None`). They run in
the order of LOAD_APPS and share `ctx`; an app without `load.py` is skipped, so the gatherings and guidance apps
plug in by adding theirs. Everything goes through bulk operations: the whole set loads in about a minute.

What a later app finds in `ctx` (objects with their primary keys, from bulk_create):
  rng, now, email_domain, slug_prefix, password   – a seeded random.Random, the load's clock and marks
  users, leadership, board{branch_id: [users]}, contacts{municipality_id: [users]}, jury, advisors
  branches, municipalities, programs, current_program
  regional_programs: [(RegionalProgram, member municipality ids, is_current_edition)]
  applications, reviews, municipal_groups (the accepted applications' groups, five members each)
Rows an app creates must hang off these (editions, regional programmes, groups, load users) so that
`--reset` removes them through the cascade, or the app removes them in its own `reset_load`.
"""

import importlib
import random
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from municipalities.services import reference_data_load

LOAD_APPS = ["accounts", "programs", "applications", "gatherings", "guidance", "reminders", "audit"]

# Every load row can be told from real data by these two marks.
LOAD_EMAIL_DOMAIN = "last.example.org"
LOAD_SLUG_PREFIX = "last-"
LOAD_PASSWORD = "kulturskole"  # noqa: S105 - documented benchmark password, never used outside DEBUG


def load_modules():
    for app in LOAD_APPS:
        try:
            yield app, importlib.import_module(f"{app}.load")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.load":
                raise


def load_present() -> bool:
    from programs.models import Program

    return Program.objects.filter(slug__startswith=LOAD_SLUG_PREFIX).exists()


def load_reset(ctx: dict) -> None:
    """Remove every load row: each app's own reset first (last app first), then editions and users."""
    from accounts.models import User
    from programs.models import Program

    for _app, module in reversed(list(load_modules())):
        if hasattr(module, "reset_load"):
            module.reset_load(ctx)
    Program.objects.filter(slug__startswith=LOAD_SLUG_PREFIX).delete()
    User.objects.filter(email__endswith=f"@{LOAD_EMAIL_DOMAIN}").delete()


class Command(BaseCommand):
    help = (
        "Legger inn data i nasjonal skala for måling: 10 programperioder, 50 regionale program, "
        "5 000 søknader, 2 000 personer (passord «kulturskole»)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Kjør selv om DEBUG er av.")
        parser.add_argument(
            "--reset", action="store_true", help="Fjern tidligere lastdata og legg inn på nytt."
        )
        parser.add_argument("--seed", type=int, default=14, help="Startverdi for tilfeldige valg.")

    def handle(self, *args, force=False, reset=False, seed=14, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_load lager brukere med kjent passord og kjøres bare med DEBUG=True (eller --force)."
            )
        reference_data_load()
        ctx: dict = {
            "rng": random.Random(seed),
            "now": timezone.now(),
            "email_domain": LOAD_EMAIL_DOMAIN,
            "slug_prefix": LOAD_SLUG_PREFIX,
            "password": LOAD_PASSWORD,
            "stdout": self.stdout,
        }
        started = time.monotonic()
        with transaction.atomic():
            if load_present():
                if not reset:
                    self.stdout.write("Lastdata finnes allerede (bruk --reset for å legge inn på nytt).")
                    return
                load_reset(ctx)
                self.stdout.write(f"Tidligere lastdata fjernet ({time.monotonic() - started:.1f} s).")
            for app, module in load_modules():
                step = time.monotonic()
                module.seed_load(ctx)
                self.stdout.write(f"  {app}: {time.monotonic() - step:.1f} s")
        if connection.vendor == "postgresql":
            # Fresh statistics for the planner; after --reset also the space of the removed rows back, so that
            # measurements on a reloaded database match those on a fresh one.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM (FULL, ANALYZE)" if reset else "VACUUM ANALYZE")
        self.stdout.write(self.style.SUCCESS(f"Lastdata er på plass ({time.monotonic() - started:.0f} s)."))
