from pathlib import Path

import pytest

from reminders import occasions
from tests.reminders.occasions import register_test_occasion

TEST_TEMPLATES = Path(__file__).parent / "templates"


@pytest.fixture(autouse=True)
def _reminder_test_templates(settings):
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], TEST_TEMPLATES]},
        *settings.TEMPLATES[1:],
    ]


@pytest.fixture
def test_occasion():
    """Only the test occasion is declared while the test runs: the mechanism is tested on its own."""
    saved = dict(occasions._registry)
    occasions._registry.clear()
    occasion = register_test_occasion()
    yield occasion
    occasions._registry.clear()
    occasions._registry.update(saved)
