"""Notices that start a step (issue 12): the edition's invitation when it is published, a branch's new
deadline to its board too, a dialogue-meeting request to leadership. Each goes through the outbox once,
belongs to its edition, and uses leadership's own text when there is one."""

import datetime as dt
from email.utils import parseaddr

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from programs import services
from programs.reminders import DIALOGUE_MEETING_REQUESTED, EDITION_INVITATION, INTEREST_DEADLINE_EXTENDED
from reminders.models import Delivery, OccasionSetting
from tests.factories import CountyBranchFactory, ProgramFactory, UserFactory, board_member

pytestmark = pytest.mark.django_db


def _to(messages) -> list[str]:
    return sorted(parseaddr(m.to[0])[1] for m in messages)


@pytest.fixture
def leader(db):
    return UserFactory(leadership=True, full_name="Liv Leder")


@pytest.fixture
def branches(db):
    vest = CountyBranchFactory(name="Norsk kulturskoleråd Vestland", email="vestland@example.org")
    board_member(vest, email="siri@example.org", full_name="Siri Styre")
    agder = CountyBranchFactory(name="Norsk kulturskoleråd Agder", email="agder@example.org")
    CountyBranchFactory(name="Nedlagt", email="nedlagt@example.org", is_active=False)
    return vest, agder


def test_publishing_sends_the_invitation_to_every_branch_and_board_once(
    leader, branches, django_capture_on_commit_callbacks
):
    program = ProgramFactory(unpublished=True, invitation_text="Vi inviterer til tre semestre.")
    with django_capture_on_commit_callbacks(execute=True):
        services.program_publish(actor=leader, program=program, publish=True)

    assert _to(mail.outbox) == ["agder@example.org", "siri@example.org", "vestland@example.org"]
    board_mail = next(m for m in mail.outbox if "siri@" in m.to[0])
    assert "Vi inviterer til tre semestre." in board_mail.body
    assert timezone.localtime(program.interest_deadline).strftime("%Y") in board_mail.body
    assert f"/program/{program.slug}/" in board_mail.body
    # the board member can log in: the registration link; the branch address gets no login link
    assert f"/program/{program.pk}/fylkesavdeling/" in board_mail.body
    address_mail = next(m for m in mail.outbox if "agder@" in m.to[0])
    assert "/fylkesavdeling/" not in address_mail.body
    assert set(Delivery.objects.values_list("occasion", "program_id")) == {
        (EDITION_INVITATION.code, program.pk)
    }
    entry = AuditEntry.objects.get(action="programs.program.published")
    assert entry.details["invitation_recipients"] == 3

    # unpublish and publish again: nothing is sent twice
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.program_publish(actor=leader, program=program, publish=False)
        services.program_publish(actor=leader, program=program, publish=True)
    assert mail.outbox == []
    assert Delivery.objects.count() == 3


