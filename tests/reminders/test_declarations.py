"""The two occasions declared by the domain apps: interest deadline (programs) and application deadline
(applications). Planned from the database, moved by extensions, re-checked at send time."""

import datetime as dt

import pytest
from django.core import mail

from applications.models import ApplicationStatus
from applications.reminders import APPLICATION_DEADLINE
from applications.selectors import application_deadline_for
from programs.reminders import INTEREST_DEADLINE
from reminders import services
from reminders.models import Delivery, DeliveryState
from tests.applications.factories import ApplicationFactory, open_region
from tests.factories import (
    CountyBranchFactory,
    MunicipalityFactory,
    ProgramFactory,
    board_member,
    municipal_contact,
)
from tests.programs.factories import InterestDeadlineExtensionFactory, InterestRegistrationFactory
from tests.reminders.factories import ApplicationDeadlineExtensionFactory

pytestmark = pytest.mark.django_db

UTC = dt.UTC
PLAN_NOW = dt.datetime(2030, 8, 1, 6, 0, tzinfo=UTC)
DEADLINE = dt.datetime(2030, 9, 15, 21, 59, tzinfo=UTC)  # 23:59 Oslo summer time


def _rows(code, **filters):
    return Delivery.objects.filter(occasion=code, **filters)


def _send(row):
    return services.deliveries_send(delivery_ids=[row.pk], now=row.planned_at)


# --- interest deadline -----------------------------------------------------------------------------------


def test_interest_reminders_go_to_branches_without_registration_and_their_board():
    program = ProgramFactory(interest_deadline=DEADLINE)
    quiet = CountyBranchFactory(email="vestland@example.org", name="Vestland")
    board_member(quiet, email="styre@example.org", full_name="Siri Styre")
    answered = CountyBranchFactory(email="agder@example.org")
    InterestRegistrationFactory(program=program, branch=answered)
    ProgramFactory(interest_deadline=DEADLINE, is_published=False)  # unpublished: nobody is reminded

    services.deliveries_plan(now=PLAN_NOW, codes=[INTEREST_DEADLINE])

    rows = _rows(INTEREST_DEADLINE)
    assert sorted(set(rows.values_list("recipient_email", flat=True))) == [
        "styre@example.org",
        "vestland@example.org",
    ]
    assert rows.count() == 6  # two recipients × 14, 3 and 1 days before
    assert set(rows.values_list("program_id", flat=True)) == {program.pk}


def test_interest_reminder_text_has_name_oslo_deadline_and_link():
    program = ProgramFactory(interest_deadline=DEADLINE, name="Regionale program 2030–2031")
    branch = CountyBranchFactory(email="vestland@example.org", name="Norsk kulturskoleråd Vestland")
    board_member(branch, email="styre@example.org", full_name="Siri Styre")
    services.deliveries_plan(now=PLAN_NOW, codes=[INTEREST_DEADLINE])

    _send(_rows(INTEREST_DEADLINE, recipient_email="styre@example.org", key__endswith=":d14").get())

    message = mail.outbox[0]
    assert message.to == ["Siri Styre <styre@example.org>"]
    assert "Hei Siri Styre" in message.body
    assert "15. september 2030 kl. 23:59" in message.body
    assert "Norsk kulturskoleråd Vestland" in message.body
    assert f"/program/{program.pk}/fylkesavdeling/{branch.pk}/interessemelding/" in message.body
    assert "Regionale program 2030–2031" in message.subject
    assert message.alternatives[0][0].startswith("<!DOCTYPE html>")


def test_a_branch_extension_moves_only_that_branchs_reminders():
    program = ProgramFactory(interest_deadline=DEADLINE)
    extended = CountyBranchFactory(email="a@example.org")
    other = CountyBranchFactory(email="b@example.org")
    services.deliveries_plan(now=PLAN_NOW, codes=[INTEREST_DEADLINE])
    before = dict(_rows(INTEREST_DEADLINE).values_list("key", "planned_at"))

    InterestDeadlineExtensionFactory(
        program=program, branch=extended, deadline=DEADLINE + dt.timedelta(days=5)
    )
    services.deliveries_plan(now=PLAN_NOW, codes=[INTEREST_DEADLINE])

    after = dict(_rows(INTEREST_DEADLINE).values_list("key", "planned_at"))
    for key, planned in after.items():
        moved = planned - before[key]
        assert moved == (dt.timedelta(days=5) if f":branch:{extended.pk}:" in key else dt.timedelta(0)), key
    assert f":branch:{other.pk}:" in next(iter(k for k in after if f":branch:{other.pk}:" in k))


