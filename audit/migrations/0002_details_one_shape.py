"""Older audit rows in the agreed details shape: English keys for the shared ones, JSON values, not Python text.

- a change is {"from": …, "to": …} (was {"fra": …, "til": …});
- inside a change, "True"/"False"/"None" and lists kept as their Python text («[14, 3, 1]») become JSON;
- each app's Norwegian keys become the English ones its services write now.
The reading in audit.rendering still accepts the old shape, so rows written meanwhile read the same.
"""

import ast
import json
import re

from django.db import migrations

LIST_TEXT = re.compile(r"^\[.*\]$", re.DOTALL)
SHARED_KEYS = {"fra": "from", "til": "to"}
APP_KEYS = {
    "accounts.": {
        "e-post": "email",
        "navn": "name",
        "kommune": "municipality",
        "fylkesavdeling": "branch",
        "rolle": "role",
        "_rolle_id": "_assignment_id",
        "eksisterende_person": "existing_person",
        "rollen_fantes": "role_existed",
        "ny_person": "new_person",
    },
    "municipalities.": {
        "e-post": "email",
        "navn": "name",
        "aktiv": "is_active",
        "medlemskommune": "is_member",
        "fylke": "county",
    },
    "applications.": {
        "endringer": "changes",
        "vekt": "weight",
        "navn": "name",
        "kommune": "municipality",
        "frist": "deadline",
        "ny": "new",
        "felt": "fields",
        "på_nytt": "resubmission",
        "fil": "file",
        "e-post": "email",
        "invitert": "invited",
        "tildelt": "assigned",
        "fjernet": "removed",
        "inhabil": "has_conflict",
        "begrunnelse": "conflict_note",
        "poeng": "scores",
        "vedtak": "outcome",
        "over_kapasitet": "over_capacity",
        "før_fristen": "before_deadline",
        "rader": "rows",
        "varslet": "notified",
        "frist_for_vurderinger": "review_deadline",
        "medlemmer": "members",  # municipal groups, before they moved to programs
        "koordinator": "coordinator_email",
    },
    "programs.municipal_group.": {"medlemmer": "members", "koordinator": "coordinator_email", "navn": "name"},
    "reminders.": {
        "anledning": "occasion",
        "mottaker": "recipient",
        "fra_status": "previous_state",
        "endringer": "changes",
    },
}
FLAG_TEXT = {"True": True, "False": False, "None": None, "ja": True, "nei": False}


def _value(text):
    if not isinstance(text, str):
        return text
    if text in ("True", "False", "None"):
        return FLAG_TEXT[text]
    if len(text) <= 2000 and LIST_TEXT.match(text):
        try:
            parsed = json.loads(text)
        except ValueError:
            try:
                parsed = ast.literal_eval(text)
            except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
                return text
        if isinstance(parsed, list):
            return parsed
    return text


def _shape(value, keys, *, flags_as_text=False):
    if isinstance(value, list):
        return [_shape(v, keys, flags_as_text=flags_as_text) for v in value]
    if not isinstance(value, dict):
        return value
    out = {}
    for key, item in value.items():
        new_key = SHARED_KEYS.get(key) or keys.get(key, key)
        if key.startswith("_rolle") and new_key == key:
            continue  # "_rolle": the role code; "role" now holds it
        out[new_key] = _shape(item, keys, flags_as_text=flags_as_text)
    if out and set(out) <= {"from", "to"}:
        for side in ("from", "to"):
            if side in out:
                item = out[side]
                if flags_as_text and item in ("ja", "nei"):
                    out[side] = FLAG_TEXT[item]
                else:
                    out[side] = _value(item)
    return out


def forwards(apps, schema_editor):
    AuditEntry = apps.get_model("audit", "AuditEntry")
    changed = []
    for entry in AuditEntry.objects.only("id", "action", "details").iterator(chunk_size=2000):
        prefix = next((p for p in APP_KEYS if entry.action.startswith(p)), None)
        keys = APP_KEYS.get(prefix, {})
        details = _shape(entry.details, keys, flags_as_text=prefix == "municipalities.")
        if (
            prefix == "municipalities."
            and isinstance(details, dict)
            and details.get("is_active") in ("ja", "nei")
        ):
            details["is_active"] = FLAG_TEXT[details["is_active"]]
        if details != entry.details:
            entry.details = details
            changed.append(entry)
        if len(changed) >= 1000:
            AuditEntry.objects.bulk_update(changed, ["details"])
            changed = []
    AuditEntry.objects.bulk_update(changed, ["details"])


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)]
