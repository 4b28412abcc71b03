import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEntry
from municipalities.models import County, CountyBranch, Municipality
from municipalities.services import (
    county_branch_create,
    county_branch_update,
    county_move,
    municipality_update,
    reference_data_load,
)
from tests.factories import CountyBranchFactory, CountyFactory, MunicipalityFactory, UserFactory


def _snapshot():
    return {
        "counties": list(County.objects.order_by("pk").values()),
        "branches": list(CountyBranch.objects.order_by("pk").values()),
        "municipalities": list(Municipality.objects.order_by("pk").values()),
    }


def test_reference_data_has_the_official_counts(db):
    result = reference_data_load()

    assert (result.counties_created, result.branches_created, result.municipalities_created) == (15, 10, 357)
    assert County.objects.count() == 15
    assert Municipality.objects.count() == 357
    assert CountyBranch.objects.count() == 10
    assert Municipality.objects.filter(is_member=True).count() == 357
    assert len({m.number for m in Municipality.objects.all()}) == 357
    assert all(len(number) == 4 for number in Municipality.objects.values_list("number", flat=True))


def test_every_county_is_covered_by_exactly_one_branch(reference_data):
    # A county has one branch FK, so "exactly one" means: none left without, and every branch is used.
    assert not County.objects.filter(branch__isnull=True).exists()
    assert set(County.objects.values_list("branch", flat=True)) == set(
        CountyBranch.objects.values_list("pk", flat=True)
    )
    oslo_viken = CountyBranch.objects.get(name="Norsk kulturskoleråd Oslo og Viken")
    assert sorted(oslo_viken.counties.values_list("number", flat=True)) == ["03", "31", "32", "33"]
    assert County.objects.get(number="46").branch.name == "Norsk kulturskoleråd Vestland"


def test_shared_municipality_names_carry_their_county(reference_data):
    assert Municipality.objects.get(name="Herøy (Nordland)").county.name == "Nordland"
    assert Municipality.objects.get(name="Herøy (Møre og Romsdal)").county.name == "Møre og Romsdal"
    assert Municipality.objects.get(number="3419").name == "Våler (Innlandet)"
    assert Municipality.objects.get(number="4647").name == "Sunnfjord"
    assert Municipality.objects.get(number="4647").county.number == "46"


def test_loading_twice_changes_nothing(db):
    reference_data_load()
    before, audit_rows = _snapshot(), AuditEntry.objects.count()

    result = reference_data_load()

    assert not result.changed
    assert _snapshot() == before
    assert AuditEntry.objects.count() == audit_rows


def test_the_first_load_is_audited(db):
    reference_data_load()
    entry = AuditEntry.objects.get(action="municipalities.reference_data.loaded")
    assert entry.details["kommuner_opprettet"] == 357


def test_leadership_edits_survive_a_reload(reference_data):
    leader = UserFactory(leadership=True)
    new_branch = county_branch_create(actor=leader, name="Norsk kulturskoleråd Østfold")
    ostfold = County.objects.get(number="31")
    county_move(actor=leader, county=ostfold, branch=new_branch)
    vestland = CountyBranch.objects.get(name="Norsk kulturskoleråd Vestland")
    county_branch_update(
        actor=leader,
        branch=vestland,
        name="Norsk kulturskoleråd Vestland fylke",
        email="v@example.org",
        is_active=True,
    )
    sunnfjord = Municipality.objects.get(number="4647")
    municipality_update(
        actor=leader, municipality=sunnfjord, is_member=False, email="kulturskolen@example.org"
    )
    before = _snapshot()

    reference_data_load()

    assert _snapshot() == before
    assert County.objects.get(number="31").branch == new_branch
    # The renamed branch is not brought back under its old name.
    assert not CountyBranch.objects.filter(name="Norsk kulturskoleråd Vestland").exists()
    sunnfjord.refresh_from_db()
    assert (sunnfjord.is_member, sunnfjord.email) == (False, "kulturskolen@example.org")


def test_a_county_left_without_a_branch_gets_its_branch_back_on_reload(reference_data):
    County.objects.filter(number="46").update(branch=None)
    reference_data_load()
    assert County.objects.get(number="46").branch.name == "Norsk kulturskoleråd Vestland"
    assert CountyBranch.objects.count() == 10


def test_branch_create_is_audited(db):
    leader = UserFactory(leadership=True)
    branch = county_branch_create(actor=leader, name="  Norsk  kulturskoleråd Ny ", email="NY@Example.org ")

    assert (branch.name, branch.email, branch.is_active) == (
        "Norsk kulturskoleråd Ny",
        "ny@example.org",
        True,
    )
    entry = AuditEntry.objects.get(action="municipalities.branch.created")
    assert (entry.actor, entry.object_id, entry.details["name"]) == (leader, str(branch.pk), branch.name)


