"""One-time tokens of create forms (core.once): a second post of the same form makes nothing and leads to what the
first made; a failed save keeps the token free; a token is only ever someone's own; old rows go."""

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpResponse
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import timezone

from core.models import FormSubmission
from core.once import (
    ONCE_FIELD,
    SAME_FORM_MINUTES,
    AlreadySaved,
    form_submissions_purge,
    saving_once,
    submits_once,
)
from core.tasks import form_submissions_purge_task
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TOKEN = "t" * 32


def _post(user, token=TOKEN, path="/ting/ny/", **fields):
    fields = fields or {"navn": "x"}
    request = RequestFactory().post(path, {ONCE_FIELD: token, "csrfmiddlewaretoken": token[::-1], **fields})
    request.user = user
    request._messages = CookieStorage(request)
    return request


def _made_things():
    """A stand-in create view: each save makes a 'thing' (an audit-free row: another person)."""
    made = []

    @submits_once
    def view(request):
        with saving_once(request) as once:
            thing = UserFactory()
            made.append(thing.pk)
            once.made(f"/ting/{thing.pk}/")
        return HttpResponse(status=302, headers={"Location": f"/ting/{thing.pk}/"})

    return view, made


def test_the_second_post_goes_to_what_the_first_made_with_a_message():
    kari = UserFactory()
    view, made = _made_things()
    first = view(_post(kari))
    second_request = _post(kari)
    second = view(second_request)
    assert len(made) == 1
    assert second.status_code == 302
    assert second["Location"] == first["Location"] == f"/ting/{made[0]}/"
    assert [str(m) for m in get_messages(second_request)] == ["Dette var allerede lagret – her er det."]
    row = FormSubmission.objects.get()
    assert (row.user, row.token, row.url) == (kari, TOKEN, f"/ting/{made[0]}/")


def test_someone_elses_token_is_new_and_never_leads_to_their_object():
    kari, ola = UserFactory(), UserFactory()
    view, made = _made_things()
    view(_post(kari))
    theirs = view(_post(ola))
    assert len(made) == 2
    assert theirs["Location"] == f"/ting/{made[1]}/"
    assert FormSubmission.objects.count() == 2


def test_a_post_without_a_token_saves_as_before_and_records_nothing():
    view, made = _made_things()
    request = RequestFactory().post("/ting/ny/", {"navn": "x"})
    request.user = UserFactory()
    view(request)
    view(request)
    assert len(made) == 2
    assert not FormSubmission.objects.exists()


def test_the_same_fields_under_a_new_token_go_to_what_the_first_made():
    """Back without JavaScript: the form comes with a new token (and CSRF token), the browser refills the typed
    fields, and the person saves again."""
    kari = UserFactory()
    view, made = _made_things()
    first = view(_post(kari, navn="Møtemetodikk", tema=["a", "b"]))
    again_request = _post(kari, token="n" * 32, navn="Møtemetodikk", tema=["a", "b"])
    again = view(again_request)
    assert len(made) == 1
    assert again["Location"] == first["Location"]
    assert [str(m) for m in get_messages(again_request)] == ["Dette var allerede lagret – her er det."]


@pytest.mark.parametrize(
    "second",
    [
        {"navn": "Møtemetodikk", "tema": ["a"]},  # a field changed: a new save
        {"navn": "Møtemetodikk", "tema": ["a", "b"], "path": "/annen/ting/ny/"},  # another form
    ],
    ids=["changed", "other-form"],
)
def test_other_fields_or_another_form_under_a_new_token_save_anew(second):
    kari = UserFactory()
    view, made = _made_things()
    view(_post(kari, navn="Møtemetodikk", tema=["a", "b"]))
    again_request = _post(kari, token="n" * 32, **second)
    view(again_request)
    assert len(made) == 2
    assert list(get_messages(again_request)) == []


def test_the_same_fields_after_a_while_save_anew():
    kari = UserFactory()
    view, made = _made_things()
    view(_post(kari))
    FormSubmission.objects.update(created_at=timezone.now() - dt.timedelta(minutes=SAME_FORM_MINUTES + 1))
    view(_post(kari, token="n" * 32))
    assert len(made) == 2


def test_a_refused_save_keeps_the_token_free():
    kari = UserFactory()

    def refused_save():
        with saving_once(_post(kari)):
            UserFactory(email="rolled-back@example.org")
            raise ValueError("refused")

    with pytest.raises(ValueError, match="refused"):
        refused_save()
    assert not FormSubmission.objects.exists()
    assert not UserFactory._meta.model.objects.filter(email="rolled-back@example.org").exists()
    view, made = _made_things()
    view(_post(kari))
    assert len(made) == 1


def test_a_save_that_made_nothing_keeps_the_token_free():
    with saving_once(_post(UserFactory())):
        pass
    assert not FormSubmission.objects.exists()


def test_a_save_that_finished_first_answers_the_one_that_waited():
    """Two posts at once: the second passes the first look, then meets the first one's token when it takes it
    (in PostgreSQL it waits for the first to commit); its own work is undone and it goes where the first went."""
    kari = UserFactory()
    made = []

    @submits_once
    def view(request):
        FormSubmission.objects.create(
            user=kari, token=TOKEN, url="/ting/1/"
        )  # the first one, committed meanwhile
        with saving_once(request) as once:
            made.append(1)
            once.made("/ting/2/")
        return HttpResponse()

    response = view(_post(kari))
    assert made == []
    assert response.status_code == 302
    assert response["Location"] == "/ting/1/"


