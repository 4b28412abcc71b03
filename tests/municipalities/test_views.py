import pytest
from django.urls import reverse

from audit.models import AuditEntry
from municipalities.models import County, CountyBranch, Municipality
from tests.factories import (
    CountyBranchFactory,
    CountyFactory,
    MunicipalityFactory,
    UserFactory,
    board_member,
    municipal_contact,
)
from tests.municipalities.factories import branch_with_municipalities

LEADERSHIP_PAGES = [
    ("municipalities:branch_list", None),
    ("municipalities:branch_create", None),
    ("municipalities:branch_update", "branch"),
    ("municipalities:county_update", "county"),
    ("municipalities:municipality_update", "municipality"),
]


@pytest.fixture
def objects(db):
    county = CountyFactory()
    return {"branch": county.branch, "county": county, "municipality": MunicipalityFactory(county=county)}


def _url(name, key, objects):
    return reverse(name, args=[objects[key].pk]) if key else reverse(name)


@pytest.mark.parametrize(("name", "key"), [*LEADERSHIP_PAGES, ("municipalities:municipality_list", None)])
def test_anonymous_is_sent_to_login(client, objects, name, key):
    response = client.get(_url(name, key, objects))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize(("name", "key"), LEADERSHIP_PAGES)
@pytest.mark.parametrize("who", ["board", "contact", "advisor", "jury", "nobody"])
def test_leadership_pages_answer_404_to_everyone_else(client, objects, name, key, who):
    user = {
        "board": lambda: board_member(objects["branch"]),
        "contact": lambda: municipal_contact(objects["municipality"]),
        "advisor": lambda: UserFactory(advisor=True),
        "jury": lambda: UserFactory(jury=True),
        "nobody": lambda: UserFactory(),
    }[who]()
    client.force_login(user)
    assert client.get(_url(name, key, objects)).status_code == 404
    assert (
        client.post(_url(name, key, objects), {"name": "x", "branch": objects["branch"].pk}).status_code
        == 404
    )


def test_a_superuser_without_the_leadership_role_gets_404(client, objects):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.get(reverse("municipalities:branch_list")).status_code == 404


@pytest.mark.parametrize("who", ["contact", "advisor", "jury", "nobody"])
def test_municipality_list_is_404_for_people_without_a_branch(client, objects, who):
    user = {
        "contact": lambda: municipal_contact(objects["municipality"]),
        "advisor": lambda: UserFactory(advisor=True),
        "jury": lambda: UserFactory(jury=True),
        "nobody": lambda: UserFactory(),
    }[who]()
    client.force_login(user)
    assert client.get(reverse("municipalities:municipality_list")).status_code == 404


def test_unknown_and_huge_ids_answer_404(client, db):
    client.force_login(UserFactory(leadership=True))
    for name in ("branch_update", "county_update", "municipality_update"):
        for pk in (999999, 2**70):
            assert client.get(reverse(f"municipalities:{name}", args=[pk])).status_code == 404


def test_branch_list_shows_each_branch_with_counties_counts_email_and_board(client, db):
    leader = UserFactory(leadership=True)
    branch = branch_with_municipalities(
        name="Norsk kulturskoleråd Vestland",
        email="vestland@example.org",
        counties=2,
        municipalities=3,
        members=4,
    )
    board_member(branch)
    board_member(branch)
    board_member(branch, is_active=False)
    CountyBranchFactory(name="Norsk kulturskoleråd Tom", email="")
    client.force_login(leader)

    response = client.get(reverse("municipalities:branch_list"))

    assert response.status_code == 200
    row = {b.name: b for b in response.context["branches"]}["Norsk kulturskoleråd Vestland"]
    assert (row.municipality_count, row.member_municipality_count, row.board_member_count) == (6, 4, 2)
    html = response.content.decode()
    assert "vestland@example.org" in html
    assert "4 av 6" in html
    for county in branch.counties.all():
        assert county.name in html
        assert reverse("municipalities:county_update", args=[county.pk]) in html
    assert "Ingen fylker" in html


def test_branch_list_query_count_does_not_grow_with_rows(client, db, django_assert_num_queries):
    leader = UserFactory(leadership=True)
    client.force_login(leader)
    branch_with_municipalities(counties=1, municipalities=1)

    def count_queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("municipalities:branch_list")).status_code == 200
        return len(ctx.captured_queries)

    few = count_queries()
    for _ in range(8):
        board_member(branch_with_municipalities(counties=3, municipalities=4))
    with django_assert_num_queries(few):
        client.get(reverse("municipalities:branch_list"))


