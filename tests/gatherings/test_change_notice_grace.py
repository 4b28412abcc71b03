"""A change notice waits a few minutes (GATHERING_CHANGE_NOTICE_DELAY_SECONDS) so that leadership's quick
further changes make one notice, from what people were last told to how it is now. The sweep sends it when
due (`deliveries_claim_due` + `deliveries_send` with the clock set ahead, as the beat and worker would)."""

import datetime as dt
import threading
import time
from email.utils import parseaddr

import pytest
from django.core import mail
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from gatherings import services
from gatherings.models import Gathering
from gatherings.services.notices import CANCELLED, CHANGED
from gatherings.services.scheduling import GATHERING_FIELDS
from reminders import services as outbox
from reminders.models import Delivery, DeliveryState
from tests.gatherings.factories import GatheringFactory, RegistrationFactory, make_region

pytestmark = pytest.mark.django_db

PERSON = "kommer@example.org"


@pytest.fixture(autouse=True)
def _five_minutes(settings):
    settings.GATHERING_CHANGE_NOTICE_DELAY_SECONDS = 300


def _edit(leader, gathering: Gathering, *, reason: str = "Lokalet er dobbeltbooket", **changes) -> Gathering:
    data = {name: getattr(gathering, name) for name in GATHERING_FIELDS}
    data.update(changes)
    return services.gathering_update(actor=leader, gathering=gathering, data=data, reason=reason)


def _sweep(*, minutes: float) -> outbox.SendStats:
    """The beat's sweep and the worker, `minutes` from now: claim what is due then and send it."""
    at = timezone.now() + dt.timedelta(minutes=minutes)
    return outbox.deliveries_send(delivery_ids=outbox.deliveries_claim_due(now=at), now=at)


def _mails_to(address: str):
    return [m for m in mail.outbox if parseaddr(m.to[0])[1] == address]


def _setup():
    r = make_region()
    start = dt.datetime(2026, 12, 16, 9, 0, tzinfo=dt.UTC)  # 10:00 in Oslo
    gathering = GatheringFactory(
        regional_program=r.region, starts_at=start, ends_at=start + dt.timedelta(days=1, hours=6)
    )
    RegistrationFactory(gathering=gathering, municipality=r.municipalities[0], email=PERSON)
    return r, gathering


def test_three_quick_changes_make_one_notice_from_the_first_state_to_the_last(leader):
    r, gathering = _setup()
    first = _edit(
        leader,
        gathering,
        starts_at=gathering.starts_at + dt.timedelta(days=28),
        ends_at=gathering.ends_at + dt.timedelta(days=28),
    )
    assert first.notified == 1 + len(r.groups)
    assert first.notice_due_at is not None
    second = _edit(leader, first, venue="Rådhuset", reason="Feil rom")
    third = _edit(leader, second, ends_at=second.ends_at + dt.timedelta(hours=1), reason="Feil rom")
    assert _sweep(minutes=4).sent == 0  # not yet: a further change could still join it
    assert mail.outbox == []
    stats = _sweep(minutes=5.1)
    person = _mails_to(PERSON)
    assert len(person) == 1
    body = person[0].body
    # from what they were told (the invitation) to how it is now, not from the second state
    assert (
        "Flyttet fra 16. desember 2026 kl. 10:00 – 17. desember 2026 kl. 16:00 "
        "til 13. januar 2027 kl. 10:00 – 14. januar 2027 kl. 17:00." in body
    )
    assert "Nytt sted: Rådhuset, Storgata 1, 6800 Førde (før: Kulturhuset, Storgata 1, 6800 Førde)." in body
    assert "Begrunnelse: Lokalet er dobbeltbooket. Feil rom." in body
    assert stats.sent == 1 + len(r.groups)  # each address once
    assert _sweep(minutes=30).sent == 0  # and never again
    older = Delivery.objects.filter(occasion=CHANGED, recipient_email=PERSON).exclude(
        key=f"gathering:{third.pk}:v{third.sequence}"
    )
    assert {(d.state, d.last_error) for d in older} == {
        (DeliveryState.SUPERSEDED, "Samlingen er endret igjen; den nyeste endringsmeldingen sendes i stedet.")
    }


