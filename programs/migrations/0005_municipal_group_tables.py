# Step 3 of 3: the group's tables get programs' names, one coordinator per group becomes a database rule,
# and the audit trail's action codes follow the group to its new app.
from django.db import migrations, models


def one_coordinator_per_group(apps, schema_editor):
    Member = apps.get_model("programs", "MunicipalGroupMember")
    seen: set[int] = set()
    for member in Member.objects.filter(is_coordinator=True).order_by("group_id", "id"):
        if member.group_id in seen:
            Member.objects.filter(pk=member.pk).update(is_coordinator=False)
        seen.add(member.group_id)


def rename_audit_codes(apps, schema_editor, old="applications.municipal_group.", new="programs.municipal_group."):
    Entry = apps.get_model("audit", "AuditEntry")
    for entry in Entry.objects.filter(action__startswith=old).only("pk", "action"):
        Entry.objects.filter(pk=entry.pk).update(action=new + entry.action[len(old) :])


def rename_audit_codes_back(apps, schema_editor):
    rename_audit_codes(apps, schema_editor, old="programs.municipal_group.", new="applications.municipal_group.")


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0003_municipal_group_to_programs"),
        ("audit", "0001_initial"),
        ("programs", "0004_municipal_group_state"),
    ]

    operations = [
        migrations.AlterModelTable(name="municipalgroup", table=None),
        migrations.AlterModelTable(name="municipalgroupmember", table=None),
        migrations.RunPython(one_coordinator_per_group, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="municipalgroupmember",
            constraint=models.UniqueConstraint(
                condition=models.Q(("is_coordinator", True)), fields=("group",), name="one_coordinator_per_group"
            ),
        ),
        migrations.RunPython(rename_audit_codes, rename_audit_codes_back),
    ]
