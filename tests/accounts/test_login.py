import datetime as dt
import re
from email.utils import parseaddr

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.utils import timezone

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    settings.LOGIN_FAILURE_WINDOW_SECONDS = 600


@pytest.fixture
def person():
    return UserFactory(email="kari@example.org", full_name="Kari Kommune", password="riktig-passord-123")


def _login(client, email="kari@example.org", password="riktig-passord-123", **extra):
    return client.post("/logg-inn/", {"username": email, "password": password}, **extra)


def test_right_password_logs_in(client, person):
    response = _login(client)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(person.pk)


def _locked(response) -> bool:
    return response.status_code == 429 and "For mange mislykkede innlogginger" in response.content.decode()


def test_wrong_password_is_counted_for_the_address_and_client(client, person):
    response = _login(client, password="feil", REMOTE_ADDR="10.1.2.3")
    assert "Feil e-post eller passord" in response.content.decode()
    attempt = AccessAttempt.objects.get()
    assert (attempt.username, attempt.ip_address, attempt.failures_since_start) == (
        "kari@example.org",
        "10.1.2.3",
        1,
    )


def test_limit_reached_refuses_even_the_right_password_from_that_client(client, person):
    for _ in range(2):
        assert "Feil e-post eller passord" in _login(client, password="feil").content.decode()
    assert _locked(_login(client, password="feil"))
    response = _login(client)
    assert _locked(response)
    content = response.content.decode()
    assert re.search(r"kl\. \d\d:\d\d \(om 10 min\)", content), content
    assert "_auth_user_id" not in client.session


def test_the_person_at_another_address_still_signs_in(client, person):
    """A stranger cannot lock leadership out: the lock holds for the stranger's client only."""
    for _ in range(3):
        _login(client, password="feil", REMOTE_ADDR="203.0.113.9")
    assert _locked(_login(client, REMOTE_ADDR="203.0.113.9"))
    assert _login(client, REMOTE_ADDR="198.51.100.7").status_code == 302


def test_the_lock_is_case_insensitive(client, person):
    for _ in range(3):
        _login(client, email="KARI@example.org", password="feil")
    assert _locked(_login(client, email="kari@EXAMPLE.org"))


def test_one_client_spraying_many_accounts_is_stopped(client, settings, person):
    settings.LOGIN_CLIENT_FAILURE_LIMIT = 6
    UserFactory(email="per@example.org", password="per-sitt-passord-1")
    for n in range(5):  # two tries each on three addresses: under the per-address limit every time
        response = _login(client, email=f"person{n // 2}@example.org", password="feil")
        assert response.status_code == 200
    assert _locked(_login(client, email="person9@example.org", password="feil"))  # the client's sixth
    assert _locked(_login(client, email="per@example.org", password="per-sitt-passord-1"))
    # Another client is not affected.
    assert (
        _login(
            client, email="per@example.org", password="per-sitt-passord-1", REMOTE_ADDR="10.9.9.9"
        ).status_code
        == 302
    )


def test_failures_outside_the_window_do_not_count(client, person):
    for _ in range(3):
        _login(client, password="feil")
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(seconds=601))
    assert _login(client).status_code == 302


def test_success_clears_the_failures(client, person):
    for _ in range(2):
        _login(client, password="feil")
    assert _login(client).status_code == 302
    client.logout()
    for _ in range(2):
        _login(client, password="feil")
    assert _login(client).status_code == 302


def test_unknown_email_is_throttled_too(client):
    for _ in range(3):
        _login(client, email="finnes-ikke@example.org", password="x")
    assert _locked(_login(client, email="finnes-ikke@example.org", password="x"))


def test_throttling_holds_across_processes_because_it_is_in_the_database(client, person):
    # Another web process wrote these failures: nothing in this process knows about them.
    AccessAttempt.objects.create(
        username="kari@example.org",
        ip_address="127.0.0.1",
        user_agent="",
        failures_since_start=3,
        get_data="",
        post_data="",
        http_accept="",
        path_info="/logg-inn/",
    )
    assert _locked(_login(client))