def test_moved_and_moved_back_sends_nothing_and_leadership_sees_why(client, leader):
    r, gathering = _setup()
    moved = _edit(leader, gathering, venue="Rådhuset")
    back = _edit(leader, moved, venue="Kulturhuset", reason="Likevel ledig")
    assert back.notified == 0
    assert back.notice_withdrawn
    assert _sweep(minutes=10).sent == 0
    assert mail.outbox == []
    row = Delivery.objects.get(occasion=CHANGED, recipient_email=PERSON)
    assert row.state == DeliveryState.SUPERSEDED
    reason = (
        "Endringen ble gjort om før varselet ble sendt: samlingen er igjen slik mottakeren sist fikk beskjed "
        "om, så ingen e-post sendes."
    )
    assert row.last_error == reason
    client.force_login(leader)
    page = client.get(reverse("reminders:delivery_list"), {"vis": "erstattet"}).content.decode()
    assert PERSON in page
    assert reason in page


def test_a_cancellation_in_the_grace_period_goes_at_once_and_alone(leader):
    r, gathering = _setup()
    moved = _edit(leader, gathering, venue="Rådhuset")
    services.gathering_cancel(actor=leader, gathering=moved, reason="For få påmeldte")
    # the cancellation's own task, queued at once (the worker, now, on what is planned)
    planned = Delivery.objects.filter(state=DeliveryState.PLANNED).values_list("pk", flat=True)
    outbox.deliveries_send(delivery_ids=list(planned))
    assert [m.subject.split(":")[0] for m in _mails_to(PERSON)] == ["Avlyst"]
    _sweep(minutes=10)
    assert [m.subject.split(":")[0] for m in _mails_to(PERSON)] == ["Avlyst"]
    assert Delivery.objects.get(occasion=CANCELLED, recipient_email=PERSON).state == DeliveryState.SENT
    changed = Delivery.objects.get(occasion=CHANGED, recipient_email=PERSON)
    assert changed.state == DeliveryState.SUPERSEDED
    assert changed.last_error == "Samlingen ble avlyst før denne ble sendt; avlysningen er sendt i stedet."


def test_a_cancellation_that_replaces_a_waiting_notice_names_the_gathering_as_people_last_heard_it(leader):
    from django.utils.formats import date_format

    r, gathering = _setup()
    told_start = timezone.localtime(gathering.starts_at)
    moved = _edit(
        leader,
        gathering,
        starts_at=gathering.starts_at + dt.timedelta(days=1, hours=-1),
        ends_at=gathering.ends_at + dt.timedelta(days=1, hours=-1),
        venue="Rådhuset",
    )
    new_start = timezone.localtime(moved.starts_at)
    services.gathering_cancel(actor=leader, gathering=moved, reason="For få påmeldte")
    planned = Delivery.objects.filter(state=DeliveryState.PLANNED).values_list("pk", flat=True)
    outbox.deliveries_send(delivery_ids=list(planned))
    (cancellation,) = _mails_to(PERSON)
    html = cancellation.alternatives[0][0]
    for text in (cancellation.body, html):
        assert date_format(told_start, "DATETIME_FORMAT") in text
        assert date_format(new_start, "DATETIME_FORMAT") not in text
        assert "Rådhuset" not in text
    assert gathering.venue in cancellation.body


