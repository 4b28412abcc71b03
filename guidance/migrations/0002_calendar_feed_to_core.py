"""The advisors' calendar addresses move to the one shared table, core.CalendarFeed, with the same tokens
(subscribed calendars keep working) and dates; their audit entries follow them to the new rows."""

from django.db import migrations


def to_core(apps, schema_editor):
    Old = apps.get_model("guidance", "CalendarFeed")
    Feed = apps.get_model("core", "CalendarFeed")
    ContentType = apps.get_model("contenttypes", "ContentType")
    AuditEntry = apps.get_model("audit", "AuditEntry")
    old_type = ContentType.objects.filter(app_label="guidance", model="calendarfeed").first()
    new_type, _created = ContentType.objects.get_or_create(app_label="core", model="calendarfeed")
    for old in Old.objects.order_by("pk").iterator():
        new = Feed.objects.create(
            owner_id=old.user_id,
            kind="guidance.advisor",
            token=old.token,
            created_at=old.created_at,
        )
        if old_type is not None:
            AuditEntry.objects.filter(content_type=old_type, object_id=str(old.pk)).update(
                content_type=new_type, object_id=str(new.pk)
            )


def back(apps, schema_editor):
    Old = apps.get_model("guidance", "CalendarFeed")
    Feed = apps.get_model("core", "CalendarFeed")
    feeds = Feed.objects.filter(kind="guidance.advisor")
    # The old table held one working address per advisor, and no revoked ones.
    for feed in feeds.filter(revoked_at__isnull=True).order_by("owner_id", "-created_at", "-pk"):
        if not Old.objects.filter(user_id=feed.owner_id).exists():
            old = Old.objects.create(user_id=feed.owner_id, token=feed.token)
            Old.objects.filter(pk=old.pk).update(created_at=feed.created_at)  # auto_now_add on the old model
    feeds.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("guidance", "0001_initial"),
        ("core", "0002_calendar_feed"),
        ("audit", "0002_details_one_shape"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(to_core, back),
        migrations.DeleteModel(
            name="CalendarFeed",
        ),
    ]