def test_leadership_creates_a_branch(client, db):
    leader = UserFactory(leadership=True)
    client.force_login(leader)

    response = client.post(
        reverse("municipalities:branch_create"),
        {"name": "Norsk kulturskoleråd Telemark", "email": "telemark@example.org", "is_active": "on"},
    )

    assert response.status_code == 302
    branch = CountyBranch.objects.get(name="Norsk kulturskoleråd Telemark")
    assert branch.email == "telemark@example.org"
    assert AuditEntry.objects.filter(action="municipalities.branch.created", actor=leader).exists()
    page = client.get(response.url)
    assert "Norsk kulturskoleråd Telemark" in page.content.decode()


def test_new_branch_can_take_counties_from_their_current_branch(client, db):
    leader = UserFactory(leadership=True)
    old = CountyBranchFactory(name="Norsk kulturskoleråd Vestfold og Telemark")
    vestfold = CountyFactory(branch=old, name="Vestfold", number="39")
    telemark = CountyFactory(branch=old, name="Telemark", number="40")
    client.force_login(leader)
    url = reverse("municipalities:branch_create")
    page = client.get(url).content.decode()
    assert "Fylker som skal høre til den nye fylkesavdelingen" in page
    assert "Telemark (nå: Norsk kulturskoleråd Vestfold og Telemark)" in page
    assert "Slik deler du en fylkesavdeling" in page

    bad = client.post(url, {"name": "Norsk kulturskoleråd Telemark", "is_active": "on", "counties": ["abc"]})
    assert bad.status_code == 200
    assert "counties" in bad.context["form"].errors

    response = client.post(
        url,
        {"name": "Norsk kulturskoleråd Telemark", "is_active": "on", "counties": [telemark.pk]},
        follow=True,
    )
    assert "Telemark er flyttet til den" in response.content.decode()
    new = CountyBranch.objects.get(name="Norsk kulturskoleråd Telemark")
    telemark.refresh_from_db()
    vestfold.refresh_from_db()
    assert telemark.branch == new
    assert vestfold.branch == old
    moved = AuditEntry.objects.get(action="municipalities.county.moved")
    assert moved.object_id == str(telemark.pk)
    assert moved.details["from"] == old.name
    assert moved.details["to"] == new.name


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "email": ""}, "Feltet er påkrevet"),
        ({"name": "x" * 5000, "email": ""}, "200"),
        ({"name": "Norsk kulturskoleråd Finnes", "email": ""}, "finnes allerede"),
        ({"name": "Ny", "email": "ikke e-post"}, "gyldig e-post"),
    ],
)
def test_invalid_branch_form_is_shown_again_with_what_was_typed(client, db, data, message):
    CountyBranchFactory(name="Norsk kulturskoleråd Finnes")
    client.force_login(UserFactory(leadership=True))

    response = client.post(reverse("municipalities:branch_create"), data)

    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert 'id="error-summary"' in html
    if data["email"]:
        assert data["email"] in html
    assert CountyBranch.objects.count() == 1


def test_leadership_edits_a_branch(client, db):
    leader = UserFactory(leadership=True)
    branch = CountyBranchFactory(name="Gammel", email="gammel@example.org")
    client.force_login(leader)
    url = reverse("municipalities:branch_update", args=[branch.pk])

    page = client.get(url)
    assert 'value="Gammel"' in page.content.decode()
    response = client.post(url, {"name": "Ny", "email": "ny@example.org"})

    assert response.status_code == 302
    branch.refresh_from_db()
    assert (branch.name, branch.email, branch.is_active) == ("Ny", "ny@example.org", False)
    assert AuditEntry.objects.get(action="municipalities.branch.updated").details["is_active"] == {
        "from": True,
        "to": False,
    }


def test_deactivating_a_branch_with_counties_shows_a_field_error(client, db):
    county = CountyFactory()
    client.force_login(UserFactory(leadership=True))

    response = client.post(
        reverse("municipalities:branch_update", args=[county.branch.pk]),
        {"name": county.branch.name, "email": ""},
    )

    assert response.status_code == 200
    assert "Flytt fylkene" in response.content.decode()
    county.branch.refresh_from_db()
    assert county.branch.is_active


def test_leadership_moves_a_county_to_another_branch(client, db):
    leader = UserFactory(leadership=True)
    county = CountyFactory(name="Telemark")
    target = CountyBranchFactory(name="Norsk kulturskoleråd Telemark")
    CountyBranchFactory(name="Norsk kulturskoleråd Nedlagt", is_active=False)
    client.force_login(leader)
    url = reverse("municipalities:county_update", args=[county.pk])

    page = client.get(url).content.decode()
    assert "Norsk kulturskoleråd Telemark" in page
    assert "Norsk kulturskoleråd Nedlagt" not in page
    response = client.post(url, {"branch": target.pk})

    assert response.status_code == 302
    assert County.objects.get(pk=county.pk).branch == target
    assert AuditEntry.objects.filter(action="municipalities.county.moved", actor=leader).exists()


