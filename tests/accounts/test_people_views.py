import pytest
from django.core import mail

from accounts.models import Invitation, Role, RoleAssignment
from audit.models import AuditEntry
from tests.factories import (
    CountyBranchFactory,
    MunicipalityFactory,
    UserFactory,
    board_member,
    municipal_contact,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def leader(client):
    user = UserFactory(full_name="Liv Leder", email="leder@example.org", leadership=True)
    client.force_login(user)
    return user


@pytest.fixture
def person():
    return UserFactory(full_name="Per Person", email="per@example.org", advisor=True)


def _count(fn) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def _urls(person, invitation=None):
    urls = [
        ("get", "/personer/"),
        ("get", "/personer/inviter/"),
        ("get", "/personer/invitasjoner/"),
        ("get", f"/personer/{person.pk}/"),
        ("post", f"/personer/{person.pk}/deaktiver/"),
        ("post", f"/personer/{person.pk}/aktiver/"),
        ("post", f"/personer/{person.pk}/roller/{person.role_assignments.first().pk}/fjern/"),
    ]
    if invitation is not None:
        urls += [
            ("post", f"/personer/invitasjoner/{invitation.pk}/send-igjen/"),
            ("post", f"/personer/invitasjoner/{invitation.pk}/trekk-tilbake/"),
        ]
    return urls


def _invitation():
    from accounts import services

    return services.invitation_create(
        actor=None, email="invitert@example.org", full_name="I", role=Role.ADVISOR
    )


def test_anonymous_is_sent_to_login(client, person):
    for method, url in _urls(person, _invitation()):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/logg-inn/"), url


@pytest.mark.parametrize("kind", ["advisor", "board", "contact", "no_role"])
def test_everyone_but_leadership_gets_404(client, person, kind):
    if kind == "advisor":
        user = UserFactory(advisor=True)
    elif kind == "board":
        user = board_member(CountyBranchFactory())
    elif kind == "contact":
        user = municipal_contact(MunicipalityFactory())
    else:
        user = UserFactory()
    client.force_login(user)
    invitation = _invitation()
    for method, url in _urls(person, invitation):
        assert getattr(client, method)(url).status_code == 404, url
    person.refresh_from_db()
    assert person.is_active
    assert person.role_assignments.exists()
    assert Invitation.objects.get(pk=invitation.pk).cancelled_at is None


def test_people_list_shows_people_with_roles(client, leader, person):
    municipal_contact(MunicipalityFactory(name="Sunnfjord"), full_name="Kari Kommune")
    response = client.get("/personer/")
    content = response.content.decode()
    assert response.status_code == 200
    assert "Per Person" in content
    assert "Kommunekontakt – Sunnfjord" in content
    assert "Veileder" in content


def test_people_list_search_and_role_filter(client, leader, person):
    municipal_contact(
        MunicipalityFactory(name="Sunnfjord"), full_name="Kari Kommune", email="kari@example.org"
    )
    content = client.get("/personer/", {"q": "KARI@"}).content.decode()
    assert "Kari Kommune" in content
    assert "Per Person" not in content
    content = client.get("/personer/", {"role": Role.ADVISOR}).content.decode()
    assert "Per Person" in content
    assert "Kari Kommune" not in content


@pytest.mark.parametrize(
    "params",
    [
        {"role": "keiser"},
        {"q": "x" * 5000},
        {"side": "abc"},
        {"side": "99999"},
        {"active": "kanskje"},
        {"q": "\x00"},
    ],
)
def test_people_list_weird_input_no_500(client, leader, params):
    assert client.get("/personer/", params).status_code == 200


@pytest.mark.parametrize("params", [{"role": "", "q": ""}, {"two_factor": "on"}, {"two_factor": "off"}])
def test_people_list_query_count_is_constant(client, leader, django_assert_num_queries, params):
    def load():
        return client.get("/personer/", params)

    _two_factor_on(UserFactory(advisor=True))
    UserFactory(advisor=True)
    load()  # warm up (content types, etc.)
    few = _count(load)
    branch = CountyBranchFactory()
    for i in range(30):
        user = board_member(branch, email=f"styre{i}@example.org")
        RoleAssignment.objects.create(user=user, role=Role.ADVISOR)
        if i % 2:
            _two_factor_on(user)
    with django_assert_num_queries(few):
        assert load().status_code == 200


def _two_factor_on(user):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.two_factor import recovery_codes_renew

    TOTPDevice.objects.create(user=user, name="Autentiseringsapp", confirmed=True)
    recovery_codes_renew(user=user)
    return user


def test_people_list_shows_and_filters_two_factor(client, leader, person):
    kari = _two_factor_on(UserFactory(full_name="Kari Kode", email="kari@example.org"))
    page = client.get("/personer/").content.decode()
    assert '<th scope="col">To-trinns innlogging</th>' in page
    assert f'data-testid="two-factor-{kari.pk}">Ja<' in page
    assert f'data-testid="two-factor-{person.pk}">Nei<' in page

    on = client.get("/personer/", {"two_factor": "on"}).content.decode()
    assert "Kari Kode" in on
    assert "Per Person" not in on
    off = client.get("/personer/", {"two_factor": "off"}).content.decode()
    assert "Per Person" in off
    assert "Kari Kode" not in off
    assert "vis alle" in off


def test_a_get_to_an_action_address_lands_on_its_page_never_a_blank_405(client, leader, person):
    """A reload, a new tab, the back button or a pasted link to an address that acts only on POST."""
    invitation = _invitation()
    role = person.role_assignments.first()
    cases = {
        f"/personer/{person.pk}/deaktiver/": f"/personer/{person.pk}/",
        f"/personer/{person.pk}/aktiver/": f"/personer/{person.pk}/",
        f"/personer/{person.pk}/roller/{role.pk}/fjern/": f"/personer/{person.pk}/",
        f"/personer/invitasjoner/{invitation.pk}/send-igjen/": "/personer/invitasjoner/",
        f"/personer/invitasjoner/{invitation.pk}/trekk-tilbake/": "/personer/invitasjoner/",
        f"/personer/{person.pk}/personopplysninger/last-ned/": f"/personer/{person.pk}/personopplysninger/",
    }
    for url, page in cases.items():
        response = client.get(url, follow=True)
        assert response.redirect_chain == [(page, 302)], url
        assert response.status_code == 200, url
    person.refresh_from_db()
    assert person.is_active
    assert person.role_assignments.filter(pk=role.pk).exists()
    assert Invitation.objects.get(pk=invitation.pk).cancelled_at is None
    assert not AuditEntry.objects.filter(action="accounts.personal_data.exported").exists()


def test_invite_form_sends_invitation(client, leader, django_capture_on_commit_callbacks):
    municipality = MunicipalityFactory(name="Sunnfjord")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/personer/inviter/",
            {
                "email": "ny@example.org",
                "full_name": "Nora Ny",
                "role": Role.MUNICIPAL_CONTACT,
                "municipality": municipality.pk,
            },
            follow=True,
        )
    assert response.redirect_chain[-1][0] == "/personer/invitasjoner/"
    content = response.content.decode()
    assert "Invitasjonen er sendt til ny@example.org" in content
    assert "Kommunekontakt – Sunnfjord" in content
    assert len(mail.outbox) == 1
    assert AuditEntry.objects.filter(action="accounts.invitation.created", actor=leader).exists()


