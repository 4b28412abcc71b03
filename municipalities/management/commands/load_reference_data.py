from django.core.management.base import BaseCommand

from municipalities.services import reference_data_load


class Command(BaseCommand):
    help = (
        "Laster fylker, kommuner og fylkesavdelinger fra de offisielle filene (trygt å kjøre flere ganger)."
    )

    def handle(self, *args, **options):
        result = reference_data_load()
        self.stdout.write(
            f"Referansedata: {result.counties_created} fylker, {result.branches_created} fylkesavdelinger og "
            f"{result.municipalities_created} kommuner lagt til, {result.municipalities_updated} kommuner oppdatert."
        )
