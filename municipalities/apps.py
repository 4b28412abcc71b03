from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MunicipalitiesConfig(AppConfig):
    name = "municipalities"
    verbose_name = _("Kommuner og fylkesavdelinger")

    def ready(self) -> None:
        from . import permissions  # noqa: F401 - registers the rules permissions
