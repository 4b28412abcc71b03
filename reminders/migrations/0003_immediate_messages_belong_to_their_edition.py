"""Messages sent at once (receipts, decision letters, dialogue invitations, new deadlines) were stored without
their edition, so the reminders page filtered by an edition showed «Sendt 0» for them (issue 12). The key of
each row names the object it was about; this fills in that object's edition."""

from django.db import migrations

# occasion: (key prefix, app, model, path from the object to its edition's id)
SOURCES = {
    "programs.interest_receipt": ("interest", "programs", "InterestRegistration", "program_id"),
    "programs.dialogue_meeting_scheduled": ("dialogue", "programs", "DialogueMeeting", "program_id"),
    "programs.interest_deadline_extended": ("extension", "programs", "InterestDeadlineExtension", "program_id"),
    "applications.application_receipt": ("application", "applications", "Application", "regional_program__program_id"),
    "applications.decision_letter": (
        "decision",
        "applications",
        "Decision",
        "application__regional_program__program_id",
    ),
}


def forwards(apps, schema_editor):
    Delivery = apps.get_model("reminders", "Delivery")
    for occasion, (prefix, app_label, model_name, path) in SOURCES.items():
        rows = list(Delivery.objects.filter(occasion=occasion, program__isnull=True).only("id", "key"))
        if not rows:
            continue
        object_ids = {}
        for row in rows:
            parts = row.key.split(":")
            if len(parts) > 1 and parts[0] == prefix and parts[1].isascii() and parts[1].isdigit():
                object_ids.setdefault(int(parts[1]), []).append(row.id)
        model = apps.get_model(app_label, model_name)
        editions = dict(model.objects.filter(pk__in=list(object_ids)).values_list("pk", path))
        by_edition = {}
        for object_id, delivery_ids in object_ids.items():
            if editions.get(object_id) is not None:
                by_edition.setdefault(editions[object_id], []).extend(delivery_ids)
        for program_id, delivery_ids in by_edition.items():
            Delivery.objects.filter(pk__in=delivery_ids).update(program_id=program_id)


class Migration(migrations.Migration):
    dependencies = [
        ("reminders", "0002_delivery_resends"),
        ("programs", "0006_regional_program_review_deadline"),
        ("applications", "0003_municipal_group_to_programs"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
