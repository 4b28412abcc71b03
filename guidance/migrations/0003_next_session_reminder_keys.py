"""The next-session reminders are keyed by the meeting (agreement and time), no longer by the entry that booked
it, so that a later entry keeping the booked meeting keeps its reminders. Existing rows get the new key; where
two rows would share one (two entries booked the same time), the one already handled keeps it and the other its
old key (a planned one is then cancelled by the planner, never sent twice)."""

import re

from django.db import migrations

OLD_KEY = re.compile(r"^agreement:(\d+):session:\d+:at:(-?\d+)(:.*)?$")


def forwards(apps, schema_editor):
    Delivery = apps.get_model("reminders", "Delivery")
    rows = Delivery.objects.filter(occasion="guidance.next_session").only("key", "recipient_email", "state")
    taken = set(rows.values_list("key", "recipient_email"))
    # a reminder already sent takes the meeting's key first, so the planner does not plan it again; planned last
    order = {"sent": 0, "planned": 2}
    for row in sorted(rows, key=lambda r: (order.get(r.state, 1), r.pk)):
        match = OLD_KEY.match(row.key)
        if match is None:
            continue
        key = f"agreement:{match[1]}:at:{match[2]}{match[3] or ''}"
        if (key, row.recipient_email) in taken:
            continue
        taken.add((key, row.recipient_email))
        Delivery.objects.filter(pk=row.pk).update(key=key)


class Migration(migrations.Migration):
    dependencies = [
        ("guidance", "0002_calendar_feed_to_core"),
        ("reminders", "0004_delivery_retrying_index"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