def test_a_cancellation_after_a_sent_notice_names_the_gathering_as_changed(leader, settings):
    from django.utils.formats import date_format

    settings.GATHERING_CHANGE_NOTICE_DELAY_SECONDS = 0
    r, gathering = _setup()
    moved = _edit(
        leader,
        gathering,
        starts_at=gathering.starts_at + dt.timedelta(days=1, hours=-1),
        ends_at=gathering.ends_at + dt.timedelta(days=1, hours=-1),
    )
    outbox.deliveries_send(  # the change notice is sent: people have heard of the new time
        delivery_ids=list(Delivery.objects.filter(state=DeliveryState.PLANNED).values_list("pk", flat=True))
    )
    services.gathering_cancel(actor=leader, gathering=moved, reason="For få påmeldte")
    outbox.deliveries_send(
        delivery_ids=list(Delivery.objects.filter(state=DeliveryState.PLANNED).values_list("pk", flat=True))
    )
    cancellation = [m for m in _mails_to(PERSON) if m.subject.startswith("Avlyst")][0]
    assert date_format(timezone.localtime(moved.starts_at), "DATETIME_FORMAT") in cancellation.body


def test_a_change_after_a_sent_notice_is_told_from_what_was_sent(leader):
    r, gathering = _setup()
    moved = _edit(leader, gathering, venue="Rådhuset")
    _sweep(minutes=6)
    assert "Nytt sted: Rådhuset, Storgata 1, 6800 Førde (før: Kulturhuset," in _mails_to(PERSON)[0].body
    _edit(leader, moved, venue="Biblioteket", reason="Rådhuset stenger")
    _sweep(minutes=12)
    second = _mails_to(PERSON)[1].body
    assert "Nytt sted: Biblioteket, Storgata 1, 6800 Førde (før: Rådhuset," in second
    assert "Begrunnelse: Rådhuset stenger" in second
    assert "Lokalet er dobbeltbooket" not in second


def test_the_waiting_notice_is_listed_as_upcoming_and_leadership_is_told_when_it_goes(client, leader):
    r, gathering = _setup()
    client.force_login(leader)
    response = client.post(
        reverse("gatherings:edit", args=[gathering.pk]),
        {**_form_data(gathering), "venue": "Rådhuset", "reason": "Lokalet er dobbeltbooket"},
        follow=True,
    )
    page = response.content.decode()
    count = 1 + len(r.groups)
    assert (
        f"Endringsvarsel sendes til {count} personer om 5 minutter. Flere endringer før det samles i ett varsel."
        in page
    )
    upcoming = client.get(reverse("reminders:delivery_list"), {"vis": "kommende"}).content.decode()
    assert PERSON in upcoming
    row = Delivery.objects.get(occasion=CHANGED, recipient_email=PERSON)
    assert (
        "Nytt sted: Rådhuset, Storgata 1, 6800 Førde (før: Kulturhuset," in row.body
    )  # the text that will go


def _form_data(gathering: Gathering) -> dict:
    local = timezone.localtime
    return {
        "kind": gathering.kind,
        "number": gathering.number or "",
        "title": gathering.title,
        "theme": gathering.theme,
        "starts_at": local(gathering.starts_at).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": local(gathering.ends_at).strftime("%Y-%m-%dT%H:%M"),
        "venue": gathering.venue,
        "address": gathering.address,
        "video_link": gathering.video_link,
        "capacity": gathering.capacity or "",
        "registration_deadline": "",
        "preparation": gathering.preparation,
        "semester": gathering.semester_id or "",
        "host_municipality": gathering.host_municipality_id or "",
    }


def test_a_waiting_notice_says_how_the_gathering_is_when_it_goes(leader):
    """An edit that sends no notice of its own (the title) while one waits: the waiting one goes with the
    gathering as it is then, its calendar entry at the current version."""
    r, gathering = _setup()
    moved = _edit(leader, gathering, venue="Rådhuset")
    renamed = _edit(leader, moved, title="Vinterbyen", reason="")
    assert renamed.notified is None  # a new title alone is no reschedule
    _sweep(minutes=6)
    (message,) = _mails_to(PERSON)
    assert "Nytt sted: Rådhuset, Storgata 1, 6800 Førde (før: Kulturhuset," in message.body
    assert "Nytt navn: " in message.body
    assert "Vinterbyen" in message.subject
    event = Calendar.from_ical(message.attachments[0].content).walk("VEVENT")[0]
    assert event["SEQUENCE"] == renamed.sequence


