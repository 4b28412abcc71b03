import pytest

from tests.applications.factories import open_region


@pytest.fixture
def region(db):
    rp, branch, county, municipalities = open_region()
    return rp, branch, municipalities


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
