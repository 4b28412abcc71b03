from django.test import Client, override_settings

from tests.factories import UserFactory


def test_an_unknown_page_answers_a_norwegian_404_without_debug_details(client, db):
    response = client.get("/soknader/99999/finnes-ikke/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Fant ikke siden" in body
    assert "URLconf" not in body


@override_settings(DEBUG=False)
def test_an_expired_form_explains_itself_in_norwegian(db):
    UserFactory(email="kari@example.org")
    client = Client(enforce_csrf_checks=True)
    response = client.post("/logg-inn/", {"username": "kari@example.org", "password": "kulturskole"})
    assert response.status_code == 403
    assert "Skjemaet er utløpt" in response.content.decode()
    # go back and send again keeps the text; reloading would lose it (issue 12)
    assert "tilbakeknapp, og send skjemaet på nytt" in response.content.decode()
    assert "last siden på nytt og send" not in response.content.decode()


def test_get_on_sign_out_shows_a_page_with_the_button_and_only_post_signs_out(client, db):
    user = UserFactory(email="kari@example.org", full_name="Kari Nordmann")
    client.force_login(user)
    page = client.get("/logg-ut/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Du er logget inn som Kari Nordmann." in html
    assert 'method="post" action="/logg-ut/"' in html
    assert client.get("/").status_code == 200  # still signed in after the GET
    client.post("/logg-ut/")
    assert client.get("/").status_code == 302
    assert "Du er ikke logget inn." in client.get("/logg-ut/").content.decode()
