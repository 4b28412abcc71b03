# The applications fixtures, for tests that need a municipality with a region.
from tests.applications.conftest import region  # noqa: F401