def test_invite_form_scope_mismatch_keeps_input(client, leader):
    branch = CountyBranchFactory(name="Norsk kulturskoleråd Vestland")
    response = client.post(
        "/personer/inviter/",
        {
            "email": "ny@example.org",
            "full_name": "Nora Ny",
            "role": Role.MUNICIPAL_CONTACT,
            "branch": branch.pk,
        },
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Velg hvilken kommune" in content
    assert "Bare fylkesstyre-rollen" in content
    assert 'value="ny@example.org"' in content
    assert 'value="Nora Ny"' in content
    assert not Invitation.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"email": "x" * 300 + "@example.org", "role": Role.ADVISOR},
        {"email": "ny@example.org", "role": "keiser"},
        {"email": "ny@example.org", "role": Role.BOARD_MEMBER, "branch": "999999"},
        {"email": "ny@example.org", "role": Role.MUNICIPAL_CONTACT, "municipality": "abc"},
        {"email": "ny@example.org", "role": Role.ADVISOR, "full_name": "n" * 1000},
    ],
)
def test_invite_form_weird_input_is_a_field_error(client, leader, data):
    response = client.post("/personer/inviter/", data)
    assert response.status_code == 200
    assert "Noe må rettes" in response.content.decode()
    assert not Invitation.objects.exists()