def test_invitation_uses_leaderships_own_subject_and_introduction(
    leader, branches, django_capture_on_commit_callbacks
):
    program = ProgramFactory(unpublished=True, name="Regionale program 2028–2030")
    OccasionSetting.objects.create(
        program=program,
        occasion=EDITION_INVITATION.code,
        offsets_days=[0],
        subject_override="Velkommen til {program}",
        body_override="Hei igjen {navn}, fristen er {frist}.",
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.program_publish(actor=leader, program=program, publish=True)
    board_mail = next(m for m in mail.outbox if "siri@" in m.to[0])
    assert board_mail.subject == "Velkommen til Regionale program 2028–2030"
    assert "Hei igjen Siri Styre, fristen er " in board_mail.body


def test_extension_reaches_address_and_board_once_per_deadline(
    leader, branches, django_capture_on_commit_callbacks
):
    vest, _agder = branches
    program = ProgramFactory()
    new = program.interest_deadline + dt.timedelta(days=7)
    with django_capture_on_commit_callbacks(execute=True):
        services.interest_deadline_extend(actor=leader, program=program, branch=vest, deadline=new)
        services.interest_deadline_extend(actor=leader, program=program, branch=vest, deadline=new)
    assert _to(mail.outbox) == ["siri@example.org", "vestland@example.org"]
    assert set(Delivery.objects.values_list("occasion", "program_id")) == {
        (INTEREST_DEADLINE_EXTENDED.code, program.pk)
    }


def test_dialogue_meeting_request_tells_leadership_with_topic_and_times(
    branches, django_capture_on_commit_callbacks
):
    vest, _agder = branches
    program = ProgramFactory(contact_email="program@example.org")
    actor = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.dialogue_meeting_request(
            actor=actor,
            program=program,
            branch=vest,
            topic="Forankring i kommunene",
            suggested_times="uke 40",
        )
    assert _to(mail.outbox) == ["program@example.org"]
    message = mail.outbox[0]
    assert "Norsk kulturskoleråd Vestland" in message.subject
    assert "Forankring i kommunene" in message.body
    assert "uke 40" in message.body
    assert f"/program/{program.pk}/dialogmoter/" in message.body
    entry = AuditEntry.objects.get(action="programs.dialogue_meeting.requested")
    assert entry.details["notice_recipients"] == 1
    assert Delivery.objects.get().program_id == program.pk


def test_dialogue_wish_in_the_registration_tells_leadership_once(
    branch_setup, django_capture_on_commit_callbacks
):
    from tests.programs.test_services import _save

    with django_capture_on_commit_callbacks(execute=True):
        reg = _save(branch_setup, data={"dialogue_meeting_wanted": True, "dialogue_meeting_topic": "Plan"})
        _save(
            branch_setup,
            data={"dialogue_meeting_wanted": True, "dialogue_meeting_topic": "Ny plan"},
            version=1,
        )
    assert reg.version == 1
    to_leadership = [m for m in mail.outbox if parseaddr(m.to[0])[1] == "program@example.org"]
    assert len(to_leadership) == 1
    assert Delivery.objects.filter(occasion=DIALOGUE_MEETING_REQUESTED.code).count() == 1


# --- leadership edits and previews the notices like the reminders ------------------------------------


def test_notices_are_listed_editable_and_previewed_before_anything_is_sent(client, leader, branches):
    program = ProgramFactory(unpublished=True, invitation_text="Tre semestre med samlinger.")
    client.force_login(leader)
    page = client.get(reverse("reminders:delivery_list") + f"?program={program.pk}")
    html = page.content.decode()
    assert str(EDITION_INVITATION.label) in html
    assert str(DIALOGUE_MEETING_REQUESTED.label) in html
    assert reverse("reminders:occasion_setting_edit", args=[program.pk, EDITION_INVITATION.code]) in html
    assert reverse("reminders:occasion_pause", args=[program.pk, EDITION_INVITATION.code]) not in html

    url = reverse("reminders:occasion_setting_edit", args=[program.pk, EDITION_INVITATION.code])
    page = client.get(url)
    assert page.status_code == 200
    assert "offsets_days" not in page.context["form"].fields
    preview = page.context["preview"]
    assert "Tre semestre med samlinger." in preview.body

    page = client.post(
        url, {"subject_override": "Nå: {program}", "body_override": "Kjære {navn}", "preview": "1"}
    )
    assert page.context["preview"].subject == f"Nå: {program.name}"
    assert not OccasionSetting.objects.exists()  # a preview saves nothing

    response = client.post(url, {"subject_override": "Nå: {program}", "body_override": "Kjære {navn}"})
    assert response.status_code == 302
    setting = OccasionSetting.objects.get(program=program, occasion=EDITION_INVITATION.code)
    assert setting.subject_override == "Nå: {program}"
    assert AuditEntry.objects.filter(action="reminders.occasion_setting.updated").exists()
    # a notice has no pause: it goes when its step happens
    assert (
        client.post(
            reverse("reminders:occasion_pause", args=[program.pk, EDITION_INVITATION.code]), {"paused": "1"}
        )
    ).status_code == 404


def test_the_reminders_page_of_an_edition_counts_its_receipts_and_notices(
    client, leader, branch_setup, django_capture_on_commit_callbacks
):
    from tests.programs.test_services import _save

    program = branch_setup["program"]
    with django_capture_on_commit_callbacks(execute=True):
        _save(branch_setup, data={"dialogue_meeting_wanted": True, "dialogue_meeting_topic": "Plan"})
    assert mail.outbox  # receipts and the request to leadership left
    client.force_login(leader)
    page = client.get(reverse("reminders:delivery_list") + f"?program={program.pk}&vis=sendt")
    assert page.context["counts"]["sent"] == Delivery.objects.count() == len(mail.outbox)


def test_every_notice_is_previewed_on_the_editions_own_data(client, leader, branches):
    from applications.reminders import APPLICATION_WINDOW_OPENED, JURY_ASSIGNMENT
    from reminders.occasions import NoticeOccasion, occasions_configurable
    from tests.applications.factories import ApplicationFactory, JuryMemberFactory, ReviewFactory, open_region
    from tests.programs.factories import InterestDeadlineExtensionFactory

    rp, branch, _county, municipalities = open_region()
    board_member(branch, email="styre.region@example.org", full_name="Rolf Region")
    program = rp.program
    vest, _agder = branches
    InterestDeadlineExtensionFactory(
        program=program, branch=vest, deadline=program.interest_deadline + dt.timedelta(days=3)
    )
    application = ApplicationFactory(regional_program=rp, municipality=municipalities[0], submitted=True)
    ReviewFactory(application=application, jury_member=JuryMemberFactory(regional_program=rp))
    services.dialogue_meeting_request(actor=leader, program=program, branch=vest, topic="Plan for samlingene")

    notices = [o for o in occasions_configurable() if isinstance(o, NoticeOccasion)]
    assert {o.code for o in notices} >= {
        EDITION_INVITATION.code,
        INTEREST_DEADLINE_EXTENDED.code,
        DIALOGUE_MEETING_REQUESTED.code,
        APPLICATION_WINDOW_OPENED.code,
        JURY_ASSIGNMENT.code,
    }
    client.force_login(leader)
    expected = {
        EDITION_INVITATION.code: program.name,
        INTEREST_DEADLINE_EXTENDED.code: "ny frist",
        DIALOGUE_MEETING_REQUESTED.code: "Plan for samlingene",
        APPLICATION_WINDOW_OPENED.code: rp.name,
        JURY_ASSIGNMENT.code: municipalities[0].name,
    }
    for code, text in expected.items():
        page = client.get(reverse("reminders:occasion_setting_edit", args=[program.pk, code]))
        preview = page.context["preview"]
        assert preview is not None, code
        assert not preview.error, (code, preview.error)
        assert text in preview.body, code
