"""Sessions saved with a date after today, before such a date was refused: nothing of them is changed, the
advisor sees each one flagged «Dato i fremtiden – rett datoen» (the log and the dashboard), and the last meeting
shown is the last one held."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import formats, timezone, translation

from guidance.models import GuidanceSession
from tests.guidance.factories import AgreementFactory, SessionFactory, advisor

pytestmark = pytest.mark.django_db

FLAG = "Dato i fremtiden – rett datoen"


@pytest.fixture
def saved_ahead():
    vera = advisor(full_name="Vera Veileder")
    agreement = AgreementFactory(advisors=[vera], municipality__name="Sunnfjord")
    today = timezone.localdate()
    held = SessionFactory(agreement=agreement, advisor=vera, held_on=today - dt.timedelta(days=60))
    ahead = SessionFactory(agreement=agreement, advisor=vera, held_on=today + dt.timedelta(days=30))
    other = AgreementFactory(advisors=[vera], municipality__name="Kinn")
    SessionFactory(agreement=other, advisor=vera, held_on=today - dt.timedelta(days=3))
    return vera, agreement, held, ahead


def _date(day):
    with translation.override("nb"):
        return formats.date_format(day, "DATE_FORMAT")


def test_the_log_flags_the_session_dated_after_today_and_only_that_one(client, saved_ahead):
    vera, agreement, held, ahead = saved_ahead
    client.force_login(vera)
    html = client.get(reverse("guidance:agreement_detail", args=[agreement.pk])).content.decode()
    articles = {
        m.group(1): m.group(0)
        for m in re.finditer(r'<article[^>]*aria-labelledby="session-(\d+)".*?</article>', html, re.S)
    }
    assert FLAG in articles[str(ahead.pk)]
    assert FLAG not in articles[str(held.pk)]
    assert html.count(FLAG) == 1
    # Nothing of it was changed: the date is the advisor's to correct.
    assert GuidanceSession.objects.get(pk=ahead.pk).held_on == ahead.held_on


def test_the_dashboard_names_the_municipality_and_shows_the_last_meeting_held(client, saved_ahead):
    vera, agreement, held, ahead = saved_ahead
    client.force_login(vera)
    html = client.get("/").content.decode()
    flagged = re.search(r'data-testid="future-dated">(.*?)</div>', html, re.S)
    assert flagged, "the dashboard does not say that a session has a date in the future"
    assert f"{FLAG}:" in flagged.group(1)
    assert "Sunnfjord</a> (1 møte)" in flagged.group(1)
    assert "Kinn" not in flagged.group(1)
    row = re.search(r"<tr><th scope=\"row\"><a [^>]*>Sunnfjord</a>.*?</tr>", html, re.S).group(0)
    assert _date(held.held_on) in row  # «Siste møte»: the last one held
    assert _date(ahead.held_on) not in row


def test_once_its_date_is_corrected_nothing_is_flagged(client, saved_ahead):
    vera, agreement, held, ahead = saved_ahead
    GuidanceSession.objects.filter(pk=ahead.pk).update(held_on=timezone.localdate() - dt.timedelta(days=1))
    client.force_login(vera)
    assert FLAG not in client.get("/").content.decode()
    assert FLAG not in client.get(reverse("guidance:agreement_detail", args=[agreement.pk])).content.decode()
