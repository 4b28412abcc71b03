import datetime as dt
from email.utils import parseaddr

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from audit.models import AuditEntry
from programs import services
from programs.models import DialogueMeeting, DialogueMeetingStatus, InterestLevel, InterestRegistration
from programs.timing import OSLO, deadline_from_date
from tests.factories import (
    CountyBranchFactory,
    MunicipalityFactory,
    ProgramFactory,
    UserFactory,
    board_member,
)
from tests.programs.factories import AnnualMeetingDecisionFactory, InterestRegistrationFactory

DATA = {
    "level": InterestLevel.YES,
    "contact_name": "Stian Styre",
    "contact_email": "stian@example.org",
    "contact_phone": "+47 400 00 002",
    "dialogue_meeting_wanted": False,
    "dialogue_meeting_times": "",
    "dialogue_meeting_topic": "",
    "comment": "Styret er positivt.",
}


def _save(setup, *, data=None, municipalities=None, version=0, actor=None):
    return services.interest_registration_save(
        actor=actor or setup["board"],
        program=setup["program"],
        branch=setup["branch"],
        data={**DATA, **(data or {})},
        municipalities=setup["members"][:2] if municipalities is None else municipalities,
        expected_version=version,
    )


def test_first_save_creates_registration_audits_and_sends_receipts(
    branch_setup, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        registration = _save(branch_setup)
    assert registration.version == 1
    assert [m.name for m in registration.municipalities.order_by("name")] == ["Askvoll", "Kinn"]
    entry = AuditEntry.objects.get(action="programs.interest_registration.created")
    assert entry.actor == branch_setup["board"]
    assert entry.details["changed_fields"]["level"]["to"] == "yes"
    recipients = sorted(parseaddr(m.to[0])[1] for m in mail.outbox)
    assert recipients == ["stian@example.org", "styre@example.org", "testfylket@example.org"]
    receipt = mail.outbox[0]
    assert "Kvittering: interessemelding fra Testfylket" in receipt.subject
    assert "Ja, vi vil delta" in receipt.body
    assert "Askvoll, Kinn" in receipt.body
    assert "Askvoll, Kinn" in receipt.alternatives[0][0]


def test_update_bumps_version_and_audits_only_what_changed(branch_setup, django_capture_on_commit_callbacks):
    first = _save(branch_setup)
    with django_capture_on_commit_callbacks(execute=True):
        second = _save(
            branch_setup,
            data={"level": InterestLevel.MAYBE},
            municipalities=branch_setup["members"],
            version=first.version,
        )
    assert second.version == 2
    entry = AuditEntry.objects.get(action="programs.interest_registration.updated")
    assert set(entry.details["changed_fields"]) == {"level", "municipalities"}
    assert entry.details["changed_fields"]["level"] == {"from": "yes", "to": "maybe"}
    assert entry.details["changed_fields"]["municipalities"]["to"] == "Askvoll, Kinn, Sunnfjord"
    assert len(mail.outbox) == 3  # a fresh receipt for version 2


def test_saving_without_changes_writes_nothing(branch_setup):
    first = _save(branch_setup)
    again = _save(branch_setup, version=first.version)
    assert again.version == 1
    assert AuditEntry.objects.filter(action="programs.interest_registration.updated").count() == 0


def test_stale_version_is_refused_with_who_and_when(branch_setup):
    first = _save(branch_setup)
    other = board_member(branch_setup["branch"], full_name="Olga Annen")
    _save(branch_setup, data={"comment": "Olgas tekst"}, version=first.version, actor=other)
    with pytest.raises(services.RegistrationConflict) as exc:
        _save(branch_setup, data={"comment": "Stians tekst"}, version=first.version)
    assert "Olga Annen" in exc.value.messages[0]
    assert exc.value.current.comment == "Olgas tekst"
    assert InterestRegistration.objects.get().comment == "Olgas tekst"


def test_create_when_someone_else_already_created_is_a_conflict(branch_setup):
    _save(branch_setup)
    with pytest.raises(services.RegistrationConflict):
        _save(branch_setup, version=0)


def test_non_member_or_other_branch_municipality_is_refused(branch_setup):
    elsewhere = MunicipalityFactory(name="Annenstad")
    with pytest.raises(ValidationError) as exc:
        _save(branch_setup, municipalities=[branch_setup["outsider"], elsewhere])
    assert "Ikkemedlem" in str(exc.value.message_dict["municipalities"])
    assert "Annenstad" in str(exc.value.message_dict["municipalities"])
    assert not InterestRegistration.objects.exists()


@pytest.mark.parametrize(
    ("day", "label"),
    [
        (dt.date(2026, 9, 15), "vanlig høstdag (sommertid)"),
        (dt.date(2026, 3, 29), "dagen sommertiden begynner"),
        (dt.date(2026, 10, 25), "dagen sommertiden slutter"),
        (dt.date(2026, 12, 15), "vintertid"),
    ],
)
def test_deadline_edges_in_oslo_time(branch_setup, clock, day, label):
    program = branch_setup["program"]
    program.interest_deadline = deadline_from_date(day)
    program.save()
    last_second = dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=OSLO)
    midnight = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0, 0), tzinfo=OSLO)
    assert (midnight - last_second) == dt.timedelta(seconds=1), label

    clock.set(last_second.astimezone(dt.UTC))
    assert _save(branch_setup).version == 1

    clock.set(midnight.astimezone(dt.UTC))
    with pytest.raises(services.DeadlinePassed) as exc:
        _save(branch_setup, data={"comment": "for sent"}, version=1)
    assert "23:59" in exc.value.messages[0]
    assert InterestRegistration.objects.get().comment == DATA["comment"]


