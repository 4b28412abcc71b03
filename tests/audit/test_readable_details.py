"""What a leader reads in the audit log: labels without developer codes, each changed field on its own line,
empty values as «ikke satt», and no unchanged text logged as a change."""

import datetime as dt
import re

import pytest

from audit.models import AuditEntry
from audit.services import audit_log, changed_fields
from gatherings import services
from gatherings.services.scheduling import GATHERING_FIELDS
from tests.factories import UserFactory
from tests.gatherings.factories import GatheringFactory, make_region

pytestmark = pytest.mark.django_db


@pytest.fixture
def leader(client):
    user = UserFactory(full_name="Liv Leder", leadership=True)
    client.force_login(user)
    return user


def _visible_text(html: str) -> str:
    """The page as a person reads it: no tags, so no attributes (a title is a tooltip, not text)."""
    return re.sub(r"<[^>]+>", " ", html)


def _details_cells(html: str) -> str:
    return "\n".join(re.findall(r'<td class="small">(.*?)</td>', html, flags=re.DOTALL))


def test_the_action_code_is_no_text_on_the_page_only_the_labels_title(client, leader):
    gathering = GatheringFactory(regional_program=make_region().region)
    audit_log(actor=leader, action="gatherings.gathering.rescheduled", obj=gathering, details={})
    html = client.get("/logg/").content.decode()
    assert '<span title="gatherings.gathering.rescheduled">Samling flyttet (tid eller sted)</span>' in html
    assert "gatherings.gathering.rescheduled" not in _visible_text(html)
    assert "<code" not in html
    # the filter still finds it by its code
    html = client.get("/logg/", {"action": "gatherings.gathering.rescheduled"}).content.decode()
    assert "1 loggføring" in html


def test_a_text_posted_with_crlf_is_no_change():
    gathering = GatheringFactory(
        regional_program=make_region().region, preparation="Å lede utviklingsarbeid\nLes kapittel 2."
    )
    posted = "Å lede utviklingsarbeid\r\nLes kapittel 2.  "
    assert changed_fields(gathering, {"preparation": posted}) == {}
    assert changed_fields(gathering, {"preparation": posted + " Ta med PC."}) != {}


def test_moving_a_gathering_logs_the_time_not_its_unchanged_preparation(client, leader):
    gathering = GatheringFactory(
        regional_program=make_region().region,
        starts_at=dt.datetime(2026, 12, 16, 9, 0, tzinfo=dt.UTC),
        ends_at=dt.datetime(2026, 12, 16, 15, 0, tzinfo=dt.UTC),
        preparation="Å lede utviklingsarbeid\nLes kapittel 2.",
    )
    data = {name: getattr(gathering, name) for name in GATHERING_FIELDS}
    # as a browser posts the form: the textarea's line breaks as \r\n
    data.update(
        preparation="Å lede utviklingsarbeid\r\nLes kapittel 2.",
        starts_at=dt.datetime(2026, 12, 17, 9, 0, tzinfo=dt.UTC),
        ends_at=dt.datetime(2026, 12, 17, 15, 0, tzinfo=dt.UTC),
    )
    moved = services.gathering_update(
        actor=leader, gathering=gathering, data=data, reason="Lokalet er opptatt"
    )
    entry = AuditEntry.objects.get(action="gatherings.gathering.rescheduled")
    assert set(entry.details["fields"]) == {"starts_at", "ends_at"}
    moved.refresh_from_db()
    assert moved.preparation == "Å lede utviklingsarbeid\nLes kapittel 2."  # kept as stored
    details = _details_cells(client.get("/logg/").content.decode())
    assert "Forberedelser" not in details
    # each changed field on its own line, not one line joined with commas
    assert "<li>Starter: 16. desember 2026 kl. 10:00 → 17. desember 2026 kl. 10:00</li>" in details
    assert "<li>Slutter: 16. desember 2026 kl. 16:00 → 17. desember 2026 kl. 16:00</li>" in details


def test_empty_values_read_ikke_satt_in_the_log_and_the_objects_history(client, leader):
    audit_log(
        actor=leader,
        action="accounts.user.changed",
        obj=leader,
        details={"scores": {"Tydelig utviklingsområde": None, "Kommunegruppens sammensetning": ""}, "x": ""},
    )
    details = _details_cells(client.get("/logg/").content.decode())
    assert (
        "<li>Tydelig utviklingsområde: ikke satt</li><li>Kommunegruppens sammensetning: ikke satt</li>"
        in details
    )
    assert "X:</span> ikke satt" in details
    assert ": ," not in details
    entry = AuditEntry.objects.get()
    html = client.get(f"/logg/objekt/{entry.content_type_id}/{entry.object_id}/").content.decode()
    assert "<li>Tydelig utviklingsområde: ikke satt</li>" in html
