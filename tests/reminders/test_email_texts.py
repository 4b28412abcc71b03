"""The reminder e-mails speak to the recipients one way: «dere» (the branch or municipality), never «du»."""

import re
from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string
from django.utils.html import strip_tags

SECOND_PERSON_SINGULAR = re.compile(r"\b(du|deg|din|ditt|dine)\b", re.IGNORECASE)

BRANCH = SimpleNamespace(email="mr@example.org", name="Norsk kulturskoleråd Møre og Romsdal")
CASES = [
    (
        "reminders/email/interest_deadline",
        {"branch": BRANCH, "program": SimpleNamespace(name="Regionale program 2031")},
    ),
    (
        "reminders/email/application_deadline",
        {
            "municipality": SimpleNamespace(name="Ålesund"),
            "regional_program": SimpleNamespace(name="Sunnmøre"),
        },
    ),
    (
        "reminders/email/application_deadline",
        {
            "municipality": SimpleNamespace(name="Ålesund"),
            "regional_program": SimpleNamespace(name="Sunnmøre"),
            "variant": "draft",
        },
    ),
]


@pytest.mark.parametrize(("template", "context"), CASES, ids=["interest", "application", "application-draft"])
@pytest.mark.parametrize("ext", ["txt", "html"])
def test_reminder_text_says_dere_throughout(template, context, ext):
    context = {
        "recipient": BRANCH,
        "deadline": "15. september 2031 kl. 23:59",
        "link": "https://example.org/lenke/",
        **context,
    }
    text = strip_tags(render_to_string(f"{template}.{ext}", context))
    subject = render_to_string(f"{template}_subject.txt", context)
    assert "Hei Norsk kulturskoleråd Møre og Romsdal," in text
    assert "15. september 2031 kl. 23:59" in text
    assert "kan dere se bort fra denne e-posten" in text
    assert not SECOND_PERSON_SINGULAR.search(text), SECOND_PERSON_SINGULAR.findall(text)
    assert not SECOND_PERSON_SINGULAR.search(subject)
