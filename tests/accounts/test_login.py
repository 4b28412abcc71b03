import datetime as dt
import re
from email.utils import parseaddr

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import LoginFailure
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


def test_wrong_password_is_recorded_with_ip(client, person):
    response = _login(client, password="feil", REMOTE_ADDR="10.1.2.3")
    assert "Feil e-post eller passord" in response.content.decode()
    failure = LoginFailure.objects.get()
    assert (failure.email, failure.ip) == ("kari@example.org", "10.1.2.3")


def test_limit_reached_refuses_even_the_right_password(client, person):
    for _ in range(2):
        assert "Feil e-post eller passord" in _login(client, password="feil").content.decode()
    third = _login(client, password="feil").content.decode()
    assert "For mange mislykkede innlogginger" in third
    response = _login(client)
    content = response.content.decode()
    assert response.status_code == 200
    assert "For mange mislykkede innlogginger" in content
    until = timezone.localtime(timezone.now() + dt.timedelta(seconds=600))
    assert re.search(r"kl\. \d\d:\d\d \(om (9|10) min\)", content), content
    assert "_auth_user_id" not in client.session
    assert until.strftime("%H") in content


def test_the_lock_is_per_email_and_case_insensitive(client, person):
    UserFactory(email="per@example.org", password="per-sitt-passord-1")
    for _ in range(3):
        _login(client, email="KARI@example.org", password="feil")
    assert "For mange" in _login(client, email="kari@EXAMPLE.org").content.decode()
    assert _login(client, email="per@example.org", password="per-sitt-passord-1").status_code == 302


def test_failures_outside_the_window_do_not_count(client, person):
    for _ in range(3):
        _login(client, password="feil")
    LoginFailure.objects.update(at=timezone.now() - dt.timedelta(seconds=601))
    assert _login(client).status_code == 302


def test_lock_lifts_when_the_oldest_failure_leaves_the_window(client, person):
    for _ in range(3):
        _login(client, password="feil")
    oldest = LoginFailure.objects.order_by("at").first()
    LoginFailure.objects.filter(pk=oldest.pk).update(at=timezone.now() - dt.timedelta(seconds=601))
    # two failures left in the window: below the limit, so the right password works again
    assert _login(client).status_code == 302


def test_success_clears_the_failures(client, person):
    for _ in range(2):
        _login(client, password="feil")
    assert _login(client).status_code == 302
    assert not LoginFailure.objects.filter(email="kari@example.org").exists()
    client.logout()
    for _ in range(2):
        _login(client, password="feil")
    assert _login(client).status_code == 302


def test_unknown_email_is_throttled_too(client):
    for _ in range(3):
        _login(client, email="finnes-ikke@example.org", password="x")
    assert "For mange" in _login(client, email="finnes-ikke@example.org", password="x").content.decode()


def test_throttling_holds_across_processes_because_it_is_in_the_database(client, person):
    # Another web process wrote these failures: nothing in this process knows about them.
    for _ in range(3):
        LoginFailure.objects.create(email="kari@example.org", ip="10.0.0.9")
    assert "For mange" in _login(client).content.decode()


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
