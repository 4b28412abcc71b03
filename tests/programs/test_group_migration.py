"""Moving the municipal group from applications to programs keeps every row and every link."""

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from tests.migrations import migrated_to

BEFORE = [
    ("applications", "0002_application_version"),
    ("programs", "0003_contact_phone_validator"),
    ("audit", "0001_initial"),
]
AFTER = [
    ("applications", "0003_municipal_group_to_programs"),
    ("programs", "0005_municipal_group_tables"),
    ("audit", "0001_initial"),
]


@pytest.mark.django_db(transaction=True)
def test_the_move_keeps_groups_members_and_the_link_to_the_application(reference_data):
    with migrated_to(BEFORE) as schema:
        old = schema.apps
        Program = old.get_model("programs", "Program")
        RegionalProgram = old.get_model("programs", "RegionalProgram")
        Municipality = old.get_model("municipalities", "Municipality")
        Application = old.get_model("applications", "Application")
        OldGroup = old.get_model("applications", "MunicipalGroup")
        OldMember = old.get_model("applications", "MunicipalGroupMember")
        AuditEntry = old.get_model("audit", "AuditEntry")

        program = Program.objects.create(
            name="Fremtidens kulturskole 2027–2028",
            slug="fk-2027",
            interest_deadline=timezone.now() + dt.timedelta(days=9),
        )
        rp = RegionalProgram.objects.create(program=program, name="Vestland")
        sunnfjord, bergen = Municipality.objects.filter(name__in=["Sunnfjord", "Bergen"]).order_by("name")
        application = Application.objects.create(
            regional_program=rp, municipality=sunnfjord, status="accepted"
        )
        linked = OldGroup.objects.create(
            regional_program=rp, municipality=sunnfjord, application=application, coordinator_name="Kari"
        )
        unlinked = OldGroup.objects.create(regional_program=rp, municipality=bergen)
        OldMember.objects.create(
            group=linked, name="Kari", email="kari@example.org", sector="kulturskole", is_coordinator=True
        )
        OldMember.objects.create(
            group=linked, name="Per", sector="skole", is_coordinator=True
        )  # a second coordinator
        OldMember.objects.create(group=unlinked, name="Ola", sector="sfo")
        AuditEntry.objects.create(
            action="applications.municipal_group.created", object_repr="Sunnfjord", details={}
        )

        new = schema.migrate(AFTER)
        Group = new.get_model("programs", "MunicipalGroup")
        Member = new.get_model("programs", "MunicipalGroupMember")
        NewApplication = new.get_model("applications", "Application")
        NewAudit = new.get_model("audit", "AuditEntry")

        assert set(Group.objects.values_list("pk", flat=True)) == {linked.pk, unlinked.pk}
        assert Member.objects.count() == 3
        assert NewApplication.objects.get(pk=application.pk).municipal_group_id == linked.pk
        # One coordinator per group is now a database rule; the first named keeps the title.
        assert list(
            Member.objects.filter(group_id=linked.pk, is_coordinator=True).values_list("name", flat=True)
        ) == ["Kari"]
        assert NewAudit.objects.filter(action="programs.municipal_group.created").count() == 1
        with connection.cursor() as cursor:
            tables = connection.introspection.table_names(cursor)
        assert "programs_municipalgroup" in tables
        assert "applications_municipalgroup" not in tables