@pytest.mark.parametrize("value", ["", "abc", "999999", "9" * 40, "<script>"])
def test_moving_a_county_to_an_unknown_branch_is_a_field_error(client, db, value):
    county = CountyFactory()
    client.force_login(UserFactory(leadership=True))
    response = client.post(reverse("municipalities:county_update", args=[county.pk]), {"branch": value})
    assert response.status_code == 200
    assert "error-summary" in response.content.decode()
    assert County.objects.get(pk=county.pk).branch == county.branch


def test_municipality_list_searches_filters_and_pages(client, reference_data):
    client.force_login(UserFactory(leadership=True))
    url = reverse("municipalities:municipality_list")

    everything = client.get(url)
    assert everything.context["page"].paginator.count == 357
    assert len(everything.context["municipalities"]) == 50
    assert "side 1 av 8" in everything.content.decode()

    by_name = client.get(url, {"q": "herøy"})
    assert {m["name"] for m in by_name.context["municipalities"]} == {
        "Herøy (Nordland)",
        "Herøy (Møre og Romsdal)",
    }
    by_number = client.get(url, {"q": "4647"})
    assert [m["name"] for m in by_number.context["municipalities"]] == ["Sunnfjord"]

    vestland = County.objects.get(number="46")
    Municipality.objects.filter(number="4647").update(is_member=False)
    in_county = client.get(url, {"county": vestland.pk})
    assert in_county.context["page"].paginator.count == Municipality.objects.filter(county=vestland).count()
    not_members = client.get(url, {"county": vestland.pk, "member": "nei"})
    assert [m["name"] for m in not_members.context["municipalities"]] == ["Sunnfjord"]
    members = client.get(url, {"member": "ja"})
    assert members.context["page"].paginator.count == 356

    page_8 = client.get(url, {"side": "8"})
    assert len(page_8.context["municipalities"]) == 7
    assert "Side 8 av 8" in page_8.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"county": "abc"},
        {"county": "99999999999999999999999"},
        {"member": "kanskje"},
        {"q": "x" * 5000},
        {"side": "-1"},
        {"side": "tusen"},
        {"q": "%' OR 1=1 --"},
    ],
)
def test_invalid_filter_values_never_give_500(client, reference_data, params):
    client.force_login(UserFactory(leadership=True))
    response = client.get(reverse("municipalities:municipality_list"), params)
    assert response.status_code == 200


def test_an_invalid_filter_value_shows_a_field_error_and_is_ignored(client, reference_data):
    client.force_login(UserFactory(leadership=True))
    response = client.get(reverse("municipalities:municipality_list"), {"county": "abc", "q": "Sunnfjord"})
    assert "Velg et gyldig valg" in response.content.decode()
    assert [m["name"] for m in response.context["municipalities"]] == ["Sunnfjord"]
    assert 'value="Sunnfjord"' in response.content.decode()


def test_municipality_list_query_count_does_not_grow_with_rows(client, db, django_assert_num_queries):
    client.force_login(UserFactory(leadership=True))
    url = reverse("municipalities:municipality_list")
    branch_with_municipalities(counties=1, municipalities=2)

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        client.get(url, {"q": "Test"})
    few = len(ctx.captured_queries)
    for _ in range(5):
        branch_with_municipalities(counties=2, municipalities=30)
    with django_assert_num_queries(few):
        response = client.get(url, {"q": "Test"})
    assert len(response.context["municipalities"]) == 50


def test_board_member_sees_their_own_branch_municipalities_read_only(client, db):
    own = branch_with_municipalities(counties=2, municipalities=2)
    other = branch_with_municipalities(counties=1, municipalities=2)
    client.force_login(board_member(own))

    response = client.get(reverse("municipalities:municipality_list"))

    assert response.status_code == 200
    shown = {m["pk"] for m in response.context["municipalities"]}
    assert shown == set(Municipality.objects.filter(county__branch=own).values_list("pk", flat=True))
    html = response.content.decode()
    assert reverse("municipalities:municipality_update", args=[next(iter(shown))]) not in html
    other_county = other.counties.get()
    assert str(other_county) not in html
    # Filtering by another branch's county is not a way in.
    filtered = client.get(reverse("municipalities:municipality_list"), {"county": other_county.pk})
    assert {m["pk"] for m in filtered.context["municipalities"]} == shown


