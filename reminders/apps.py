from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemindersConfig(AppConfig):
    name = "reminders"
    verbose_name = _("Påminnelser")

    def ready(self) -> None:
        # Each app declares its occasions in <app>/reminders.py; import them all so the sweep knows them.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("reminders")
