"""Migration 0002 brings older rows into the agreed details shape (English keys, JSON values)."""

import importlib

import pytest
from django.apps import apps

from audit.models import AuditEntry

migration = importlib.import_module("audit.migrations.0002_details_one_shape")
pytestmark = pytest.mark.django_db


def _row(action, details):
    return AuditEntry.objects.create(action=action, details=details)


def test_older_rows_get_english_keys_and_json_values():
    reminders = _row(
        "reminders.occasion_setting.updated",
        {
            "anledning": "x",
            "endringer": {
                "offsets_days": {"fra": "[7]", "til": "[5, 1]"},
                "paused": {"fra": "False", "til": "True"},
            },
        },
    )
    role = _row(
        "accounts.role.added",
        {"rolle": "Veileder", "_rolle": "advisor", "_rolle_id": 4, "kommune": {"id": 1, "navn": "Sunnfjord"}},
    )
    branch = _row(
        "municipalities.branch.updated",
        {"aktiv": {"fra": "ja", "til": "nei"}, "e-post": {"fra": None, "til": "a@b.no"}},
    )
    text = _row(
        "applications.municipal_group.member_updated", {"role_title": {"fra": "Rektor", "til": "2025-02-30"}}
    )
    new = _row("programs.program.updated", {"changed_fields": {"name": {"from": "A", "to": "B"}}})
    review = _row("applications.review.saved", {"poeng": {"5": 4}})
    decided = _row(
        "applications.application.decided", {"fra": "submitted", "vedtak": "accepted", "før_fristen": False}
    )

    migration.forwards(apps, None)

    for row in (reminders, role, branch, text, new, review, decided):
        row.refresh_from_db()
    assert reminders.details == {
        "occasion": "x",
        "changes": {"offsets_days": {"from": [7], "to": [5, 1]}, "paused": {"from": False, "to": True}},
    }
    assert role.details == {
        "role": "Veileder",
        "_assignment_id": 4,
        "municipality": {"id": 1, "name": "Sunnfjord"},
    }
    assert branch.details == {
        "is_active": {"from": True, "to": False},
        "email": {"from": None, "to": "a@b.no"},
    }
    assert text.details == {"role_title": {"from": "Rektor", "to": "2025-02-30"}}  # a text stays text
    assert new.details == {"changed_fields": {"name": {"from": "A", "to": "B"}}}
    assert review.details == {"scores": {"5": 4}}
    assert decided.details == {"from": "submitted", "outcome": "accepted", "before_deadline": False}


def test_older_rows_still_read_the_same_in_the_log(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory(leadership=True))
    _row(
        "accounts.role.added",
        {"rolle": "Veileder", "_rolle": "advisor", "kommune": {"id": 1, "navn": "Sunnfjord"}},
    )
    before = client.get("/logg/").content.decode()
    migration.forwards(apps, None)
    after = client.get("/logg/").content.decode()
    for html in (before, after):
        assert "Rolle:</span> Veileder" in html
        assert "Kommune:</span> Sunnfjord" in html