def test_saving_once_refuses_a_token_already_taken():
    kari = UserFactory()
    FormSubmission.objects.create(user=kari, token=TOKEN, url="/ting/1/")
    ran = []

    def save():
        with saving_once(_post(kari)):
            ran.append(1)

    with pytest.raises(AlreadySaved):
        save()
    assert ran == []


def test_the_hidden_field_is_new_on_each_page_and_kept_when_the_form_comes_back():
    template = Template("{% load core_tags %}{% once_field %}{% once_field %}")
    get = RequestFactory().get("/ting/ny/")
    html = template.render(Context({"request": get}))
    first, second = html.split(">")[0], html.split(">")[1]
    assert f'name="{ONCE_FIELD}"' in first
    assert first == second  # one page, one token
    assert html != template.render(Context({"request": RequestFactory().get("/ting/ny/")}))
    back = template.render(Context({"request": _post(UserFactory())}))
    assert f'value="{TOKEN}"' in back
    odd = template.render(Context({"request": _post(UserFactory(), token="<script>")}))
    assert "<script>" not in odd
    assert not FormSubmission.objects.exists()


def test_old_rows_are_forgotten_by_the_daily_task():
    kari = UserFactory()
    old = FormSubmission.objects.create(
        user=kari, token="a" * 32, url="/a/", created_at=timezone.now() - dt.timedelta(days=31)
    )
    recent = FormSubmission.objects.create(
        user=kari, token="b" * 32, url="/b/", created_at=timezone.now() - dt.timedelta(days=29)
    )
    assert form_submissions_purge_task() == 1
    assert list(FormSubmission.objects.all()) == [recent]
    assert not FormSubmission.objects.filter(pk=old.pk).exists()
    assert form_submissions_purge(now=timezone.now() + dt.timedelta(days=2)) == 1
    schedule = settings.CELERY_BEAT_SCHEDULE["core-form-submissions-purge"]
    assert schedule["task"] == form_submissions_purge_task.name
    assert schedule["schedule"] == 24 * 60 * 60


def test_erasing_a_person_removes_their_tokens():
    from accounts import privacy

    kari, leader = UserFactory(), UserFactory(leadership=True)
    FormSubmission.objects.create(user=kari, token="a" * 32, url="/a/")
    FormSubmission.objects.create(user=leader, token="b" * 32, url="/b/")
    privacy.person_erase(actor=leader, user=kari)
    assert list(FormSubmission.objects.values_list("user", flat=True)) == [leader.pk]


def test_the_page_loads_the_script_that_keeps_the_token_only_when_it_drew_one():
    """Back re-fetches a `no-store` form page with a new token; core/once.js puts the first one back (e2e)."""
    template = Template("{% load core_tags %}{{ before }}{% once_script %}")
    plain = RequestFactory().get("/ting/")
    assert "once.js" not in template.render(Context({"request": plain}))
    form = RequestFactory().get("/ting/ny/")
    drawn = Template("{% load core_tags %}{% once_field %}{% once_script %}").render(
        Context({"request": form})
    )
    assert '<script src="/static/core/once.js"></script>' in drawn
    assert Template("{% load core_tags %}{% once_script %}").render(Context({})) == ""


def _waiting_on_a_lock(timeout: float = 10.0) -> None:
    """Until another connection of this database waits for a row lock (the second post, at the token)."""
    import time

    from django.db import connection

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone()[0]:
                return
        time.sleep(0.02)
    raise AssertionError("the second post never waited at the token")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("first_to_save", ["first_sent", "second_sent"])
def test_two_posts_of_one_form_at_the_same_time_make_one_on_postgresql(first_to_save):
    """A double click sends the same token twice, and both requests run at once. Whichever reaches the save first
    makes the thing; the other waits at the token until that commits, makes nothing, and goes to the same place."""
    import threading

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("row locks of concurrent transactions: PostgreSQL")
    kari = UserFactory()
    made: list[int] = []
    at_form = {name: threading.Event() for name in ("first_sent", "second_sent")}
    go_save = {name: threading.Event() for name in at_form}
    inside = {name: threading.Event() for name in at_form}
    go_commit = threading.Event()

    @submits_once
    def view(request, name):
        at_form[name].set()
        assert go_save[name].wait(10)
        with saving_once(request) as once:
            inside[name].set()
            if name == first_to_save:
                assert go_commit.wait(10)
            thing = UserFactory()
            made.append(thing.pk)
            once.made(f"/ting/{thing.pk}/")
        return HttpResponse(status=302, headers={"Location": f"/ting/{thing.pk}/"})

    answers: dict[str, HttpResponse] = {}

    def send(name):
        try:
            answers[name] = view(_post(kari), name)
        finally:
            connection.close()

    threads = {name: threading.Thread(target=send, args=(name,)) for name in at_form}
    for name in ("first_sent", "second_sent"):
        threads[name].start()
        assert at_form[name].wait(10)  # both passed the first look: nothing saved yet
    later = "second_sent" if first_to_save == "first_sent" else "first_sent"
    go_save[first_to_save].set()
    assert inside[first_to_save].wait(10)
    go_save[later].set()
    _waiting_on_a_lock()
    assert not inside[later].is_set()
    go_commit.set()
    for thread in threads.values():
        thread.join(15)
    assert len(made) == 1
    assert answers["first_sent"]["Location"] == answers["second_sent"]["Location"] == f"/ting/{made[0]}/"
    assert FormSubmission.objects.count() == 1
    assert UserFactory._meta.model.objects.filter(pk=made[0]).exists()
