# The municipal group moves from applications to programs (the regional programme's participants).
# Step 1 of 3: programs takes the models into its state, on the tables applications created; no SQL.
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0002_application_version"),
        ("municipalities", "0001_initial"),
        ("programs", "0003_contact_phone_validator"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="MunicipalGroup",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("coordinator_name", models.CharField(blank=True, max_length=200, verbose_name="koordinator")),
                        ("coordinator_email", models.EmailField(blank=True, max_length=254, verbose_name="koordinatorens e-post")),
                        ("coordinator_phone", models.CharField(blank=True, max_length=40, verbose_name="koordinatorens telefon")),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("municipality", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="municipal_groups", to="municipalities.municipality")),
                        ("regional_program", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="municipal_groups", to="programs.regionalprogram")),
                    ],
                    options={
                        "verbose_name": "kommunegruppe",
                        "verbose_name_plural": "kommunegrupper",
                        "ordering": ["regional_program", "municipality__name"],
                        "db_table": "applications_municipalgroup",
                        "constraints": [
                            models.UniqueConstraint(fields=("regional_program", "municipality"), name="unique_municipal_group")
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="MunicipalGroupMember",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("name", models.CharField(max_length=200, verbose_name="navn")),
                        ("email", models.EmailField(blank=True, max_length=254, verbose_name="e-post")),
                        ("phone", models.CharField(blank=True, max_length=40, verbose_name="telefon")),
                        ("sector", models.CharField(choices=[("kulturskole", "Kulturskole"), ("skole", "Skole"), ("barnehage", "Barnehage"), ("sfo", "SFO"), ("politisk_ledelse", "Politisk ledelse"), ("administrasjon", "Administrasjon"), ("frivillighet", "Frivillighet"), ("annet", "Annet")], max_length=32, verbose_name="sektor/rolle")),
                        ("role_title", models.CharField(blank=True, max_length=200, verbose_name="stilling")),
                        ("is_coordinator", models.BooleanField(default=False, verbose_name="koordinator")),
                        ("group", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="members", to="programs.municipalgroup")),
                    ],
                    options={
                        "verbose_name": "medlem av kommunegruppen",
                        "verbose_name_plural": "medlemmer av kommunegruppen",
                        "ordering": ["-is_coordinator", "name", "id"],
                        "abstract": False,
                        "db_table": "applications_municipalgroupmember",
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
