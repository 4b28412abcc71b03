import datetime as dt

from programs.templatetags.programs_tags import invitation_format, time_left_text
from programs.timing import OSLO, deadline_closes_at, deadline_is_open


def test_invitation_format_makes_paragraphs_lists_and_headings_and_escapes():
    html = invitation_format("Første avsnitt\nfortsetter\n\n## Mål\n- én <b>\n- to\nEtter lista")
    assert html == (
        "<p>Første avsnitt<br>fortsetter</p>\n"
        '<h2 class="h4 mt-4">Mål</h2>\n'
        "<ul><li>én &lt;b&gt;</li><li>to</li></ul>\n"
        "<p>Etter lista</p>"
    )
    assert invitation_format("") == ""


def test_time_left_text_in_norwegian():
    assert time_left_text(dt.timedelta(days=2, hours=3)) == "2 dager og 3 timer igjen"
    assert time_left_text(dt.timedelta(days=1, hours=1)) == "1 dag og 1 time igjen"
    assert time_left_text(dt.timedelta(hours=5, minutes=7)) == "5 timer og 7 minutter igjen"
    assert time_left_text(dt.timedelta(seconds=20)) == "1 minutt igjen"
    assert time_left_text(dt.timedelta(0)) == "fristen er ute"


def test_a_deadline_at_2359_closes_at_midnight_even_when_the_clock_changes():
    deadline = dt.datetime(2026, 10, 25, 23, 59, tzinfo=OSLO)
    assert deadline_closes_at(deadline) == dt.datetime(2026, 10, 26, 0, 0, tzinfo=OSLO)
    assert deadline_is_open(deadline, dt.datetime(2026, 10, 25, 22, 59, 59, tzinfo=dt.UTC))  # 23:59:59 CET
    assert not deadline_is_open(deadline, dt.datetime(2026, 10, 25, 23, 0, 0, tzinfo=dt.UTC))  # 00:00 CET
