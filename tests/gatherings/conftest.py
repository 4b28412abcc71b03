import pytest

from tests.factories import UserFactory


@pytest.fixture
def leader(db):
    return UserFactory(leadership=True, email="leder-test@example.org")


@pytest.fixture(autouse=True)
def _change_notices_at_once(settings):
    """The notice tests look at what a change says, so it goes at once here; test_change_notice_grace.py
    tests the grace period in which quick further changes join one notice."""
    settings.GATHERING_CHANGE_NOTICE_DELAY_SECONDS = 0
