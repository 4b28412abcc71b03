"""Moving draft recovery to core keeps every kept text for its owner, under the key of the form it was typed in."""

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from tests.migrations import migrated_to

# accounts before its later columns too: the old state's User knows nothing of them.
BEFORE = [
    ("applications", "0004_draft_recovery_owner"),
    ("core", None),
    ("accounts", "0004_remove_loginfailure_axes_throttles"),
]
AFTER = [("applications", "0005_draft_recovery_to_core"), ("core", "0001_draft_recovery")]


@pytest.mark.django_db(transaction=True)
def test_the_move_keeps_each_text_for_its_owner_under_its_forms_key(reference_data):
    with migrated_to(BEFORE) as schema:
        old = schema.apps
        User = old.get_model("accounts", "User")
        Program = old.get_model("programs", "Program")
        RegionalProgram = old.get_model("programs", "RegionalProgram")
        Municipality = old.get_model("municipalities", "Municipality")
        Application = old.get_model("applications", "Application")
        JuryMember = old.get_model("applications", "JuryMember")
        Review = old.get_model("applications", "Review")
        OldRecovery = old.get_model("applications", "DraftRecovery")

        program = Program.objects.create(
            name="Fremtidens kulturskole 2027–2028", slug="fk-2027", interest_deadline=timezone.now()
        )
        rp = RegionalProgram.objects.create(program=program, name="Vestland")
        application = Application.objects.create(
            regional_program=rp, municipality=Municipality.objects.get(name="Sunnfjord")
        )
        kari = User.objects.create(email="kari@example.org")
        jurist = User.objects.create(email="jurist@example.org")
        member = JuryMember.objects.create(regional_program=rp, user=jurist, email=jurist.email)
        review = Review.objects.create(application=application, jury_member=member)
        browser = "b" * 32

        def keep(user, token, data):
            return OldRecovery.objects.create(
                application=application, user=user, browser_key=browser, token=token * 20, data=data
            )

        text = keep(kari, "t", {"motivation": "Lang tekst"})
        OldRecovery.objects.filter(pk=text.pk).update(created_at=timezone.now() - dt.timedelta(days=3))
        keep(kari, "m", {"name": "Sofie SFO", "email": "sofie@example.org"})
        keep(jurist, "r", {"comment": "God søknad", "criterion_4": "5"})
        keep(kari, "x", {"comment": "Kari er ikke i juryen"})  # no review to name: could never come back
        OldRecovery.objects.create(application=application, token="o" * 20, data={"motivation": "Uten eier"})

        new = schema.migrate(AFTER)
        Recovery = new.get_model("core", "DraftRecovery")
        moved = {
            row.token[0]: (row.form_key, row.user_id, row.browser_key, row.data)
            for row in Recovery.objects.all()
        }
        assert moved == {
            "t": (
                f"applications.application:{application.pk}",
                kari.pk,
                browser,
                {"motivation": "Lang tekst"},
            ),
            "m": (
                f"applications.group_members:{application.pk}",
                kari.pk,
                browser,
                {"name": "Sofie SFO", "email": "sofie@example.org"},
            ),
            "r": (
                f"applications.review:{review.pk}",
                jurist.pk,
                browser,
                {"comment": "God søknad", "criterion_4": "5"},
            ),
        }
        # The text keeps its age, so it still expires when it would have.
        age = timezone.now() - Recovery.objects.get(token="t" * 20).created_at
        assert dt.timedelta(days=2) < age < dt.timedelta(days=4)
        with connection.cursor() as cursor:
            tables = connection.introspection.table_names(cursor)
        assert "applications_draftrecovery" not in tables
