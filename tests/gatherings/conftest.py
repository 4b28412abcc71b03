import pytest

from tests.factories import UserFactory


@pytest.fixture
def leader(db):
    return UserFactory(leadership=True, email="leder-test@example.org")
