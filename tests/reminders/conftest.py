from pathlib import Path

import pytest

from reminders.occasions import unregister
from tests.reminders.occasions import CODE, register_test_occasion

TEST_TEMPLATES = Path(__file__).parent / "templates"


@pytest.fixture(autouse=True)
def _reminder_test_templates(settings):
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], TEST_TEMPLATES]},
        *settings.TEMPLATES[1:],
    ]


@pytest.fixture
def test_occasion():
    occasion = register_test_occasion()
    yield occasion
    unregister(CODE)
