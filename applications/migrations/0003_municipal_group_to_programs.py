# Step 2 of 3 of moving the municipal group to programs: the link turns around (the application points to
# its group), every existing link is copied, and applications lets go of the models (state only: the tables
# and their rows stay).
import django.db.models.deletion
from django.db import migrations, models


def copy_links(apps, schema_editor):
    OldGroup = apps.get_model("applications", "MunicipalGroup")
    Application = apps.get_model("applications", "Application")
    for group_id, application_id in OldGroup.objects.exclude(application=None).values_list("pk", "application_id"):
        Application.objects.filter(pk=application_id).update(municipal_group_id=group_id)


def copy_links_back(apps, schema_editor):
    OldGroup = apps.get_model("applications", "MunicipalGroup")
    Application = apps.get_model("applications", "Application")
    for application_id, group_id in Application.objects.exclude(municipal_group=None).values_list(
        "pk", "municipal_group_id"
    ):
        OldGroup.objects.filter(pk=group_id).update(application_id=application_id)


def one_coordinator_per_application(apps, schema_editor):
    Member = apps.get_model("applications", "ApplicationGroupMember")
    seen: set[int] = set()
    for member in Member.objects.filter(is_coordinator=True).order_by("application_id", "id"):
        if member.application_id in seen:
            Member.objects.filter(pk=member.pk).update(is_coordinator=False)
        seen.add(member.application_id)


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0002_application_version"),
        ("programs", "0004_municipal_group_state"),
    ]

    operations = [
        migrations.AddField(
            model_name="application",
            name="municipal_group",
            field=models.OneToOneField(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="application",
                to="programs.municipalgroup",
            ),
        ),
        migrations.RunPython(copy_links, copy_links_back),
        migrations.RemoveField(model_name="municipalgroup", name="application"),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="MunicipalGroupMember"),
                migrations.DeleteModel(name="MunicipalGroup"),
            ],
            database_operations=[],
        ),
        migrations.RunPython(one_coordinator_per_application, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="applicationgroupmember",
            constraint=models.UniqueConstraint(
                condition=models.Q(("is_coordinator", True)),
                fields=("application",),
                name="one_coordinator_per_application",
            ),
        ),
    ]
