"""Draft recovery (core.drafts, core.draft_views): text posted after the session expired comes back to the person
who typed it, in the browser they typed it in, and to nobody else; it expires; strangers learn nothing."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import timezone

from core import drafts
from core.draft_views import DRAFT_COOKIE, draft_discard, draft_recovered, keeps_drafts
from core.models import DraftRecovery
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

KEY = "tests.note:1"


def _store(user, browser="b" * 20, text="Teksten", key=KEY):
    return drafts.draft_recovery_store(
        form_key=key, user=user, browser_key=browser, data={"text": text, "other": "x"}, fields=("text",)
    )


def _take(user, token, browser="b" * 20, key=KEY):
    return drafts.draft_recovery_take(
        form_key=key, token=token, user=user, browser_key=browser, fields=("text",)
    )


def test_the_owner_gets_the_text_back_in_the_same_browser_and_only_the_forms_fields():
    kari = UserFactory()
    token = _store(kari)
    assert _take(kari, token) == {"text": "Teksten"}


def test_another_person_another_browser_another_form_or_another_token_gets_nothing():
    kari, per = UserFactory(), UserFactory()
    token = _store(kari)
    assert _take(per, token) is None
    assert _take(kari, token, browser="c" * 20) is None
    assert _take(kari, token, key="tests.note:2") is None
    assert _take(kari, _store(per)) is None
    assert _take(AnonymousUser(), token) is None


def test_a_recovery_expires_and_is_cleared_by_the_next_store():
    kari = UserFactory()
    token = _store(kari)
    DraftRecovery.objects.filter(token=token).update(
        created_at=timezone.now() - dt.timedelta(days=drafts.RECOVERY_DAYS, hours=1)
    )
    assert _take(kari, token) is None
    _store(UserFactory())
    assert not DraftRecovery.objects.filter(token=token).exists()


def test_recoveries_are_bounded_per_person_and_form_and_never_push_out_someone_elses():
    kari, per = UserFactory(), UserFactory()
    pers = _store(per, text="Per")
    for i in range(drafts.MAX_RECOVERIES + 5):
        _store(kari, text=f"v{i}")
    mine = DraftRecovery.objects.filter(form_key=KEY, user=kari)
    assert mine.count() == drafts.MAX_RECOVERIES
    assert mine.first().data == {"text": f"v{drafts.MAX_RECOVERIES + 4}"}
    assert _take(per, pers, browser="b" * 20) == {"text": "Per"}


def test_nul_characters_are_dropped_and_discard_removes_only_the_owners_row():
    kari, per = UserFactory(), UserFactory()
    token = _store(kari, text="a\x00b")
    assert _take(kari, token) == {"text": "ab"}
    drafts.draft_recovery_discard(form_key=KEY, token=token, user=per, browser_key="b" * 20)
    assert DraftRecovery.objects.filter(token=token).exists()
    drafts.draft_recovery_discard(form_key=KEY, token=token, user=kari, browser_key="b" * 20)
    assert not DraftRecovery.objects.filter(token=token).exists()


# --- The request side -----------------------------------------------------------------------------------------


def _target(person, pk):
    """A form that exists only for pk 1 and only the owner may write in."""
    return (f"tests.note:{pk}", ("text",)) if pk == 1 and person.email == "eier@example.org" else None


@keeps_drafts(_target)
def _note_view(request, pk):
    if request.method == "POST":
        draft_discard(request, form_key=f"tests.note:{pk}")
        return HttpResponse("lagret")
    recovered = draft_recovered(request, form_key=f"tests.note:{pk}", fields=("text",))
    return HttpResponse((recovered or {}).get("text", ""))


def _request(method, path, *, user, cookie=None, data=None):
    factory = RequestFactory()
    request = factory.post(path, data or {}) if method == "POST" else factory.get(path, data or {})
    request.user = user
    request._messages = CookieStorage(request)
    if cookie:
        request.COOKIES[DRAFT_COOKIE] = cookie
    return request


def _browser_of(user):
    """The cookie a signed-in visit to the form gives the browser."""
    response = _note_view(_request("GET", "/notat/1/", user=user), pk=1)
    return response.cookies[DRAFT_COOKIE].value


def test_an_anonymous_post_is_kept_for_the_browsers_person_and_offered_back_after_login():
    owner = UserFactory(email="eier@example.org")
    cookie = _browser_of(owner)
    response = _note_view(
        _request("POST", "/notat/1/", user=AnonymousUser(), cookie=cookie, data={"text": "Skrevet lenge"}),
        pk=1,
    )
    assert response.status_code == 302
    assert "gjenopprett" in response.url
    token = response.url.split("gjenopprett%3D")[1]
    assert DraftRecovery.objects.get().data == {"text": "Skrevet lenge"}  # kept, not applied
    # Signed in again in the same browser: the text and the notice.
    request = _request("GET", "/notat/1/", user=owner, cookie=cookie, data={"gjenopprett": token})
    page = _note_view(request, pk=1)
    assert page.content.decode() == "Skrevet lenge"
    assert [str(m) for m in get_messages(request)] == [
        "Økten din hadde utløpt. Vi har tatt vare på det du skrev: se over og lagre."
    ]
    # Another browser of the same person: nothing.
    other_browser = _browser_of(owner)
    assert (
        _note_view(
            _request("GET", "/notat/1/", user=owner, cookie=other_browser, data={"gjenopprett": token}), pk=1
        ).content.decode()
        == ""
    )
    # Saving clears it.
    _note_view(_request("POST", f"/notat/1/?gjenopprett={token}", user=owner, cookie=cookie), pk=1)
    assert not DraftRecovery.objects.exists()


def test_an_anonymous_post_to_an_id_that_does_not_exist_answers_the_same_and_keeps_nothing():
    owner = UserFactory(email="eier@example.org")
    stranger = UserFactory(email="fremmed@example.org")
    answers = {}
    for name, cookie in (("none", None), ("stranger", _browser_of(stranger)), ("owner", _browser_of(owner))):
        for pk in (1, 999):
            response = _note_view(
                _request(
                    "POST", f"/notat/{pk}/", user=AnonymousUser(), cookie=cookie, data={"text": "Plantet"}
                ),
                pk=pk,
            )
            answers[name, pk] = (response.status_code, response.url.replace(str(pk), "N"))
    assert answers["none", 1] == answers["none", 999] == answers["stranger", 1] == answers["owner", 999]
    assert "gjenopprett" not in answers["none", 1][1]
    # Only the owner's own browser, for the form that exists, kept anything.
    assert list(DraftRecovery.objects.values_list("user__email", "form_key")) == [
        ("eier@example.org", "tests.note:1")
    ]
