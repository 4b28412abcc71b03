"""Factories for the municipalities tests; the model factories themselves live in tests/factories.py."""

from tests.factories import CountyBranchFactory, CountyFactory, MunicipalityFactory


def branch_with_municipalities(
    *, counties: int = 1, municipalities: int = 2, members: int | None = None, **kwargs
):
    """A branch covering `counties` counties with `municipalities` municipalities each."""
    branch = CountyBranchFactory(**kwargs)
    made = 0
    for _ in range(counties):
        county = CountyFactory(branch=branch)
        for _ in range(municipalities):
            is_member = members is None or made < members
            MunicipalityFactory(county=county, is_member=is_member)
            made += 1
    return branch
