"""Property-based fuzzing of every form: each page in the permission matrix that shows a POST form is posted
hostile values by a role that reaches it. Never a server error, and never an English (untranslated) message.

The forms are found, not listed: the fields come from the page's own HTML, so a new form is fuzzed as soon as
its URL has an entry in the matrix. Examples are few (`max_examples`) and hypothesis keeps no database.
Out-of-scope writes are the permission matrix's job (every refused POST there leaves the database as it was).
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tests.security.test_permission_matrix import MISSING_ID, PATTERNS, TABLE, _undone, _url, world

HOSTILE = st.one_of(
    st.text(max_size=40),  # arbitrary Unicode, NUL and control characters included
    st.sampled_from(
        [
            "",
            "\x00",
            "a\x00b",
            "x" * 30_000,
            "٣",
            "²",
            "１２",
            "9223372036854775808",
            "-1",
            "0",
            "1e309",
            "NaN",
            "2026-13-45",
            "31.02.2026",
            "99999-01-01",
            "25:61",
            "on",
            "true",
            "[]",
            "{}",
            "<script>alert(1)</script>",
            "=cmd|' /C calc'!A0",
            str(MISSING_ID),
        ]
    ),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
)
ENGLISH = re.compile(
    r"This field is required|Enter a valid|Select a valid choice|Ensure this value|is not a valid|"
    r"Null characters are not allowed|Enter a whole number|Enter a number"
)
FIELD = re.compile(r'<(?:input|select|textarea)\b[^>]*\bname="([^"]+)"[^>]*>', re.S)


def _post_forms(html: str) -> list[str]:
    return re.findall(r'<form\b[^>]*method="post"[^>]*>(.*?)</form>', html, flags=re.S | re.I)


def _fuzzer(url: str, client, role: str, fields: list[str]):
    @hypothesis_settings(
        max_examples=4,
        database=None,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(
        values=st.fixed_dictionaries({}, optional={f: HOSTILE for f in fields}),
        duplicated=st.lists(st.sampled_from(fields), max_size=2),
    )
    def post_hostile(values, duplicated):
        payload: dict[str, list[str]] = {k: [v] for k, v in values.items()}
        for field in duplicated:
            payload.setdefault(field, []).append("1")
        with _undone():
            response = client.post(url, payload)
        assert response.status_code < 500, f"{url} som {role}: {response.status_code} for {payload!r:.300}"
        if "text/html" in response.get("Content-Type", ""):
            english = ENGLISH.search(response.content.decode())
            assert english is None, f"{url}: engelsk melding «{english.group(0)}» for {payload!r:.300}"

    return post_hostile


APPS = sorted({name.split(":")[0] for name, *_ in PATTERNS} - {"None"})


@pytest.mark.parametrize("app", APPS)
def test_every_form_survives_hostile_input(app, db, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    data = world()
    a = data["sides"]["A"]
    fuzzed = []
    for name, _text, _ints, all_args in PATTERNS:
        entry = TABLE.get(name)
        if not name.startswith(app + ":") or entry is None or entry.gate == "public" or not entry.reach:
            continue
        url = _url(name, entry, all_args, a)
        if url is None:
            continue
        role = "leadership" if "leadership" in entry.reach else sorted(entry.reach)[0]
        if role == "superuser":
            continue
        client = Client()
        client.force_login(data["users"][role])
        page = client.get(url)
        if page.status_code != 200 or "text/html" not in page.get("Content-Type", ""):
            continue
        forms = _post_forms(page.content.decode())
        fields = sorted(
            {f for form in forms for f in FIELD.findall(form)} - {"csrfmiddlewaretoken", "next", "language"}
        )
        if not fields:
            continue
        fuzzed.append(name)

        _fuzzer(url, client, role, fields)()
    if app != "audit":  # the action log has filters (GET) and no form
        assert fuzzed, f"fant ingen skjema å teste i {app}"
