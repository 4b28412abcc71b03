"""The calendar addresses move to the one shared table, core.CalendarFeed, with the same tokens (subscribed
calendars keep working) and dates; their audit entries follow them to the new rows."""

from django.db import migrations


def to_core(apps, schema_editor):
    Old = apps.get_model("gatherings", "CalendarFeed")
    Feed = apps.get_model("core", "CalendarFeed")
    ContentType = apps.get_model("contenttypes", "ContentType")
    AuditEntry = apps.get_model("audit", "AuditEntry")
    old_type = ContentType.objects.filter(app_label="gatherings", model="calendarfeed").first()
    new_type, _created = ContentType.objects.get_or_create(app_label="core", model="calendarfeed")
    for old in Old.objects.order_by("pk").iterator():
        new = Feed.objects.create(
            owner_id=old.owner_id,
            kind="gatherings.region" if old.regional_program_id else "gatherings.person",
            scope_id=old.regional_program_id,
            token=old.token,
            created_at=old.created_at,
            revoked_at=old.revoked_at,
        )
        if old_type is not None:
            AuditEntry.objects.filter(content_type=old_type, object_id=str(old.pk)).update(
                content_type=new_type, object_id=str(new.pk)
            )


def back(apps, schema_editor):
    Old = apps.get_model("gatherings", "CalendarFeed")
    Feed = apps.get_model("core", "CalendarFeed")
    RegionalProgram = apps.get_model("programs", "RegionalProgram")
    regions = set(RegionalProgram.objects.values_list("pk", flat=True))
    for feed in Feed.objects.filter(kind__in=["gatherings.region", "gatherings.person"]).order_by("pk"):
        if feed.kind == "gatherings.region" and feed.scope_id not in regions:
            continue  # the old table had no address for a region that is gone
        old = Old.objects.create(
            owner_id=feed.owner_id,
            regional_program_id=feed.scope_id if feed.kind == "gatherings.region" else None,
            token=feed.token,
            revoked_at=feed.revoked_at,
        )
        Old.objects.filter(pk=old.pk).update(created_at=feed.created_at)  # auto_now_add on the old model
        feed.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("gatherings", "0001_initial"),
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
