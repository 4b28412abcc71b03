"""One format for date-times and one for dates, everywhere, in the reader's language (issue 12: four formats)."""

import datetime as dt
import re
from pathlib import Path

from django.conf import settings
from django.template import Context, Template
from django.utils import translation

from core.dates import date_display, datetime_display

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
