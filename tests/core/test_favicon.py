"""Every page has an icon: /favicon.ico (asked for by browsers on their own) answers, and pages link it."""

import pytest
from django.contrib.staticfiles import finders


@pytest.mark.django_db
def test_favicon_is_served_from_our_static_files_and_linked_from_every_page(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response.url.endswith("core/favicon.ico")
    with open(finders.find("core/favicon.ico"), "rb") as icon:
        assert icon.read(4) == b"\x00\x00\x01\x00"  # an ICO file
    page = client.get("/logg-inn/").content.decode()
    assert '<link rel="icon" href="/static/core/favicon.ico" sizes="32x32">' in page
    assert client.post("/favicon.ico").status_code == 405
