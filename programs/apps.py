from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = _("Program")

    def ready(self):
        # Registers this app's rules permissions (rules only autodiscovers modules named rules.py).
        from . import permissions  # noqa: F401
