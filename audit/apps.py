from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("Logg")

    def ready(self) -> None:
        # Each app declares its action codes in <app>/audit.py (see audit.registry); import them all.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("audit")
