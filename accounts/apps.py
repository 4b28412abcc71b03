from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Personer og roller")

    def ready(self) -> None:
        # Each app declares what it stores about a person in <app>/personal_data.py (see accounts.privacy).
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("personal_data")
        # Whether a code is asked after the password is decided once, at login (accounts/two_factor.py); recovery
        # codes waiting to be shown are dropped at logout.
        from django.contrib.auth.signals import user_logged_in, user_logged_out

        from .two_factor import two_factor_on_login, two_factor_on_logout

        user_logged_in.connect(two_factor_on_login, dispatch_uid="accounts.two_factor_on_login")
        user_logged_out.connect(two_factor_on_logout, dispatch_uid="accounts.two_factor_on_logout")