def test_deadline_stored_from_date_is_2359_oslo_on_both_sides_of_dst():
    summer = deadline_from_date(dt.date(2026, 9, 15))
    winter = deadline_from_date(dt.date(2026, 12, 15))
    assert summer.astimezone(dt.UTC).strftime("%H:%M") == "21:59"
    assert winter.astimezone(dt.UTC).strftime("%H:%M") == "22:59"


def test_extension_lets_one_branch_save_after_the_edition_deadline(branch_setup, clock):
    program = branch_setup["program"]
    program.interest_deadline = deadline_from_date(dt.date(2026, 9, 15))
    program.save()
    leader = UserFactory(leadership=True, full_name="Liv Leder")
    services.interest_deadline_extend(
        actor=leader,
        program=program,
        branch=branch_setup["branch"],
        deadline=deadline_from_date(dt.date(2026, 9, 22)),
    )
    clock.set(dt.datetime(2026, 9, 22, 23, 59, 59, tzinfo=OSLO))
    assert _save(branch_setup).version == 1
    clock.set(dt.datetime(2026, 9, 23, 0, 0, 0, tzinfo=OSLO))
    with pytest.raises(services.DeadlinePassed):
        _save(branch_setup, data={"comment": "for sent"}, version=1)
    # Another branch without an extension is locked since 15 September.
    other = CountyBranchFactory()
    clock.set(dt.datetime(2026, 9, 16, 12, 0, tzinfo=OSLO))
    with pytest.raises(services.DeadlinePassed):
        services.interest_registration_save(
            actor=leader, program=program, branch=other, data=DATA, municipalities=[], expected_version=0
        )
    entry = AuditEntry.objects.get(action="programs.interest_deadline_extension.granted")
    assert entry.details["branch"] == branch_setup["branch"].name


def test_extension_must_be_later_than_the_edition_deadline(branch_setup):
    program = branch_setup["program"]
    with pytest.raises(ValidationError) as exc:
        services.interest_deadline_extend(
            actor=UserFactory(leadership=True, full_name="Liv Leder"),
            program=program,
            branch=branch_setup["branch"],
            deadline=program.interest_deadline - dt.timedelta(days=1),
        )
    assert "deadline" in exc.value.message_dict


