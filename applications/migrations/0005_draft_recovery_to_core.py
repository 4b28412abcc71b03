"""Draft recovery moves to core (one table for every form): each kept text gets the form key of the form it
was typed in, found from its fields. Rows without an owner could never be taken back and are dropped."""

from django.db import migrations

MEMBER_FIELDS = {"name", "email", "phone", "sector", "role_title", "is_coordinator"}


def _form_key(row, Review):
    keys = set(row.data)
    if "comment" in keys or any(k.startswith("criterion_") for k in keys):
        review = Review.objects.filter(application_id=row.application_id, jury_member__user_id=row.user_id).first()
        return f"applications.review:{review.pk}" if review is not None else None
    if keys & MEMBER_FIELDS:
        return f"applications.group_members:{row.application_id}"
    return f"applications.application:{row.application_id}"


def forwards(apps, schema_editor):
    Old = apps.get_model("applications", "DraftRecovery")
    Review = apps.get_model("applications", "Review")
    New = apps.get_model("core", "DraftRecovery")
    for row in Old.objects.filter(user__isnull=False).exclude(browser_key="").iterator():
        form_key = _form_key(row, Review)
        if form_key is None:
            continue
        moved = New.objects.create(
            form_key=form_key, user_id=row.user_id, browser_key=row.browser_key, token=row.token, data=row.data
        )
        # auto_now_add stamps the copy with now: keep the original age, so it expires when it would have.
        New.objects.filter(pk=moved.pk).update(created_at=row.created_at)


def backwards(apps, schema_editor):
    Old = apps.get_model("applications", "DraftRecovery")
    New = apps.get_model("core", "DraftRecovery")
    Application = apps.get_model("applications", "Application")
    for row in New.objects.filter(form_key__startswith="applications.").iterator():
        kind, _sep, pk = row.form_key.partition(":")
        if kind == "applications.review":
            Review = apps.get_model("applications", "Review")
            application_id = Review.objects.filter(pk=pk).values_list("application_id", flat=True).first()
        else:
            application_id = int(pk)
        if application_id is None or not Application.objects.filter(pk=application_id).exists():
            continue
        moved = Old.objects.create(
            application_id=application_id,
            user_id=row.user_id,
            browser_key=row.browser_key,
            token=row.token,
            data=row.data,
        )
        Old.objects.filter(pk=moved.pk).update(created_at=row.created_at)


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0004_draft_recovery_owner"),
        ("core", "0001_draft_recovery"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.DeleteModel(name="DraftRecovery"),
    ]