def test_a_branch_that_registers_before_the_reminder_is_skipped_not_sent():
    program = ProgramFactory(interest_deadline=DEADLINE)
    branch = CountyBranchFactory(email="a@example.org")
    services.deliveries_plan(now=PLAN_NOW, codes=[INTEREST_DEADLINE])
    row = _rows(INTEREST_DEADLINE, key__endswith=":d14").get()

    InterestRegistrationFactory(program=program, branch=branch)
    assert _send(row).skipped == 1
    row.refresh_from_db()
    assert row.state == DeliveryState.SKIPPED
    assert mail.outbox == []
    # and the next planning round cancels the rest, which no longer apply
    services.deliveries_plan(now=PLAN_NOW, codes=[INTEREST_DEADLINE])
    assert set(_rows(INTEREST_DEADLINE).exclude(pk=row.pk).values_list("state", flat=True)) == {
        DeliveryState.CANCELLED
    }


# --- application deadline --------------------------------------------------------------------------------


def _region(**kwargs):
    rp, branch, county, members = open_region(
        municipalities=3,
        applications_open_at=PLAN_NOW - dt.timedelta(days=10),
        application_deadline=DEADLINE,
        **kwargs,
    )
    for i, m in enumerate(members):
        m.email = f"kommune{i}@example.org"
        m.save()
    return rp, members


def test_application_reminders_go_to_members_without_a_submitted_application():
    rp, (nothing, draft, submitted) = _region()
    contact = municipal_contact(nothing, email="koordinator@example.org", full_name="Kari Koordinator")
    ApplicationFactory(regional_program=rp, municipality=draft, status=ApplicationStatus.DRAFT)
    ApplicationFactory(regional_program=rp, municipality=submitted, status=ApplicationStatus.SUBMITTED)
    MunicipalityFactory(county=nothing.county, email="ikkemedlem@example.org", is_member=False)

    services.deliveries_plan(now=PLAN_NOW, codes=[APPLICATION_DEADLINE])

    emails = set(_rows(APPLICATION_DEADLINE).values_list("recipient_email", flat=True))
    assert emails == {nothing.email, contact.email, draft.email}
    assert _rows(APPLICATION_DEADLINE).count() == 9


def test_a_draft_gets_the_unsent_draft_variant_with_a_link_to_it():
    rp, (nothing, draft_muni, _third) = _region()
    draft = ApplicationFactory(regional_program=rp, municipality=draft_muni, status=ApplicationStatus.DRAFT)
    services.deliveries_plan(now=PLAN_NOW, codes=[APPLICATION_DEADLINE])

    _send(_rows(APPLICATION_DEADLINE, recipient_email=draft_muni.email, key__endswith=":d3").get())
    _send(_rows(APPLICATION_DEADLINE, recipient_email=nothing.email, key__endswith=":d3").get())

    draft_mail, plain_mail = mail.outbox
    assert "utkast" in draft_mail.body
    assert "ikke sendt inn" in draft_mail.subject
    assert f"/soknader/{draft.pk}/" in draft_mail.body
    assert "Vi har ennå ikke mottatt søknad" in plain_mail.body
    assert f"/soknader/program/{rp.pk}/ny/" in plain_mail.body
    assert "15. september 2030 kl. 23:59" in plain_mail.body
    assert set(Delivery.objects.filter(state=DeliveryState.SENT).values_list("variant", flat=True)) == {
        "draft",
        "no_application",
    }


def test_submitting_after_planning_skips_the_reminder():
    rp, (muni, _b, _c) = _region()
    app = ApplicationFactory(regional_program=rp, municipality=muni, status=ApplicationStatus.DRAFT)
    services.deliveries_plan(now=PLAN_NOW, codes=[APPLICATION_DEADLINE])
    row = _rows(APPLICATION_DEADLINE, recipient_email=muni.email, key__endswith=":d14").get()

    app.status = ApplicationStatus.SUBMITTED
    app.save()
    assert _send(row).skipped == 1
    assert mail.outbox == []


def test_a_municipal_extension_and_a_moved_region_deadline_move_the_reminders():
    rp, (extended, other, _c) = _region()
    services.deliveries_plan(now=PLAN_NOW, codes=[APPLICATION_DEADLINE])
    before = dict(_rows(APPLICATION_DEADLINE).values_list("key", "planned_at"))

    ApplicationDeadlineExtensionFactory(
        regional_program=rp, municipality=extended, deadline=DEADLINE + dt.timedelta(days=4)
    )
    rp.application_deadline = DEADLINE + dt.timedelta(days=1)
    rp.save()
    services.deliveries_plan(now=PLAN_NOW, codes=[APPLICATION_DEADLINE])

    after = dict(_rows(APPLICATION_DEADLINE).values_list("key", "planned_at"))
    for key, planned in after.items():
        muni_id = int(key.split(":")[3])
        expected = application_deadline_for(regional_program=rp, municipality=muni_id) - DEADLINE
        assert planned - before[key] == expected, key
    assert any(f":municipality:{other.pk}:" in k for k in after)