def test_wish_for_dialogue_meeting_becomes_one_request(branch_setup):
    reg = _save(branch_setup, data={"dialogue_meeting_wanted": True, "dialogue_meeting_topic": "Forankring"})
    _save(
        branch_setup,
        data={"dialogue_meeting_wanted": True, "dialogue_meeting_topic": "Forankring og plan"},
        version=reg.version,
    )
    meeting = DialogueMeeting.objects.get()
    assert meeting.status == DialogueMeetingStatus.REQUESTED
    assert meeting.topic == "Forankring og plan"


def test_dialogue_meeting_on_behalf_of_another_actor_and_scheduling(branch_setup):
    leader = UserFactory(leadership=True, full_name="Liv Leder")
    with pytest.raises(ValidationError):
        services.dialogue_meeting_request(
            actor=leader, program=branch_setup["program"], branch=None, topic="x"
        )
    meeting = services.dialogue_meeting_request(
        actor=leader,
        program=branch_setup["program"],
        branch=None,
        requester_name="Kinn kommune",
        topic="Oppstart",
    )
    with pytest.raises(ValidationError) as exc:
        services.dialogue_meeting_schedule(
            actor=leader,
            meeting=meeting,
            starts_at=dt.datetime(2030, 10, 1, 10, tzinfo=OSLO),
            duration_minutes=60,
        )
    assert "location" in exc.value.message_dict
    meeting = services.dialogue_meeting_schedule(
        actor=leader,
        meeting=meeting,
        starts_at=dt.datetime(2030, 10, 1, 10, tzinfo=OSLO),
        duration_minutes=90,
        video_link="https://video.example.org/kinn",
        participants="Liv Leder",
    )
    assert meeting.status == DialogueMeetingStatus.SCHEDULED
    assert meeting.counterpart == "Kinn kommune"
    entry = AuditEntry.objects.get(action="programs.dialogue_meeting.scheduled")
    assert "starts_at" in entry.details["changed_fields"]


def test_annual_meeting_decision_is_recorded_and_updated(branch_setup):
    board = branch_setup["board"]
    decision = services.annual_meeting_decision_record(
        actor=board,
        program=branch_setup["program"],
        branch=branch_setup["branch"],
        meeting_date=dt.date(2026, 10, 10),
        participates=True,
    )
    services.annual_meeting_decision_record(
        actor=board,
        program=branch_setup["program"],
        branch=branch_setup["branch"],
        meeting_date=dt.date(2026, 10, 10),
        participates=False,
        comment="Vi venter et år",
    )
    decision.refresh_from_db()
    assert decision.participates is False
    entries = AuditEntry.objects.filter(action="programs.annual_meeting_decision.recorded").order_by("id")
    assert entries.count() == 2
    assert set(entries.last().details["changed_fields"]) == {"participates", "comment"}


def test_regional_program_only_from_confirmed_branches_and_once(branch_setup):
    program = branch_setup["program"]
    leader = UserFactory(leadership=True, full_name="Liv Leder")
    confirmed = AnnualMeetingDecisionFactory(program=program, branch=branch_setup["branch"]).branch
    other = AnnualMeetingDecisionFactory(program=program, participates=True).branch
    declined = AnnualMeetingDecisionFactory(program=program, participates=False).branch
    with pytest.raises(ValidationError) as exc:
        services.regional_program_create(
            actor=leader, program=program, name="Vest", branches=[confirmed, declined]
        )
    assert "branches" in exc.value.message_dict
    regional = services.regional_program_create(
        actor=leader, program=program, name="Vest og nord", branches=[confirmed, other]
    )
    assert set(regional.branches.all()) == {confirmed, other}
    with pytest.raises(ValidationError):
        services.regional_program_create(actor=leader, program=program, name="Igjen", branches=[confirmed])
    assert AuditEntry.objects.filter(action="programs.regional_program.created").count() == 1


