"""Norwegian unless the person has chosen English in the footer (never from Accept-Language)."""

import datetime as dt

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import timezone, translation

from tests.factories import ProgramFactory, UserFactory

pytestmark = pytest.mark.django_db

NB_MONTHS = [
    "januar", "februar", "mars", "april", "mai", "juni",
    "juli", "august", "september", "oktober", "november", "desember",
]  # fmt: skip


def _login_page(client, **headers):
    return client.get("/logg-inn/", headers=headers).content.decode()


def _choose(client, language):
    response = client.post("/i18n/setlang/", {"language": language, "next": "/logg-inn/"})
    assert response.status_code == 302
    assert response.url == "/logg-inn/"


def test_english_browser_gets_norwegian(client):
    page = _login_page(client, accept_language="en-GB,en;q=0.9")
    assert '<html lang="nb">' in page
    assert "Logg inn" in page
    assert "Log in" not in page


def test_english_browser_gets_norwegian_django_texts(client):
    """Django's own texts (form errors) are in Norwegian too, not a mix."""
    response = client.post("/logg-inn/", {"username": "", "password": ""}, headers={"accept_language": "en"})
    page = response.content.decode()
    assert "Feltet er påkrevet" in page
    assert "This field is required" not in page


def test_choosing_english_in_the_footer_gives_english_and_back(client):
    _choose(client, "en")
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = _login_page(client, accept_language="nb")
    assert '<html lang="en">' in page
    assert "Log in" in page
    assert "Forgotten your password?" in page
    assert "Logg inn" not in page

    _choose(client, "nb")
    page = _login_page(client, accept_language="en")
    assert '<html lang="nb">' in page
    assert "Logg inn" in page
    assert "Log in" not in page


def test_unknown_language_cookie_falls_back_to_norwegian(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    page = _login_page(client, accept_language="en")
    assert '<html lang="nb">' in page
    assert "Logg inn" in page


def test_response_varies_on_cookie_not_accept_language(client):
    response = client.get("/logg-inn/", headers={"accept_language": "en"})
    assert response["Content-Language"] == "nb"
    assert "Cookie" in response["Vary"]
    assert "Accept-Language" not in response["Vary"]


def test_dates_and_timeuntil_are_norwegian_by_default(client):
    deadline = timezone.now() + dt.timedelta(days=3, hours=5)
    program = ProgramFactory(interest_deadline=deadline)
    client.force_login(UserFactory(leadership=True))
    page = client.get(f"/program/{program.pk}/", headers={"accept_language": "en"}).content.decode()
    local = timezone.localtime(deadline)
    assert f"{local.day}. {NB_MONTHS[local.month - 1]} {local.year}" in page
    assert "3\xa0dager" in page  # timeuntil joins with a no-break space
    assert "igjen" in page
    assert "days" not in page


def test_dates_and_timeuntil_are_english_when_chosen(client):
    deadline = timezone.now() + dt.timedelta(days=3, hours=5)
    program = ProgramFactory(interest_deadline=deadline)
    client.force_login(UserFactory(leadership=True))
    _choose(client, "en")
    page = client.get(f"/program/{program.pk}/").content.decode()
    assert "3\xa0days" in page
    assert "left" in page
    assert "Temperature check" in page


def test_every_catalogue_entry_is_translated():
    """The compiled English catalogue covers the templates' strings (spot checks across apps)."""
    with translation.override("en"):
        rendered = Template(
            "{% load i18n %}{% translate 'Søknadsfrist' %}|{% translate 'Interessemelding' %}|"
            "{% translate 'Påminnelser' %}|{% translate 'Fylkesavdeling' %}"
        ).render(Context())
    assert rendered == "Application deadline|Interest registration|Reminders|County branch"


def test_english_catalogue_is_complete_and_compiled():
    """Every string in locale/en has an English text, nothing fuzzy, and the committed .mo matches the .po."""
    import gettext
    import re

    folder = settings.BASE_DIR / "locale" / "en" / "LC_MESSAGES"
    po = (folder / "django.po").read_text(encoding="utf-8")
    assert "#, fuzzy" not in po
    assert not re.search(r'^msgstr(\[\d\])? ""\n\n', po, flags=re.M), "an English text is missing"
    with open(folder / "django.mo", "rb") as fh:
        catalog = gettext.GNUTranslations(fh)._catalog
    po_ids = len(re.findall(r"^msgid ", po, flags=re.M)) - 1  # minus the header
    mo_ids = {key[0] if isinstance(key, tuple) else key for key in catalog if key}
    assert len(mo_ids) == po_ids, "run manage.py compilemessages and commit the .mo"
    assert all(text for text in catalog.values())