# --- a deadline moved into the past, an edition unpublished (issue 12) ------------------------------------


def test_reminders_whose_moment_no_longer_exists_are_cancelled_at_once():
    program = ProgramFactory(interest_deadline=DEADLINE)
    CountyBranchFactory(email="vestland@example.org")
    services.deliveries_plan(now=PLAN_NOW, codes=[INTEREST_DEADLINE])
    assert _rows(INTEREST_DEADLINE, state=DeliveryState.PLANNED).count() == 3

    # moved to a date that has passed: the reminders planned for September are gone from the list
    program.interest_deadline = PLAN_NOW - dt.timedelta(days=1)
    program.save()
    services.deliveries_plan(now=PLAN_NOW, codes=[INTEREST_DEADLINE])
    assert set(_rows(INTEREST_DEADLINE).values_list("state", flat=True)) == {DeliveryState.CANCELLED}


def test_a_row_already_due_when_its_scope_ends_is_left_to_be_sent_or_missed():
    program = ProgramFactory(interest_deadline=DEADLINE)
    CountyBranchFactory(email="vestland@example.org")
    services.deliveries_plan(now=PLAN_NOW, codes=[INTEREST_DEADLINE])
    last = _rows(INTEREST_DEADLINE, key__endswith=":d1").get()
    after_deadline = DEADLINE + dt.timedelta(hours=1)
    services.deliveries_plan(now=after_deadline, codes=[INTEREST_DEADLINE])
    last.refresh_from_db()
    assert (
        last.state == DeliveryState.PLANNED
    )  # due before the deadline: the claim marks it missed, as before
    assert program.pk == last.program_id


def test_unpublishing_cancels_the_planned_reminders():
    program = ProgramFactory(interest_deadline=DEADLINE)
    CountyBranchFactory(email="vestland@example.org")
    services.deliveries_plan(now=PLAN_NOW, codes=[INTEREST_DEADLINE])
    program.is_published = False
    program.save()
    services.deliveries_plan(now=PLAN_NOW, codes=[INTEREST_DEADLINE])
    assert set(_rows(INTEREST_DEADLINE).values_list("state", flat=True)) == {DeliveryState.CANCELLED}


# --- the application window opens (issue 12) ---------------------------------------------------------------


def test_an_opening_window_is_announced_once_to_members_contacts_and_boards():
    from applications.reminders import APPLICATION_WINDOW_OPENED

    code = APPLICATION_WINDOW_OPENED.code
    opens = PLAN_NOW + dt.timedelta(days=2)
    rp, branch, _county, members = open_region(
        municipalities=2, applications_open_at=opens, application_deadline=DEADLINE
    )
    members[0].email = "post@kinn.kommune.no"
    members[0].save()
    municipal_contact(members[1], email="kari@example.org", full_name="Kari Kontakt")
    board_member(branch, email="siri@example.org", full_name="Siri Styre")
    MunicipalityFactory(county=_county, is_member=False, email="ikke@example.org")

    services.deliveries_plan(now=PLAN_NOW, codes=[code])
    rows = _rows(code)
    assert sorted(rows.values_list("recipient_email", flat=True)) == [
        "kari@example.org",
        "post@kinn.kommune.no",
        "siri@example.org",
    ]
    assert set(rows.values_list("planned_at", flat=True)) == {opens}  # at the moment it opens, not before
    assert set(rows.values_list("program_id", flat=True)) == {rp.program_id}

    services.deliveries_send(delivery_ids=list(rows.values_list("pk", flat=True)), now=opens)
    assert sorted(m.to[0] for m in mail.outbox) == [
        "Kari Kontakt <kari@example.org>",
        "Siri Styre <siri@example.org>",
        f"{members[0].name} <post@kinn.kommune.no>",
    ]
    contact_mail = next(m for m in mail.outbox if "kari@" in m.to[0])
    assert "15. september 2030 kl. 23:59" in contact_mail.body
    assert "/soknader/" in contact_mail.body
    # the municipality's address has no account: the content, and how to get access, never a login link
    address_mail = next(m for m in mail.outbox if "post@kinn" in m.to[0])
    assert "/soknader/" not in address_mail.body
    assert "program@example.org" in address_mail.body
    assert "på vegne av" in next(m for m in mail.outbox if "siri@" in m.to[0]).body

    # reopened (deadline moved, window moved): planned again, but nothing is sent twice
    rp.application_deadline = DEADLINE + dt.timedelta(days=20)
    rp.save()
    services.deliveries_plan(now=opens + dt.timedelta(hours=1), codes=[code])
    assert set(_rows(code).values_list("state", flat=True)) == {DeliveryState.SENT}
    assert _rows(code).count() == 3
