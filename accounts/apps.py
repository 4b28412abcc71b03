from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Personer og roller")

    def ready(self) -> None:
        # Each app declares what it stores about a person in <app>/personal_data.py (see accounts.privacy).
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("personal_data")
