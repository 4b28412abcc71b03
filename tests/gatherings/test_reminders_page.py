"""Leadership's reminders page after a gathering is cancelled: the reminders leave «Kommende» at once, the rows
under «Ikke sendt» say which gathering and why, and «Send nå» is never offered (or claimed) for what the worker
would skip."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gatherings import services
from gatherings.models import Gathering, GatheringStatus
from gatherings.reminders import BETWEEN_WORK_DUE, PREPARATION, REGISTRATION_NUDGE
from reminders import services as outbox
from reminders.models import Delivery, DeliveryState
from reminders.services import planning
from reminders.tasks import deliveries_replan
from tests.gatherings.factories import GatheringFactory, RegistrationFactory, make_region, oslo

pytestmark = pytest.mark.django_db

START = oslo(2030, 9, 10, 10)
LIST = reverse("reminders:delivery_list")


def _gathering(r, *, later_days: int = 0, **kw):
    start = START + dt.timedelta(days=later_days)
    defaults = dict(
        regional_program=r.region,
        title="Ledelse og medvirkning",
        number=3,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=6),
        registration_deadline=start - dt.timedelta(days=10),
        between_work="Skriv gjort – lært – lurt.",
        between_work_due=start + dt.timedelta(days=30),
    )
    defaults.update(kw)
    return GatheringFactory(**defaults)


def _table(html: str, testid: str) -> str:
    return re.search(rf'<table[^>]*data-testid="{testid}".*?</table>', html, flags=re.DOTALL).group(0)


def _rows(table: str) -> list[str]:
    return re.findall(r'<tr role="row">.*?</tr>', table, flags=re.DOTALL)[1:]  # without the header row


def _planned_region(**kw):
    r = make_region(members=1)
    gathering = _gathering(r, **kw)
    RegistrationFactory(gathering=gathering, municipality=r.municipalities[0], email="deltaker@example.org")
    outbox.deliveries_plan(codes=[REGISTRATION_NUDGE, PREPARATION, BETWEEN_WORK_DUE])
    return r, gathering


def _cancel(leader, gathering, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.gathering_cancel(actor=leader, gathering=gathering, reason="For få påmeldte")


def test_a_cancelled_gatherings_reminders_leave_upcoming_at_once(
    client, leader, django_capture_on_commit_callbacks
):
    r, gathering = _planned_region()
    other = _gathering(r, title="Samskaping", number=4, later_days=60)
    outbox.deliveries_plan(codes=[PREPARATION, REGISTRATION_NUDGE])
    client.force_login(leader)
    upcoming = _table(client.get(LIST, {"vis": "kommende"}).content.decode(), "upcoming")
    assert "Samling 3: Ledelse og medvirkning (10.09.2030)" in upcoming

    _cancel(leader, gathering, django_capture_on_commit_callbacks)  # no sweep runs

    upcoming = _table(client.get(LIST, {"vis": "kommende"}).content.decode(), "upcoming")
    assert "Ledelse og medvirkning" not in upcoming
    assert "Samling 4: Samskaping" in upcoming  # the other gathering's reminders are left alone
    assert not Delivery.objects.filter(
        scope=f"gathering:{gathering.pk}", state=DeliveryState.PLANNED
    ).exists()
    assert Delivery.objects.filter(scope=f"gathering:{other.pk}", state=DeliveryState.PLANNED).exists()


def test_a_moved_gathering_moves_its_reminders_at_once(leader, django_capture_on_commit_callbacks):
    r, gathering = _planned_region()
    data = {name: getattr(gathering, name) for name in services.scheduling.GATHERING_FIELDS}
    data.update(starts_at=START + dt.timedelta(days=7), ends_at=START + dt.timedelta(days=7, hours=6))
    with django_capture_on_commit_callbacks(execute=True):
        services.gathering_update(actor=leader, gathering=gathering, data=data, reason="Lokalet er opptatt")
    row = Delivery.objects.get(occasion=PREPARATION, state=DeliveryState.PLANNED)
    # 7 days before the new start, at 08:00 Oslo time
    assert row.planned_at == oslo(2030, 9, 10, 8)


def test_with_the_planner_busy_and_the_broker_down_cancelling_still_works(
    leader, monkeypatch, django_capture_on_commit_callbacks
):
    r, gathering = _planned_region()
    queued = []

    def broker_down(*args, **kwargs):
        queued.append(kwargs)
        raise ConnectionError("redis nede")

    monkeypatch.setattr(planning, "_try_plan_lock", lambda: False)  # a sweep is planning right now
    monkeypatch.setattr(deliveries_replan, "apply_async", broker_down)
    _cancel(leader, gathering, django_capture_on_commit_callbacks)
    assert Gathering.objects.get(pk=gathering.pk).status == GatheringStatus.CANCELLED
    assert queued  # it asked for a retry; the next sweep plans it anyway


def test_rows_of_a_cancelled_gathering_say_what_and_why_and_offer_no_send_now(
    client, leader, django_capture_on_commit_callbacks
):
    r, gathering = _planned_region()
    live = _gathering(r, title="Samskaping", number=4, later_days=60)
    RegistrationFactory(gathering=live, municipality=r.municipalities[0], email="kommer@example.org")
    outbox.deliveries_plan(codes=[PREPARATION])
    # a reminder of the live gathering that was found too late can still be sent now
    too_late = Delivery.objects.filter(occasion=PREPARATION, scope=f"gathering:{live.pk}").first()
    Delivery.objects.filter(pk=too_late.pk).update(state=DeliveryState.MISSED)
    _cancel(leader, gathering, django_capture_on_commit_callbacks)
    mail.outbox.clear()

    client.force_login(leader)
    html = client.get(LIST, {"vis": "ikke-sendt"}).content.decode()
    rows = _rows(_table(html, "not-sent"))
    withdrawn = [row for row in rows if "Ledelse og medvirkning" in row]
    assert withdrawn
    for row in withdrawn:
        assert "Gjelder ikke lenger" in row
        assert "Samlingen ble avlyst." in row
        assert "Send nå" not in row
        assert "Kan ikke sendes nå." in row
    nudge = next(row for row in withdrawn if "Påmeldingsfrist for samling" in row)
    assert "Samling 3: Ledelse og medvirkning (10.09.2030), påmeldingsfrist 31. august 2030" in nudge
    (missed,) = [row for row in rows if too_late.recipient_email in row]
    assert "Samling 4: Samskaping" in missed
    assert "Send nå" in missed

    # and posting «Send nå» anyway (an old page) says why instead of claiming it sends
    row = Delivery.objects.filter(scope=f"gathering:{gathering.pk}", occasion=PREPARATION).first()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reminders:delivery_resend", args=[row.pk]),
            {"next": f"{LIST}?vis=ikke-sendt"},
            follow=True,
        )
    page = response.content.decode()
    assert "Samlingen ble avlyst." in page
    assert f"E-posten til {row.recipient_email} sendes nå" not in page
    assert Delivery.objects.get(pk=row.pk).state == DeliveryState.CANCELLED
    assert mail.outbox == []


def test_a_skipped_reminder_says_which_gathering_and_why(client, leader):
    r, gathering = _planned_region()
    row = Delivery.objects.filter(occasion=BETWEEN_WORK_DUE).earliest("planned_at")
    # cancelled behind the planner's back: the worker finds out when it sends
    Gathering.objects.filter(pk=gathering.pk).update(status=GatheringStatus.CANCELLED)
    outbox.deliveries_send(delivery_ids=[row.pk], now=row.planned_at)
    assert Delivery.objects.get(pk=row.pk).state == DeliveryState.SKIPPED
    client.force_login(leader)
    html = client.get(LIST, {"vis": "ikke-sendt"}).content.decode()
    (shown,) = [
        tr
        for tr in _rows(_table(html, "not-sent"))
        if "Frist for mellomarbeid" in tr and row.recipient_email in tr
    ]
    assert "Hoppet over" in shown
    assert "Samlingen ble avlyst." in shown
    assert "Samling 3: Ledelse og medvirkning (10.09.2030), frist 10. oktober 2030" in shown
    assert "Send nå" not in shown


def test_the_not_sent_tab_has_one_name_and_explains_its_statuses(client, leader):
    client.force_login(leader)
    html = client.get(LIST, {"vis": "ikke-sendt"}).content.decode()
    assert "Hoppet over, for sent eller avbrutt" not in html
    assert "Hoppet over (gjelder ikke lenger)" not in html
    assert re.search(r'aria-current="page"[^>]*>Ikke sendt <span', html)  # the tab
    assert re.search(r"<dt[^>]*>Ikke sendt</dt>", html)  # the summary
    assert "Ikke sendt, de siste først" in _table(html, "not-sent")  # the list's caption
    legend = re.search(r'data-testid="status-legend".*?</details>', html, flags=re.DOTALL).group(0)
    for status in ("Gjelder ikke lenger", "Hoppet over", "For sent", "Avbrutt av programledelsen"):
        assert f">{status}</dt>" in legend


def test_the_not_sent_list_asks_the_occasions_in_the_same_number_of_queries_for_few_and_many(
    client, leader, django_capture_on_commit_callbacks
):
    client.force_login(leader)
    counts = []
    for _ in range(2):
        r, gathering = _planned_region()
        for n in range(8 if counts else 0):
            RegistrationFactory(
                gathering=gathering, municipality=r.municipalities[0], email=f"flere{n}@example.org"
            )
        outbox.deliveries_plan(codes=[PREPARATION])
        _cancel(leader, gathering, django_capture_on_commit_callbacks)
        Delivery.objects.filter(occasion=BETWEEN_WORK_DUE).update(state=DeliveryState.SKIPPED)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(LIST, {"vis": "ikke-sendt"}).status_code == 200
        counts.append(len(captured.captured_queries))
    assert Delivery.objects.exclude(state=DeliveryState.PLANNED).count() > 20
    assert counts[0] == counts[1]


def test_the_settings_preview_passes_over_a_cancelled_gatherings_reminders(client, leader):
    r, gathering = _planned_region()
    live = _gathering(r, title="Samskaping", number=4, later_days=60)
    RegistrationFactory(gathering=live, municipality=r.municipalities[0], email="kommer@example.org")
    outbox.deliveries_plan(codes=[PREPARATION])
    # cancelled behind the planner's back: its rows are still planned and come first
    Gathering.objects.filter(pk=gathering.pk).update(status=GatheringStatus.CANCELLED)
    client.force_login(leader)
    program = r.region.program
    html = client.get(
        reverse("reminders:occasion_setting_edit", args=[program.pk, PREPARATION])
    ).content.decode()
    assert "Slik blir e-posten til kommer@example.org" in html
