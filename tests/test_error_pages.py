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