def test_a_change_while_the_worker_sends_the_waiting_notice_is_told_from_what_it_sent(
    transactional_db, leader, settings
):
    """The worker holds the row lock while the mail server takes the notice; the next change waits for it
    and, finding it sent, tells from that state instead of withdrawing a notice that already went."""
    settings.GATHERING_CHANGE_NOTICE_DELAY_SECONDS = 300
    r, gathering = _setup()
    moved = _edit(leader, gathering, venue="Rådhuset")
    row = Delivery.objects.get(occasion=CHANGED, recipient_email=PERSON)
    locked, done = threading.Event(), threading.Event()

    def worker():
        try:
            with transaction.atomic():
                Delivery.objects.select_for_update().get(pk=row.pk)
                locked.set()
                time.sleep(0.5)  # the mail server accepting the message
                Delivery.objects.filter(pk=row.pk).update(state=DeliveryState.SENT, sent_at=timezone.now())
        finally:
            connection.close()
            done.set()

    thread = threading.Thread(target=worker)
    thread.start()
    assert locked.wait(timeout=10)
    _edit(leader, moved, venue="Biblioteket", reason="Rådhuset stenger")
    assert done.is_set()  # the change waited for the worker's commit
    thread.join(timeout=10)
    row.refresh_from_db()
    assert row.state == DeliveryState.SENT
    newer = Delivery.objects.get(occasion=CHANGED, recipient_email=PERSON, state=DeliveryState.PLANNED)
    assert "Nytt sted: Biblioteket, Storgata 1, 6800 Førde (før: Rådhuset," in newer.body


def test_the_edit_page_says_the_notice_waits_and_changes_combine(client, leader, settings):
    _r, gathering = _setup()
    client.force_login(leader)
    page = client.get(reverse("gatherings:edit", args=[gathering.pk])).content.decode()
    assert "beskjed med en oppdatert kalenderoppføring etter 5 minutter." in page
    assert "Endrer du mer før det, kommer alt i én melding." in page
    assert "med en gang" not in page
    settings.GATHERING_CHANGE_NOTICE_DELAY_SECONDS = 60
    assert "etter 1 minutt." in client.get(reverse("gatherings:edit", args=[gathering.pk])).content.decode()
    settings.GATHERING_CHANGE_NOTICE_DELAY_SECONDS = 0
    page = client.get(reverse("gatherings:edit", args=[gathering.pk])).content.decode()
    assert "beskjed med en oppdatert kalenderoppføring med en gang." in page


def test_two_quick_changes_show_the_replaced_notices_as_replaced_not_as_not_sent(client, leader):
    r, gathering = _setup()
    moved = _edit(leader, gathering, venue="Rådhuset")
    _edit(leader, moved, venue="Biblioteket", reason="Rådhuset er opptatt")
    replaced = Delivery.objects.filter(occasion=CHANGED, state=DeliveryState.SUPERSEDED)
    assert replaced.count() == 1 + len(r.groups)  # the first notice, to each address
    client.force_login(leader)
    page = client.get(reverse("reminders:delivery_list")).content.decode()
    assert '<dd class="col-sm-8" data-testid="count-not-sent">0</dd>' in page
    assert f'data-testid="count-superseded">{replaced.count()} ' in page
    assert f'Erstattet <span class="badge text-bg-secondary">{replaced.count()}</span>' in page
    assert 'Ikke sendt <span class="badge text-bg-secondary">0</span>' in page
    listed = client.get(reverse("reminders:delivery_list"), {"vis": "erstattet"}).content.decode()
    assert PERSON in listed
    assert "Samlingen er endret igjen; den nyeste endringsmeldingen sendes i stedet." in listed
    assert "Kan ikke sendes nå" not in listed
    assert "Send nå" not in listed
    assert (
        PERSON not in client.get(reverse("reminders:delivery_list"), {"vis": "ikke-sendt"}).content.decode()
    )
