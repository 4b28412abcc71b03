"""What every signed-in page pays before its own work (issue 14): the roles in one light query, the menu kept
per process per roles/flags/page/language, sessions from the cache (cached_db) in production. None of it may
keep one person's answer for another, nor outlive a role taken away or a sign-out."""

import pytest
from django.contrib.sessions.backends.cached_db import KEY_PREFIX
from django.core.cache import cache
from django.template import engines
from django.test import RequestFactory
from django.urls import resolve

from accounts import two_factor
from accounts.models import Role, RoleAssignment, User
from accounts.permissions import role_scope
from accounts.services.roles import role_add, role_remove
from accounts.templatetags import menu_tags
from tests.factories import (
    CountyBranchFactory,
    MunicipalityFactory,
    UserFactory,
    board_member,
    municipal_contact,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    branch = CountyBranchFactory(name="Norsk kulturskoleråd Vest", is_active=False)
    municipality = MunicipalityFactory(name="Bergen")
    several = board_member(branch, email="flere@example.org")
    RoleAssignment.objects.create(user=several, role=Role.MUNICIPAL_CONTACT, municipality=municipality)
    RoleAssignment.objects.create(user=several, role=Role.JURY_MEMBER)
    return {
        "leadership": UserFactory(leadership=True),
        "board": board_member(CountyBranchFactory()),
        "contact": municipal_contact(MunicipalityFactory()),
        "advisor": UserFactory(advisor=True),
        "jury": UserFactory(jury=True),
        "several": several,
        "none": UserFactory(),
    }


def test_role_scope_is_one_query_with_what_the_orm_gives(people, django_assert_num_queries):
    person = User.objects.get(pk=people["several"].pk)
    orm = list(person.role_assignments.select_related("branch", "municipality").order_by("role", "id"))
    with django_assert_num_queries(1):
        scope = role_scope(person)
        labels = [str(a) for a in scope.assignments]
        branches = [
            (a.branch.pk, a.branch.name, a.branch.is_active) for a in scope.assignments if a.branch_id
        ]
        municipalities = [
            (a.municipality.pk, a.municipality.name) for a in scope.assignments if a.municipality_id
        ]
        assert role_scope(person) is scope  # asked again within the request: no query
    assert (
        labels
        == [str(a) for a in orm]
        == ["Fylkesstyre – Norsk kulturskoleråd Vest", "Jurymedlem", "Kommunekontakt – Bergen"]
    )
    assert [(a.pk, a.role, a.user_id) for a in scope.assignments] == [(a.pk, a.role, a.user_id) for a in orm]
    assert branches == [(a.branch.pk, a.branch.name, a.branch.is_active) for a in orm if a.branch_id]
    assert municipalities == [(a.municipality.pk, a.municipality.name) for a in orm if a.municipality_id]
    assert scope.roles == {Role.BOARD_MEMBER, Role.MUNICIPAL_CONTACT, Role.JURY_MEMBER}
    # The columns left out are loaded when asked, not wrong.
    assert scope.assignments[0].branch.email == orm[0].branch.email
    assert scope.assignments[0].created_at == orm[0].created_at


PAGES = [
    "/",
    "/kommuner/",
    "/kommuner/fylkesavdelinger/",
    "/personer/",
    "/personer/invitasjoner/",
    "/logg/",
    "/paminnelser/",
    "/program/",
    "/soknader/",
    "/samlinger/",
    "/veiledning/",
]


def _menus(user, path, language="nb"):
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.utils import translation

    request = RequestFactory().get(path)
    request.user = User.objects.get(pk=user.pk)
    request.session = {}
    request._messages = FallbackStorage(request)
    request.resolver_match = resolve(path)
    engine = engines["django"]
    with translation.override(language):
        included = engine.from_string('{% include "partials/nav_items.html" %}').render({}, request)
        kept = engine.from_string("{% load menu_tags %}{% main_menu %}").render({}, request)
    return included, kept


def test_menu_is_the_same_html_as_the_partials_for_every_role_page_and_language(people):
    menu_tags._MENUS.clear()
    seen = set()
    for _round in range(2):  # the second round comes from what the first one kept
        for name, user in people.items():
            for path in PAGES:
                for language in ("nb", "en"):
                    included, kept = _menus(user, path, language)
                    assert kept == included, (name, path, language)
                    seen.add(included)
    assert len(seen) > 10  # the roles, pages and languages do give different menus
    assert "Kommuner" in _menus(people["leadership"], "/")[1]
    assert "Kommuner" not in _menus(people["jury"], "/")[1]


def test_a_role_taken_away_or_given_counts_from_the_next_request(client, people):
    leader = people["leadership"]
    actor = UserFactory(leadership=True)
    client.force_login(leader)
    page = client.get("/kommuner/")
    assert page.status_code == 200
    assert 'href="/kommuner/"' in page.content.decode()
    role_remove(actor=actor, assignment=leader.role_assignments.get(role=Role.LEADERSHIP))
    assert client.get("/kommuner/").status_code == 404
    dashboard = client.get("/").content.decode()
    assert 'href="/kommuner/"' not in dashboard
    assert "Programledelse" not in dashboard  # nor in the header's roles
    role_add(actor=actor, user=leader, role=Role.LEADERSHIP)
    assert client.get("/kommuner/").status_code == 200
    assert 'href="/kommuner/"' in client.get("/").content.decode()


@pytest.fixture
def cached_db(settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    cache.clear()


def _signed_in(client) -> bool:
    return client.get("/").status_code == 200


def test_cached_sessions_end_everywhere_when_the_generation_is_raised(cached_db, client_factory, people):
    person = people["advisor"]
    laptop, phone = client_factory(), client_factory()
    for browser in (laptop, phone):
        assert (
            browser.post("/logg-inn/", {"username": person.email, "password": "kulturskole"}).status_code
            == 302
        )
        assert _signed_in(browser)
    assert cache.get(KEY_PREFIX + laptop.cookies["sessionid"].value) is not None  # read from the cache
    two_factor.sessions_end(person)
    assert not _signed_in(laptop)
    assert not _signed_in(phone)


def test_cached_session_is_gone_after_logout(cached_db, client_factory, people):
    person = people["board"]
    browser = client_factory()
    assert (
        browser.post("/logg-inn/", {"username": person.email, "password": "kulturskole"}).status_code == 302
    )
    key = browser.cookies["sessionid"].value
    assert _signed_in(browser)
    assert browser.post("/logg-ut/").status_code == 302
    assert cache.get(KEY_PREFIX + key) is None
    stolen = client_factory()
    stolen.cookies["sessionid"] = key  # the old cookie, kept by someone
    assert not _signed_in(stolen)


@pytest.fixture
def client_factory():
    from django.test import Client

    return Client
