import datetime as dt

import pytest
from django.utils import timezone

from tests.factories import (
    CountyBranchFactory,
    CountyFactory,
    MunicipalityFactory,
    ProgramFactory,
    board_member,
)


@pytest.fixture
def branch_setup(db):
    """A branch with one county, three member municipalities and one non-member, plus a board member."""
    branch = CountyBranchFactory(name="Norsk kulturskoleråd Testfylket", email="testfylket@example.org")
    county = CountyFactory(branch=branch, name="Testfylket", number="46")
    members = [MunicipalityFactory(county=county, name=n) for n in ("Askvoll", "Kinn", "Sunnfjord")]
    outsider = MunicipalityFactory(county=county, name="Ikkemedlem", is_member=False)
    board = board_member(branch, email="styre@example.org", full_name="Stian Styre")
    program = ProgramFactory(interest_deadline=timezone.now() + dt.timedelta(days=30))
    return {
        "branch": branch,
        "county": county,
        "members": members,
        "outsider": outsider,
        "board": board,
        "program": program,
    }


class Clock:
    """Moves `timezone.now()` for the code under test (deadline edges)."""

    def __init__(self, monkeypatch):
        self.monkeypatch = monkeypatch

    def set(self, moment: dt.datetime) -> None:
        self.monkeypatch.setattr(timezone, "now", lambda: moment)


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


@pytest.fixture
def no_cached_report():
    """The rendered report is cached (programs.report.cache): a report test starts and ends without one."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def program():
    """The edition the report tests seed (tests/programs/report_seed.py)."""
    from tests.factories import ProgramFactory

    return ProgramFactory(name="Programperiode 2026–2028")


@pytest.fixture
def seeded(program):
    from tests.programs.report_seed import seed_region

    return seed_region(program, index=1)
