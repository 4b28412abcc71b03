from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = _("Søknader")

    def ready(self) -> None:
        from accounts.signals import invitation_accepted

        from .signals import jury_places_claim

        invitation_accepted.connect(jury_places_claim, dispatch_uid="applications.jury_places_claim")
