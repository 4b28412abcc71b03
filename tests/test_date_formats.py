"""One format for date-times and one for dates, everywhere, in the reader's language (issue 12: four formats)."""

import datetime as dt
import re
from pathlib import Path

from django.conf import settings
from django.template import Context, Template
from django.utils import translation

from core.dates import date_display, date_range_display, datetime_display, span_display

MOMENT = dt.datetime(2027, 9, 15, 21, 59, tzinfo=dt.UTC)  # 23:59 in Oslo (summer time)


def test_bokmal_and_english_each_have_one_date_and_one_datetime_format():
    with translation.override("nb"):
        assert datetime_display(MOMENT) == "15. september 2027 kl. 23:59"
        assert date_display(MOMENT) == "15. september 2027"
        assert date_display(dt.date(2027, 2, 1)) == "1. februar 2027"
        rendered = Template('{{ m|date:"DATETIME_FORMAT" }} / {{ m|date }}').render(Context({"m": MOMENT}))
        assert rendered == "15. september 2027 kl. 23:59 / 15. september 2027"
    with translation.override("en"):
        assert datetime_display(MOMENT) == "15 September 2027, 23:59"
        assert date_display(MOMENT) == "15 September 2027"


def test_a_range_of_days_and_a_stretch_of_time_read_as_short_as_they_can():
    d = dt.date
    with translation.override("nb"):
        assert date_range_display(d(2026, 12, 16), d(2026, 12, 16)) == "16. desember 2026"
        assert date_range_display(d(2026, 12, 16), d(2026, 12, 17)) == "16.–17. desember 2026"
        assert date_range_display(d(2026, 11, 30), d(2026, 12, 1)) == "30. november – 1. desember 2026"
        assert date_range_display(d(2026, 12, 31), d(2027, 1, 1)) == "31. desember 2026 – 1. januar 2027"
        start = dt.datetime(2026, 12, 16, 9, tzinfo=dt.UTC)  # 10:00 in Oslo
        assert span_display(start, start + dt.timedelta(hours=5)) == "16. desember 2026 kl. 10:00–15:00"
        assert (
            span_display(start, start + dt.timedelta(days=1, hours=5))
            == "16. desember 2026 kl. 10:00 – 17. desember 2026 kl. 15:00"
        )


def test_no_template_or_module_writes_a_date_its_own_way():
    base = Path(settings.BASE_DIR)
    # a date with a year written its own way; machine formats (c, Y-m-d, Ymd) and a bare time are not dates
    own_format = re.compile(r'\|date:"(?!DATE_FORMAT"|DATETIME_FORMAT"|c"|Y-m-d|Ymd)[^"]*Y[^"]*"')
    templates = [
        str(p.relative_to(base))
        for p in (base / "templates").rglob("*")
        # the log's own templates belong to the audit engineer; they already write the same format
        if p.is_file()
        and "audit" not in p.parts
        and own_format.search(p.read_text(encoding="utf-8", errors="ignore"))
    ]
    assert templates == []
    python_format = re.compile(r'strftime\("%d\.%m|:%d\.%m\.%Y|"j\. F Y')
    modules = [
        str(p.relative_to(base))
        for app in (
            "accounts",
            "applications",
            "programs",
            "reminders",
            "municipalities",
            "gatherings",
            "guidance",
            "core",
        )
        for p in (base / app).rglob("*.py")
        if "migrations" not in p.parts and python_format.search(p.read_text(encoding="utf-8"))
    ]
    # model names kept for the audit log (its engineer owns how those read) are the known exceptions
    assert set(modules) <= {
        "programs/models.py",
        "reminders/models.py",
        "applications/models.py",
        "gatherings/models.py",
        "guidance/models.py",
    }