def test_program_create_update_publish_are_audited(db):
    leader = UserFactory(leadership=True, full_name="Liv Leder")
    program = services.program_create(
        actor=leader,
        data={
            "name": "Regionale program 2027",
            "slug": "rp-2027",
            "invitation_text": "Velkommen",
            "interest_deadline": deadline_from_date(dt.date(2027, 9, 15)),
            "start_semester": "høst 2028",
            "contact_email": "program@example.org",
        },
    )
    assert not program.is_published
    services.program_update(actor=leader, program=program, data={"name": "Regionale program 2027–2029"})
    services.program_publish(actor=leader, program=program, publish=True)
    actions = list(AuditEntry.objects.order_by("id").values_list("action", flat=True))
    assert actions == ["programs.program.created", "programs.program.updated", "programs.program.published"]
    program.refresh_from_db()
    assert program.is_published
    assert program.name == "Regionale program 2027–2029"


def test_existing_registration_factory_is_usable(branch_setup):
    # Sanity for the factory the other tests lean on: a registration names only the given municipalities.
    reg = InterestRegistrationFactory(
        program=branch_setup["program"],
        branch=branch_setup["branch"],
        municipalities=branch_setup["members"][:1],
    )
    assert list(reg.municipalities.values_list("name", flat=True)) == ["Askvoll"]
    assert ProgramFactory().interest_registrations.count() == 0


def test_scheduling_mails_the_branch_and_requester_with_a_calendar_entry(
    branch_setup, django_capture_on_commit_callbacks
):
    leader = UserFactory(leadership=True, full_name="Liv Leder")
    meeting = services.dialogue_meeting_request(
        actor=branch_setup["board"],
        program=branch_setup["program"],
        branch=branch_setup["branch"],
        topic="Plan",
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.dialogue_meeting_schedule(
            actor=leader,
            meeting=meeting,
            starts_at=dt.datetime(2030, 12, 1, 10, tzinfo=OSLO),
            duration_minutes=60,
            location="Førde kulturhus",
        )
    assert sorted(parseaddr(m.to[0])[1] for m in mail.outbox) == [
        "styre@example.org",
        "testfylket@example.org",
    ]
    message = mail.outbox[0]
    assert "Dialogmøte avtalt 1. desember 2030 kl. 10:00" in message.subject
    assert "Førde kulturhus" in message.body
    filename, content, mimetype = message.attachments[0]
    assert filename.endswith(".ics")
    assert mimetype.startswith("text/calendar")
    assert "BEGIN:VEVENT" in (content.decode() if isinstance(content, bytes) else content)


def test_extension_tells_the_branch_its_new_deadline(branch_setup, django_capture_on_commit_callbacks):
    program = branch_setup["program"]
    new = program.interest_deadline + dt.timedelta(days=7)
    with django_capture_on_commit_callbacks(execute=True):
        services.interest_deadline_extend(
            actor=UserFactory(leadership=True, full_name="Liv Leder"),
            program=program,
            branch=branch_setup["branch"],
            deadline=new,
        )
    # the branch's address and its board members (issue 12: the board was not told)
    assert sorted(parseaddr(m.to[0])[1] for m in mail.outbox) == [
        "styre@example.org",
        "testfylket@example.org",
    ]
    assert "Ny frist for interessemelding fra Testfylket" in mail.outbox[0].subject


def test_moving_the_deadline_moves_the_planned_reminders_at_once(db):
    from programs.reminders import INTEREST_DEADLINE
    from reminders.models import Delivery
    from reminders.services import deliveries_plan

    leader = UserFactory(leadership=True)
    program = ProgramFactory(
        interest_deadline=deadline_from_date(timezone.localdate() + dt.timedelta(days=40))
    )
    CountyBranchFactory(email="vest@example.org")
    deliveries_plan(codes=[INTEREST_DEADLINE])
    before = dict(Delivery.objects.values_list("key", "planned_at"))
    new = program.interest_deadline + dt.timedelta(days=5)
    services.program_update(actor=leader, program=program, data={"interest_deadline": new})
    after = dict(Delivery.objects.values_list("key", "planned_at"))
    assert {k: after[k] - before[k] for k in before} == dict.fromkeys(before, dt.timedelta(days=5))
    with pytest.raises(ValidationError) as exc:
        services.program_update(
            actor=leader,
            program=program,
            data={"interest_deadline": deadline_from_date(dt.date(2020, 11, 1))},
        )
    assert "interest_deadline" in exc.value.message_dict