def test_inviting_an_existing_user_goes_to_their_page(
    client, leader, person, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/personer/inviter/", {"email": "PER@example.org", "role": Role.JURY_MEMBER}, follow=True
        )
    assert response.redirect_chain[-1][0] == f"/personer/{person.pk}/"
    assert "har allerede en bruker" in response.content.decode()
    assert person.role_assignments.filter(role=Role.JURY_MEMBER).exists()


def test_person_detail_add_and_remove_role(client, leader, person):
    branch = CountyBranchFactory(name="Norsk kulturskoleråd Vestland")
    response = client.post(
        f"/personer/{person.pk}/", {"role-role": Role.BOARD_MEMBER, "role-branch": branch.pk}, follow=True
    )
    assert "Rollen er lagt til" in response.content.decode()
    assignment = person.role_assignments.get(role=Role.BOARD_MEMBER)
    assert assignment.branch == branch
    # the page shows the role and its history
    content = client.get(f"/personer/{person.pk}/").content.decode()
    assert "Fylkesstyre – Norsk kulturskoleråd Vestland" in content
    assert "Rolle lagt til" in content

    # one click asks first (issue 12); the confirmation removes
    page = client.post(f"/personer/{person.pk}/roller/{assignment.pk}/fjern/")
    assert "Fjerne rollen" in page.content.decode()
    assert person.role_assignments.filter(role=Role.BOARD_MEMBER).exists()
    response = client.post(
        f"/personer/{person.pk}/roller/{assignment.pk}/fjern/", {"confirm": "yes"}, follow=True
    )
    assert "er fjernet" in response.content.decode()
    assert not person.role_assignments.filter(role=Role.BOARD_MEMBER).exists()
    assert list(
        AuditEntry.objects.filter(object_id=str(person.pk)).order_by("id").values_list("action", flat=True)
    ) == ["accounts.role.added", "accounts.role.removed"]


def test_person_detail_invalid_role_keeps_choice(client, leader, person):
    response = client.post(f"/personer/{person.pk}/", {"role-role": Role.MUNICIPAL_CONTACT})
    assert response.status_code == 200
    content = response.content.decode()
    assert "Velg hvilken kommune" in content
    assert f'value="{Role.MUNICIPAL_CONTACT}" selected' in content


def test_person_detail_unknown_ids_404(client, leader, person):
    assert client.get("/personer/999999/").status_code == 404
    other = UserFactory(advisor=True)
    # a role of another person cannot be removed through this person's page
    response = client.post(f"/personer/{person.pk}/roller/{other.role_assignments.get().pk}/fjern/")
    assert response.status_code == 404
    assert other.role_assignments.exists()


def test_deactivate_and_reactivate(client, leader, person):
    page = client.post(f"/personer/{person.pk}/deaktiver/")
    assert "Deaktivere " in page.content.decode()
    person.refresh_from_db()
    assert person.is_active  # nothing happens before the confirmation
    response = client.post(f"/personer/{person.pk}/deaktiver/", {"confirm": "yes"}, follow=True)
    assert "er deaktivert" in response.content.decode()
    person.refresh_from_db()
    assert not person.is_active
    assert "Deaktivert" in client.get("/personer/").content.decode()
    client.post(f"/personer/{person.pk}/aktiver/")
    person.refresh_from_db()
    assert person.is_active
    assert set(AuditEntry.objects.values_list("action", flat=True)) == {
        "accounts.user.deactivated",
        "accounts.user.reactivated",
    }


