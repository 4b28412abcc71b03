import pytest
from django.core.management import CommandError, call_command

from municipalities.models import CountyBranch, Municipality


def test_seed_demo_refuses_without_debug_or_force(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
    assert not Municipality.objects.exists()


def test_seed_demo_gives_branches_and_demo_municipalities_example_addresses(db):
    call_command("seed_demo", force=True)

    vestland = CountyBranch.objects.get(name="Norsk kulturskoleråd Vestland")
    assert vestland.email == "vestland@example.org"
    assert CountyBranch.objects.get(name="Norsk kulturskoleråd Trøndelag").email == "trondelag@example.org"
    assert not CountyBranch.objects.filter(email="").exists()
    assert Municipality.objects.get(number="4647").email == "kulturskolen.sunnfjord@example.org"
    assert Municipality.objects.get(number="1818").email == ""  # not a demo municipality
    vestland_municipalities = Municipality.objects.filter(county__number="46")
    assert not vestland_municipalities.filter(email="").exists()
    assert all(m.email.endswith("@example.org") for m in Municipality.objects.exclude(email=""))


def test_seed_demo_twice_changes_nothing_and_keeps_edited_addresses(db):
    call_command("seed_demo", force=True)
    Municipality.objects.filter(number="4647").update(email="endret@example.org")
    before = (
        list(Municipality.objects.order_by("pk").values()),
        list(CountyBranch.objects.order_by("pk").values()),
    )

    call_command("seed_demo", force=True)

    after = (
        list(Municipality.objects.order_by("pk").values()),
        list(CountyBranch.objects.order_by("pk").values()),
    )
    assert after == before