@pytest.mark.parametrize(
    ("name", "email", "field"),
    [
        ("", "", "name"),
        ("   ", "", "name"),
        ("x" * 201, "", "name"),
        ("norsk kulturskoleråd finnes", "", "name"),
        ("Ny", "ikke-en-adresse", "email"),
    ],
)
def test_branch_create_refuses_bad_input(db, name, email, field):
    CountyBranchFactory(name="Norsk kulturskoleråd Finnes")
    with pytest.raises(ValidationError) as exc:
        county_branch_create(actor=UserFactory(leadership=True), name=name, email=email)
    assert field in exc.value.message_dict
    assert not AuditEntry.objects.filter(action="municipalities.branch.created").exists()


def test_branch_update_logs_what_changed_and_nothing_when_nothing_did(db):
    leader = UserFactory(leadership=True)
    branch = CountyBranchFactory(name="Gammelt navn", email="a@example.org")

    county_branch_update(actor=leader, branch=branch, name="Nytt navn", email="a@example.org", is_active=True)
    county_branch_update(actor=leader, branch=branch, name="Nytt navn", email="a@example.org", is_active=True)

    entries = AuditEntry.objects.filter(action="municipalities.branch.updated")
    assert entries.count() == 1
    assert entries.get().details == {"name": {"from": "Gammelt navn", "to": "Nytt navn"}}
    branch.refresh_from_db()
    assert branch.name == "Nytt navn"


def test_a_branch_with_counties_cannot_be_made_inactive(db):
    county = CountyFactory()
    with pytest.raises(ValidationError) as exc:
        county_branch_update(
            actor=UserFactory(leadership=True),
            branch=county.branch,
            name=county.branch.name,
            email="",
            is_active=False,
        )
    assert "is_active" in exc.value.message_dict
    county.branch.refresh_from_db()
    assert county.branch.is_active


def test_splitting_a_branch_moves_counties_and_their_municipalities(db):
    leader = UserFactory(leadership=True)
    old = CountyBranchFactory(name="Norsk kulturskoleråd Vestfold og Telemark")
    vestfold, telemark = (
        CountyFactory(branch=old, name="Vestfold"),
        CountyFactory(branch=old, name="Telemark"),
    )
    skien = MunicipalityFactory(county=telemark, name="Skien")

    new = county_branch_create(actor=leader, name="Norsk kulturskoleråd Telemark")
    county_move(actor=leader, county=telemark, branch=new)

    assert list(old.counties.all()) == [vestfold]
    assert list(new.counties.all()) == [telemark]
    assert Municipality.objects.get(pk=skien.pk).county.branch == new
    entry = AuditEntry.objects.get(action="municipalities.county.moved")
    assert entry.details == {
        "county": "Telemark",
        "from": "Norsk kulturskoleråd Vestfold og Telemark",
        "to": "Norsk kulturskoleråd Telemark",
    }


def test_moving_a_county_to_its_own_branch_writes_nothing(db):
    county = CountyFactory()
    county_move(actor=UserFactory(leadership=True), county=county, branch=county.branch)
    assert not AuditEntry.objects.filter(action="municipalities.county.moved").exists()


def test_a_county_cannot_move_to_an_inactive_branch(db):
    county = CountyFactory()
    inactive = CountyBranchFactory(is_active=False)
    with pytest.raises(ValidationError) as exc:
        county_move(actor=UserFactory(leadership=True), county=county, branch=inactive)
    assert "branch" in exc.value.message_dict
    county.refresh_from_db()
    assert county.branch != inactive


def test_municipality_update_sets_member_flag_and_email(db):
    leader = UserFactory(leadership=True)
    municipality = MunicipalityFactory(is_member=True, email="")

    municipality_update(actor=leader, municipality=municipality, is_member=False, email=" Post@Example.org")

    municipality.refresh_from_db()
    assert (municipality.is_member, municipality.email) == (False, "post@example.org")
    entry = AuditEntry.objects.get(action="municipalities.municipality.updated")
    assert entry.details == {
        "is_member": {"from": True, "to": False},
        "email": {"from": "", "to": "post@example.org"},
    }
    assert entry.actor == leader


def test_municipality_update_refuses_a_bad_email(db):
    municipality = MunicipalityFactory(email="ok@example.org")
    with pytest.raises(ValidationError) as exc:
        municipality_update(
            actor=UserFactory(leadership=True), municipality=municipality, is_member=True, email="nei"
        )
    assert "email" in exc.value.message_dict
    municipality.refresh_from_db()
    assert municipality.email == "ok@example.org"


def test_a_name_taken_in_a_race_is_a_field_error_not_a_crash(db, monkeypatch):
    from municipalities import services

    CountyBranchFactory(name="Norsk kulturskoleråd Samtidig")
    # The other request's row is not visible to the up-front check; the database constraint still holds.
    monkeypatch.setattr(services, "_check_branch_name", lambda name, exclude_pk=None: name)
    with pytest.raises(ValidationError) as exc:
        county_branch_create(actor=UserFactory(leadership=True), name="Norsk kulturskoleråd Samtidig")
    assert "name" in exc.value.message_dict
    assert CountyBranch.objects.filter(name="Norsk kulturskoleråd Samtidig").count() == 1
