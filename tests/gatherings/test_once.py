"""Back after «Legg inn samlingen» and saving again makes no second gathering and sends no second invitation."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from core.once import ONCE_FIELD
from gatherings.models import Gathering
from programs.models import MunicipalGroupMember
from tests.factories import UserFactory, municipal_contact
from tests.gatherings.factories import GatheringFactory, make_region, semester_around
from tests.once import ALREADY, CreateForm, check_creates_once, form_token

pytestmark = pytest.mark.django_db


def _data(start, **over):
    data = {
        "kind": "gathering",
        "number": "3",
        "title": "Møtemetodikk",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + dt.timedelta(hours=6)).strftime("%Y-%m-%dT%H:%M"),
        "venue": "Scenehuset",
    }
    data.update(over)
    return data


def test_a_gathering_is_created_and_announced_once(client, leader, django_capture_on_commit_callbacks):
    region = make_region(members=2)
    for group in region.groups:
        municipal_contact(group.municipality)
    start = timezone.localtime(timezone.now() + dt.timedelta(days=50)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    semester_around(region.region, start)  # no warning: one step
    check_creates_once(
        client,
        django_capture_on_commit_callbacks,
        CreateForm(
            url=reverse("gatherings:create", args=[region.region.pk]),
            user=leader,
            # the other leader's save of the same gathering is warned about (number taken, overlap): confirmed
            data=_data(start, lagre_likevel="duplicate_number,overlap"),
            invalid=_data(start, ends_at=(start - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")),
            made=lambda: Gathering.objects.filter(title="Møtemetodikk").count(),
            sent=lambda: len(mail.outbox),
            other_user=UserFactory(leadership=True),
        ),
    )


def test_a_gathering_with_warnings_is_saved_and_announced_once_after_the_confirm_step(
    client, leader, django_capture_on_commit_callbacks
):
    region = make_region(members=2)
    for group in region.groups:
        municipal_contact(group.municipality)
    start = timezone.localtime(timezone.now() + dt.timedelta(days=50)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )  # no semester holds it: a warning
    client.force_login(leader)
    url = reverse("gatherings:create", args=[region.region.pk])
    token = form_token(client.get(url).content.decode())
    with django_capture_on_commit_callbacks(execute=True):
        shown = client.post(url, {**_data(start), ONCE_FIELD: token})
    assert shown.status_code == 200
    assert form_token(shown.content.decode()) == token
    assert not Gathering.objects.exists()
    assert mail.outbox == []
    confirm = {**_data(start), ONCE_FIELD: token, "lagre_likevel": "outside_semester"}
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url, confirm)
    assert first.status_code == 302
    sent = len(mail.outbox)
    assert sent > 0
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(url, confirm)
    assert again["Location"] == first["Location"]
    assert ALREADY in client.get(again["Location"]).content.decode()
    assert Gathering.objects.count() == 1
    assert len(mail.outbox) == sent


def test_a_member_added_from_the_registration_page_is_added_once(client, django_capture_on_commit_callbacks):
    region = make_region(members=1)
    group = region.groups[0]
    gathering = GatheringFactory(regional_program=region.region, capacity=10)
    data = {"name": "Ny Person", "sector": "barnehage"}  # no e-mail: nothing else would stop a second one
    check_creates_once(
        client,
        django_capture_on_commit_callbacks,
        CreateForm(
            url=reverse("gatherings:member_add", args=[gathering.pk, group.pk]),
            user=municipal_contact(group.municipality),
            data=data,
            invalid={**data, "name": ""},
            made=lambda: MunicipalGroupMember.objects.filter(group=group, name="Ny Person").count(),
            other_user=municipal_contact(group.municipality),
        ),
    )


@pytest.mark.django_db(transaction=True)
def test_a_double_click_on_legg_inn_samlingen_makes_one_gathering_on_postgresql(monkeypatch):
    """Both posts of a double click run at once: the second waits at the token while the first saves, then lands
    on the first one's gathering, with the message, and nobody is invited twice."""
    import threading

    from django.db import connection
    from django.test import Client

    from core.models import FormSubmission
    from gatherings import services
    from reminders.models import Delivery
    from tests.core.test_once import _waiting_on_a_lock
    from tests.once import ALREADY, form_token

    if connection.vendor != "postgresql":
        pytest.skip("row locks of concurrent transactions: PostgreSQL")
    region = make_region(members=2)
    for group in region.groups:
        municipal_contact(group.municipality)
    leader = UserFactory(leadership=True)
    url = reverse("gatherings:create", args=[region.region.pk])
    start = timezone.localtime(timezone.now() + dt.timedelta(days=50)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    semester_around(region.region, start)  # no warning: the first post saves at once
    browser = Client()
    browser.force_login(leader)
    data = {**_data(start), "engangsnokkel": form_token(browser.get(url).content.decode())}

    saving, go_on = threading.Event(), threading.Event()
    schedule = services.gathering_schedule

    def held(**kwargs):
        if not saving.is_set():
            saving.set()
            assert go_on.wait(10)
        return schedule(**kwargs)

    monkeypatch.setattr(services, "gathering_schedule", held)
    answers, tabs = {}, {}

    def click(name):
        tabs[name] = tab = Client()  # its own cookie jar: the browser shows only the second answer
        tab.cookies.load({key: morsel.value for key, morsel in browser.cookies.items()})
        try:
            answers[name] = tab.post(url, data)
        finally:
            connection.close()

    first = threading.Thread(target=click, args=("first",))
    first.start()
    assert saving.wait(10)
    second = threading.Thread(target=click, args=("second",))
    second.start()
    _waiting_on_a_lock()
    go_on.set()
    first.join(15)
    second.join(15)

    gatherings = Gathering.objects.filter(title="Møtemetodikk")
    assert gatherings.count() == 1
    gathering = gatherings.get()
    target = reverse("gatherings:detail", args=[gathering.pk])
    assert answers["first"].status_code == answers["second"].status_code == 302
    assert answers["first"]["Location"] == answers["second"]["Location"] == target
    assert ALREADY in tabs["second"].get(target).content.decode()
    assert FormSubmission.objects.count() == 1
    invited = Delivery.objects.filter(key=f"gathering:{gathering.pk}").count()
    assert invited > 0
    assert not Delivery.objects.filter(key__startswith="gathering:").exclude(key=f"gathering:{gathering.pk}")
