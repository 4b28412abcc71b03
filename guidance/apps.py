from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuidanceConfig(AppConfig):
    name = "guidance"
    verbose_name = _("Veiledning")

    def ready(self) -> None:
        # gatherings asks who advises a municipal group (an advisor reads its hand-ins) without importing guidance.
        from gatherings.permissions import advised_groups_register

        from .permissions import advised_groups

        advised_groups_register(advised_groups)
