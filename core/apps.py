from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Shared pieces with no domain knowledge: pagination, access decorator, form errors, calendar files,
    the secret calendar addresses, draft recovery and
    create-once tokens."""

    name = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        # Each app declares its kinds of calendar address in <app>/feeds.py (see core.feeds); import them all.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("feeds")
