"""A gathering's invitation, change, cancellation and waiting-list notices were stored without their edition,
so the reminders page filtered by an edition showed «Sendt 0» for them. Each row names its gathering (or
registration) in its key and its reference; this fills in the edition of that gathering's regional programme."""

from django.db import migrations

GATHERING_OCCASIONS = ("gatherings.invitation", "gatherings.changed", "gatherings.cancelled")
PROMOTED = "gatherings.waitlist_promoted"


def _object_id(row, prefix: str, name: str):
    """The id the row's reference names, else the one its key starts with («gathering:7:v2»)."""
    value = (row.context or {}).get(name) if isinstance(row.context, dict) else None
    if isinstance(value, int):
        return value
    parts = row.key.split(":")
    if len(parts) > 1 and parts[0] == prefix and parts[1].isascii() and parts[1].isdigit():
        return int(parts[1])
    return None


def _fill(Delivery, rows, model, prefix, name, path):
    ids = {}
    for row in rows:
        object_id = _object_id(row, prefix, name)
        if object_id is not None:
            ids.setdefault(object_id, []).append(row.id)
    editions = dict(model.objects.filter(pk__in=list(ids)).values_list("pk", path))
    by_edition = {}
    for object_id, delivery_ids in ids.items():
        if editions.get(object_id) is not None:
            by_edition.setdefault(editions[object_id], []).extend(delivery_ids)
    for program_id, delivery_ids in by_edition.items():
        Delivery.objects.filter(pk__in=delivery_ids).update(program_id=program_id)


def forwards(apps, schema_editor):
    Delivery = apps.get_model("reminders", "Delivery")
    Gathering = apps.get_model("gatherings", "Gathering")
    Registration = apps.get_model("gatherings", "Registration")
    orphans = Delivery.objects.filter(program__isnull=True).only("id", "key", "context")
    rows = list(orphans.filter(occasion__in=GATHERING_OCCASIONS))
    if rows:
        _fill(Delivery, rows, Gathering, "gathering", "gathering", "regional_program__program_id")
    rows = list(orphans.filter(occasion=PROMOTED))
    if rows:
        _fill(
            Delivery, rows, Registration, "registration", "registration", "gathering__regional_program__program_id"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("reminders", "0006_delivery_sent_index"),
        ("gatherings", "0002_calendar_feeds_to_core"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
