from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Shared pieces with no domain knowledge: pagination, access decorator, form errors, calendar files,
    draft recovery."""

    name = "core"
    verbose_name = "Core"
