from municipalities.models import County, CountyBranch, Municipality
from municipalities.services import reference_data_load


def test_reference_data_loads_counties_municipalities_and_branches(db):
    reference_data_load()
    assert County.objects.count() == 15
    assert Municipality.objects.count() == 357
    assert CountyBranch.objects.count() == 10
    assert not County.objects.filter(branch__isnull=True).exists()
    assert Municipality.objects.get(number="4647").name == "Sunnfjord"