def test_cannot_deactivate_yourself_or_drop_own_last_leadership(client, leader):
    response = client.post(f"/personer/{leader.pk}/deaktiver/", {"confirm": "yes"}, follow=True)
    assert "Du kan ikke deaktivere deg selv" in response.content.decode()
    own = leader.role_assignments.get(role=Role.LEADERSHIP)
    response = client.post(f"/personer/{leader.pk}/roller/{own.pk}/fjern/", {"confirm": "yes"}, follow=True)
    assert "Du kan ikke fjerne din egen programledelse-rolle" in response.content.decode()
    leader.refresh_from_db()
    assert leader.is_active
    assert leader.role_assignments.filter(role=Role.LEADERSHIP).exists()
    assert not AuditEntry.objects.exists()


def test_a_deactivated_person_is_logged_out(client, leader, person):
    other_client = type(client)()
    other_client.force_login(person)
    assert other_client.get("/").status_code == 200
    client.post(f"/personer/{person.pk}/deaktiver/", {"confirm": "yes"})
    assert other_client.get("/").status_code == 302


def test_invitation_list_resend_and_cancel(client, leader, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/personer/inviter/", {"email": "ny@example.org", "full_name": "Nora", "role": Role.ADVISOR}
        )
    invitation = Invitation.objects.get()
    content = client.get("/personer/invitasjoner/").content.decode()
    assert "ny@example.org" in content
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/personer/invitasjoner/{invitation.pk}/send-igjen/", follow=True)
    assert "Ny invitasjon er sendt" in response.content.decode()
    assert len(mail.outbox) == 2
    response = client.post(f"/personer/invitasjoner/{invitation.pk}/trekk-tilbake/", follow=True)
    assert "trukket tilbake" in response.content.decode()
    assert "ny@example.org" not in client.get("/personer/invitasjoner/").content.decode()
    # a cancelled invitation is gone from the list; acting on it again is a 404
    assert client.post(f"/personer/invitasjoner/{invitation.pk}/send-igjen/").status_code == 404


def test_invitation_list_query_count_is_constant(client, leader, django_assert_num_queries):
    from accounts import services

    services.invitation_create(actor=leader, email="a@example.org", full_name="A", role=Role.ADVISOR)
    client.get("/personer/invitasjoner/")
    few = _count(lambda: client.get("/personer/invitasjoner/"))
    branch = CountyBranchFactory()
    for i in range(20):
        services.invitation_create(
            actor=leader, email=f"b{i}@example.org", full_name="B", role=Role.BOARD_MEMBER, branch=branch
        )
    with django_assert_num_queries(few):
        client.get("/personer/invitasjoner/")


def test_dashboard_panel_for_leadership(client, leader, person):
    UserFactory(jury=True, is_active=False)
    content = client.get("/").content.decode()
    assert "Personer og roller" in content
    assert "Inviter en person" in content
    assert 'href="/personer/"' in content
    assert 'href="/logg/"' in content


def test_dashboard_has_no_people_panel_for_others(client, person):
    client.force_login(person)
    content = client.get("/").content.decode()
    assert "Personer og roller" not in content
    assert 'href="/personer/"' not in content
    assert 'href="/logg/"' not in content


@pytest.mark.parametrize(
    "data",
    [
        {"role-role": "keiser"},
        {"role-role": Role.BOARD_MEMBER, "role-branch": "abc"},
        {"role-role": Role.MUNICIPAL_CONTACT, "role-municipality": "99999999999999999999"},
        {"role-role": Role.ADVISOR, "role-branch": "-1"},
        {},
    ],
)
def test_person_detail_weird_role_input_is_a_field_error(client, leader, person, data):
    response = client.post(f"/personer/{person.pk}/", data)
    assert response.status_code == 200
    assert "Noe må rettes" in response.content.decode()
    assert list(person.role_assignments.values_list("role", flat=True)) == [Role.ADVISOR]


@pytest.mark.parametrize("url", ["/personer/abc/", "/personer/99999999999999999999/", "/personer/-1/"])
def test_person_detail_bad_ids_never_500(client, leader, url):
    assert client.get(url).status_code == 404
