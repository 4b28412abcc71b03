# The apps' own data fixtures, shared with the security tests.
from tests.applications.conftest import region  # noqa: F401
from tests.programs.conftest import branch_setup  # noqa: F401
