import pytest
from django.core.management import CommandError, call_command

from accounts.management.commands.seed_load import LOAD_APPS, load_modules

pytestmark = pytest.mark.django_db


def test_seed_load_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_load")


def test_every_present_load_module_has_the_hook():
    modules = dict(load_modules())
    assert {"accounts", "programs", "applications", "reminders", "audit"} <= set(modules)
    assert set(modules) <= set(LOAD_APPS)
    assert all(callable(getattr(module, "seed_load", None)) for module in modules.values())