def test_leadership_sets_member_flag_and_email(client, db):
    leader = UserFactory(leadership=True)
    municipality = MunicipalityFactory(name="Sunnfjord", is_member=True, email="")
    client.force_login(leader)
    url = reverse("municipalities:municipality_update", args=[municipality.pk])

    assert "Sunnfjord" in client.get(url).content.decode()
    response = client.post(url, {"email": "kulturskolen@example.org"})

    assert response.status_code == 302
    municipality.refresh_from_db()
    assert (municipality.is_member, municipality.email) == (False, "kulturskolen@example.org")
    assert AuditEntry.objects.filter(action="municipalities.municipality.updated", actor=leader).exists()


def test_municipality_form_with_bad_email_is_shown_again(client, db):
    municipality = MunicipalityFactory(email="ok@example.org")
    client.force_login(UserFactory(leadership=True))
    response = client.post(
        reverse("municipalities:municipality_update", args=[municipality.pk]),
        {"is_member": "on", "email": "feil@"},
    )
    assert response.status_code == 200
    assert 'value="feil@"' in response.content.decode()
    municipality.refresh_from_db()
    assert municipality.email == "ok@example.org"


def test_menu_shows_each_role_only_its_own_entries(client, objects):
    branch_list = reverse("municipalities:branch_list")
    municipality_list = reverse("municipalities:municipality_list")
    expectations = [
        (UserFactory(leadership=True), True, True),
        (board_member(objects["branch"]), False, True),
        (municipal_contact(objects["municipality"]), False, False),
        (UserFactory(advisor=True), False, False),
    ]
    for user, sees_branches, sees_municipalities in expectations:
        client.force_login(user)
        html = client.get(reverse("accounts:dashboard")).content.decode()
        assert (f'href="{branch_list}"' in html) is sees_branches
        assert (f'href="{municipality_list}"' in html) is sees_municipalities


def test_municipal_contact_dashboard_shows_their_municipality(client, objects):
    client.force_login(municipal_contact(objects["municipality"]))
    html = client.get(reverse("accounts:dashboard")).content.decode()
    assert "Din kommune" in html
    assert objects["municipality"].name in html
    assert objects["county"].name in html
    assert objects["branch"].name in html
    assert "Din fylkesavdeling" not in html


def test_edit_pages_show_the_objects_history(client, db):
    leader = UserFactory(leadership=True, full_name="Liv Leder")
    municipality = MunicipalityFactory(is_member=True)
    client.force_login(leader)
    url = reverse("municipalities:municipality_update", args=[municipality.pk])
    client.post(url, {"email": "ny@example.org"})

    html = client.get(url).content.decode()

    assert "Kommune endret" in html
    assert "Medlemskommune" in html
    assert "ja → nei" in html
    assert "Liv Leder" in html
    county_html = client.get(reverse("municipalities:county_update", args=[municipality.county.pk])).content
    assert "Ingen endringer er logget ennå" in county_html.decode()


def test_board_members_municipality_list_query_count_does_not_grow(client, db, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    branch = branch_with_municipalities(counties=1, municipalities=1)
    client.force_login(board_member(branch))
    url = reverse("municipalities:municipality_list")
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    few = len(ctx.captured_queries)
    for _ in range(4):
        county = CountyFactory(branch=branch)
        MunicipalityFactory.create_batch(20, county=county)
    with django_assert_num_queries(few):
        response = client.get(url)
    assert len(response.context["municipalities"]) == 50


def test_admin_shows_municipalities_read_only(client, objects):
    leader = UserFactory(leadership=True, is_staff=True, is_superuser=True)
    client.force_login(leader)
    municipality = objects["municipality"]
    assert objects["municipality"].name in client.get("/admin/municipalities/municipality/").content.decode()
    change_url = f"/admin/municipalities/municipality/{municipality.pk}/change/"
    client.post(
        change_url, {"name": "Endret", "number": municipality.number, "county": municipality.county.pk}
    )
    municipality.refresh_from_db()
    assert municipality.name != "Endret"
    assert client.get("/admin/municipalities/municipality/add/").status_code == 403


@pytest.mark.django_db
def test_municipality_list_row_shows_county_and_branch_short_name_or_a_dash(client):
    branch = CountyBranch.objects.create(name="Norsk kulturskoleråd Testvest")
    with_branch = Municipality.objects.create(
        number="9801",
        name="Aaheim",
        county=County.objects.create(number="98", name="Vestfylke", branch=branch),
    )
    Municipality.objects.create(
        number="9901",
        name="Aabakken",
        county=County.objects.create(number="99", name="Løsfylke"),
        email="k@x.no",
    )
    client.force_login(UserFactory(leadership=True))
    page = client.get(reverse("municipalities:municipality_list")).content.decode()
    assert "<td>Vestfylke</td>\n      <td>Testvest</td>" in page
    assert "<td>Løsfylke</td>\n      <td>–</td>" in page
    assert f'href="/kommuner/{with_branch.pk}/">Aaheim</a>' in page
    assert "<td>k@x.no</td>" in page
