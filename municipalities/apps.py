from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MunicipalitiesConfig(AppConfig):
    name = "municipalities"
    verbose_name = _("Kommuner og fylkesavdelinger")

    def ready(self) -> None:
        from audit.labels import ACTION_LABELS

        from . import permissions  # noqa: F401 - registers the rules permissions

        # This app's action codes, readable in the audit log (the audit app owns the table, we add our rows).
        ACTION_LABELS.update(
            {
                "municipalities.reference_data.loaded": _("Referansedata lastet"),
                "municipalities.branch.created": _("Fylkesavdeling opprettet"),
                "municipalities.branch.updated": _("Fylkesavdeling endret"),
                "municipalities.county.moved": _("Fylke flyttet til en annen fylkesavdeling"),
                "municipalities.municipality.updated": _("Kommune endret"),
            }
        )