@pytest.mark.parametrize(
    ("meta", "expected"),
    [
        ({"REMOTE_ADDR": "10.0.0.1"}, "10.0.0.1"),
        ({"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "1.2.3.4"}, "10.0.0.1"),  # header not trusted
    ],
)
def test_client_address_without_a_proxy_is_the_connection(rf, meta, expected):
    from accounts.throttling import client_ip

    assert client_ip(rf.post("/logg-inn/", **meta)) == expected


def test_client_address_behind_the_proxy_is_taken_from_the_right(rf, settings):
    from accounts.throttling import client_ip

    settings.CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.CLIENT_IP_PROXY_COUNT = 1
    # The client wrote 6.6.6.6 itself; our proxy appended the address it saw.
    request = rf.post("/logg-inn/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.4")
    assert client_ip(request) == "198.51.100.4"


@pytest.mark.parametrize(
    "data",
    [
        {"username": "x" * 5000, "password": "y"},
        {"username": "kari@example.org", "password": "p" * 100000},
        {"username": "\x00@example.org", "password": "x"},
        {},
    ],
)
def test_weird_login_input_no_500(client, person, data):
    assert client.post("/logg-inn/", data).status_code == 200


def test_password_reset_end_to_end(client, person, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/glemt-passord/", {"email": "kari@example.org"}, follow=True)
    assert "Sjekk e-posten din" in response.content.decode()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert [parseaddr(a) for a in message.to] == [("Kari Kommune", "kari@example.org")]
    assert "Hei, Kari Kommune!" in message.body
    assert "Lag nytt passord" in message.alternatives[0][0]
    link = re.search(r"https?://[^\s]+/nytt-passord/[^\s]+/", message.body).group(0)
    path = re.sub(r"^https?://[^/]+", "", link)
    response = client.get(path, follow=True)
    assert "Nytt passord" in response.content.decode()
    form_url = response.redirect_chain[-1][0]
    response = client.post(
        form_url,
        {"new_password1": "Helt-nytt-passord-7", "new_password2": "Helt-nytt-passord-7"},
        follow=True,
    )
    assert "Passordet er lagret" in response.content.decode()
    assert _login(client, password="riktig-passord-123").status_code == 200
    assert _login(client, password="Helt-nytt-passord-7").status_code == 302
    # the link works once
    assert "ugyldig eller brukt" in client.get(path, follow=True).content.decode()


def test_password_reset_for_unknown_address_reveals_nothing(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/glemt-passord/", {"email": "ukjent@example.org"}, follow=True)
    assert "Sjekk e-posten din" in response.content.decode()
    assert mail.outbox == []


def test_password_reset_weak_password_is_refused_in_norwegian(
    client, person, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/glemt-passord/", {"email": "kari@example.org"})
    path = re.sub(
        r"^https?://[^/]+",
        "",
        re.search(r"https?://[^\s]+/nytt-passord/[^\s]+/", mail.outbox[0].body).group(0),
    )
    form_url = client.get(path, follow=True).redirect_chain[-1][0]
    content = client.post(form_url, {"new_password1": "kort", "new_password2": "kort"}).content.decode()
    assert "Passordet er for kort" in content


def test_the_login_page_says_typed_text_is_kept_only_when_the_way_back_carries_a_recovery(client, person):
    kept = "/samlinger/1/mellomarbeid/2/?gjenopprett=" + "a" * 32
    page = client.get("/logg-inn/", {"next": kept}).content.decode()
    assert "Økten din er utløpt. Det du skrev er tatt vare på" in page
    # Also after a wrong password on that page.
    wrong = _login(client, password="feil", QUERY_STRING="")
    assert "tatt vare på" not in wrong.content.decode()
    again = client.post(
        "/logg-inn/", {"username": "kari@example.org", "password": "feil", "next": kept}
    ).content.decode()
    assert "tatt vare på" in again
    for plain in (
        "/samlinger/",
        "/samlinger/?gjenopprett=kort",
        "https://annet.example/?gjenopprett=" + "a" * 32,
    ):
        assert "tatt vare på" not in client.get("/logg-inn/", {"next": plain}).content.decode(), plain
