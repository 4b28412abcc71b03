"""Deadline arithmetic in Europe/Oslo, across the change to and from summer time, and leadership's texts."""

import datetime as dt
from zoneinfo import ZoneInfo

from reminders.occasions import (
    PLACEHOLDERS,
    deadline_display,
    fill_placeholders,
    has_stray_brace,
    placeholder_errors,
    reminder_times,
    unknown_placeholders,
)

OSLO = ZoneInfo("Europe/Oslo")
UTC = dt.UTC


def _oslo(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=OSLO)


def test_reminders_across_the_change_to_summer_time_stay_at_eight_oslo_time():
    deadline = _oslo(2026, 3, 30, 23, 59)  # summer time began Sunday 29 March at 02:00
    times = {offset: planned for offset, planned, _expires in reminder_times(deadline, [14, 3, 1])}

    assert times[14] == dt.datetime(2026, 3, 16, 7, 0, tzinfo=UTC)  # 08:00 CET (UTC+1)
    assert times[3] == dt.datetime(2026, 3, 27, 7, 0, tzinfo=UTC)
    assert times[1] == dt.datetime(2026, 3, 29, 6, 0, tzinfo=UTC)  # 08:00 CEST (UTC+2), the day of the change
    assert all(t.astimezone(OSLO).hour == 8 for t in times.values())


def test_reminders_across_the_change_to_winter_time_stay_at_eight_oslo_time():
    deadline = _oslo(2026, 10, 26, 23, 59)  # winter time began Sunday 25 October at 03:00
    times = {offset: planned for offset, planned, _expires in reminder_times(deadline, [14, 3, 1])}

    assert times[14] == dt.datetime(2026, 10, 12, 6, 0, tzinfo=UTC)  # 08:00 CEST
    assert times[3] == dt.datetime(2026, 10, 23, 6, 0, tzinfo=UTC)
    assert times[1] == dt.datetime(2026, 10, 25, 7, 0, tzinfo=UTC)  # 08:00 CET, the day of the change
    assert all(t.astimezone(OSLO).hour == 8 for t in times.values())


def test_each_reminder_expires_when_the_next_is_due_and_the_last_at_the_deadline():
    deadline = _oslo(2026, 9, 15, 23, 59)
    result = reminder_times(deadline, [1, 14, 3, 3])
    assert [offset for offset, _p, _e in result] == [14, 3, 1]
    assert result[0][2] == result[1][1]
    assert result[1][2] == result[2][1]
    assert result[2][2] == deadline.astimezone(UTC)


def test_a_reminder_that_would_come_after_the_deadline_is_left_out():
    deadline = _oslo(2026, 9, 15, 7, 0)  # before 08:00 on the day itself
    assert [o for o, _p, _e in reminder_times(deadline, [1, 0])] == [1]


def test_deadline_is_shown_in_oslo_time_the_norwegian_way():
    assert deadline_display(dt.datetime(2026, 9, 15, 21, 59, tzinfo=UTC)) == "15. september 2026 kl. 23:59"
    assert deadline_display(dt.datetime(2026, 1, 15, 22, 59, tzinfo=UTC)) == "15. januar 2026 kl. 23:59"


def test_leadership_placeholders_are_filled_and_unknown_ones_reported():
    text = "Hei {navn}, fristen er {frist}. {ukjent}"
    assert fill_placeholders(text, {"navn": "Kari", "frist": "15. september"}) == (
        "Hei Kari, fristen er 15. september. {ukjent}"
    )
    assert unknown_placeholders(text) == ["ukjent"]
    assert unknown_placeholders("Hei {navn}") == []
    assert unknown_placeholders("Hei {navn:x} {0} {}") == ["navn:x", "0", ""]
    assert not has_stray_brace("Hei {navn}, frist {frist}")
    assert has_stray_brace("Ødelagt {")
    assert has_stray_brace("Ødelagt } her")


def test_filling_leadership_text_never_fails_on_what_python_formatting_would_choke_on():
    values = {"navn": "Kari", "lenke": "https://example.org/"}
    for text in ["{navn:x}", "{0}", "{", "}", "{{navn}}", "{navn!r}", "{lenke.__class__}", "{}"]:
        assert fill_placeholders(text, values) == text.replace("{navn}", "Kari")
    assert fill_placeholders("Hei {navn}!", values) == "Hei Kari!"


def test_placeholder_errors_are_norwegian_and_say_what_to_do():
    assert placeholder_errors("Hei {navn}", PLACEHOLDERS) == []
    (unknown,) = placeholder_errors("Husk fristen {navn:x}", PLACEHOLDERS)
    assert "Ukjent felt: {navn:x}" in unknown
    assert "Feltene du kan bruke her: {navn}, {frist}, {program}, {lenke}." in unknown
    # an occasion's own fields are allowed, and named, for that occasion only
    own = {**PLACEHOLDERS, "samling": "samlingens navn"}
    assert placeholder_errors("Velkommen til {samling}", own) == []
    (unknown,) = placeholder_errors("Velkommen til {samling}", PLACEHOLDERS)
    assert "Ukjent felt: {samling}" in unknown
    assert "{samling}" not in unknown.split(":", 2)[2]
    (stray,) = placeholder_errors("Husk { fristen", PLACEHOLDERS)
    assert "brukes bare rundt et felt" in stray
