"""Authenticators left unconfirmed by the old setup page, which created one on every first visit. The pending
secret now lives in the session until a code confirms it, so nothing would ever clean these rows up."""

from django.db import migrations


def delete_unconfirmed(apps, schema_editor):
    TOTPDevice = apps.get_model("otp_totp", "TOTPDevice")
    TOTPDevice.objects.filter(confirmed=False).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_user_session_generation"),
        ("otp_totp", "0003_add_timestamps"),
    ]

    operations = [migrations.RunPython(delete_unconfirmed, migrations.RunPython.noop)]
