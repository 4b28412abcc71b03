"""Scheduling, registration with capacity and waiting list, attendance, needs erasure, hand-ins, feeds."""

import datetime as dt
from email.utils import parseaddr

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone
from icalendar import Calendar

from audit.models import AuditEntry
from gatherings import services
from gatherings.calendar import gathering_attachment, gathering_event, gathering_uid
from gatherings.models import GatheringStatus, HandIn, Registration, RegistrationStatus
from reminders.models import Delivery
from tests.factories import UserFactory, municipal_contact
from tests.gatherings.factories import GatheringFactory, MemberFactory, RegistrationFactory, make_region, oslo

pytestmark = pytest.mark.django_db


def _data(**overrides):
    start = timezone.now() + dt.timedelta(days=40)
    data = {
        "semester": None,
        "kind": "gathering",
        "number": 1,
        "title": "Forankring",
        "theme": "Forankring og begrunnelser",
        "starts_at": start,
        "ends_at": start + dt.timedelta(hours=6),
        "venue": "Kulturhuset",
        "address": "Storgata 1",
        "video_link": "",
        "host_municipality": None,
        "capacity": 20,
        "registration_deadline": start - dt.timedelta(days=10),
        "preparation": "Les rapporten.",
        "between_work": "Skriv gjort – lært – lurt.",
        "between_work_due": start + dt.timedelta(days=30),
    }
    data.update(overrides)
    return data


def _to(message) -> str:
    return parseaddr(message.to[0])[1]


def _ics(delivery_or_mail) -> Calendar:
    content = delivery_or_mail.attachments[0]
    return Calendar.from_ical(content[1] if isinstance(content, tuple) else content.content)


def test_scheduling_invites_every_group_coordinator_with_the_calendar_entry(
    leader, django_capture_on_commit_callbacks
):
    r = make_region()
    contact = municipal_contact(r.groups[0].municipality, email="kontakt@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        gathering = services.gathering_schedule(actor=leader, regional_program=r.region, data=_data())
    to = sorted(_to(m) for m in mail.outbox)
    assert contact.email in to
    assert all(g.coordinator_email in to for g in r.groups)
    cal = _ics(mail.outbox[0])
    event = cal.walk("VEVENT")[0]
    assert str(event["UID"]).startswith(f"samling-{gathering.uid}@")
    assert event["SEQUENCE"] == 0
    assert cal.walk("VTIMEZONE")[0]["TZID"] == "Europe/Oslo"
    assert AuditEntry.objects.filter(action="gatherings.gathering.scheduled").count() == 1


def test_reschedule_needs_a_reason_raises_sequence_and_tells_the_registered(
    leader, django_capture_on_commit_callbacks
):
    r = make_region()
    gathering = services.gathering_schedule(actor=leader, regional_program=r.region, data=_data())
    RegistrationFactory(gathering=gathering, municipality=r.municipalities[0], email="kommer@example.org")
    moved = _data(
        starts_at=gathering.starts_at + dt.timedelta(days=1), ends_at=gathering.ends_at + dt.timedelta(days=1)
    )
    with pytest.raises(ValidationError) as exc:
        services.gathering_update(actor=leader, gathering=gathering, data=moved)
    assert "reason" in exc.value.message_dict
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        updated = services.gathering_update(
            actor=leader, gathering=gathering, data=moved, reason="Lokalet er dobbeltbooket"
        )
    assert updated.sequence == 1
    person = [m for m in mail.outbox if _to(m) == "kommer@example.org"]
    assert len(person) == 1
    assert "Lokalet er dobbeltbooket" in person[0].body
    assert _ics(person[0]).walk("VEVENT")[0]["SEQUENCE"] == 1
    assert AuditEntry.objects.filter(action="gatherings.gathering.rescheduled").exists()


def test_a_change_without_new_time_or_place_raises_sequence_without_mail(
    leader, django_capture_on_commit_callbacks
):
    r = make_region()
    gathering = services.gathering_schedule(actor=leader, regional_program=r.region, data=_data())
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        updated = services.gathering_update(
            actor=leader,
            gathering=gathering,
            data=_data(
                starts_at=gathering.starts_at,
                ends_at=gathering.ends_at,
                registration_deadline=gathering.registration_deadline,
                between_work_due=gathering.between_work_due,
                theme="Nytt tema",
            ),
        )
    assert updated.sequence == 1
    assert mail.outbox == []


def test_cancel_tells_everyone_with_a_cancelled_calendar_entry(leader, django_capture_on_commit_callbacks):
    r = make_region()
    gathering = services.gathering_schedule(actor=leader, regional_program=r.region, data=_data())
    RegistrationFactory(gathering=gathering, municipality=r.municipalities[0], email="kommer@example.org")
    gathering_ics_before = gathering_attachment(gathering).content
    assert gathering_attachment(gathering).mimetype == "text/calendar"
    mail.outbox.clear()
    with pytest.raises(ValidationError):
        services.gathering_cancel(actor=leader, gathering=gathering, reason=" ")
    with django_capture_on_commit_callbacks(execute=True):
        services.gathering_cancel(actor=leader, gathering=gathering, reason="For få påmeldte")
    gathering.refresh_from_db()
    assert gathering.status == GatheringStatus.CANCELLED
    person = next(m for m in mail.outbox if _to(m) == "kommer@example.org")
    cal = _ics(person)
    event = cal.walk("VEVENT")[0]
    assert event["STATUS"] == "CANCELLED"
    assert event["SEQUENCE"] == 1
    assert "For få påmeldte" in person.body
    # an iTIP cancellation, so Outlook and Apple Calendar take the invitation's event (same UID) out
    assert str(cal["METHOD"]) == "CANCEL"
    assert str(event["UID"]) == gathering_uid(gathering)
    assert str(event["ORGANIZER"]) == "mailto:" + parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    attachment = person.message().get_payload()[-1]
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_param("method") == "CANCEL"
    # the invitation it takes back was a plain PUBLISH with a lower SEQUENCE
    invitation = Calendar.from_ical(gathering_ics_before)
    assert str(invitation["METHOD"]) == "PUBLISH"
    assert invitation.walk("VEVENT")[0]["SEQUENCE"] < event["SEQUENCE"]
    # the subscription feeds (METHOD:PUBLISH) keep the event, marked cancelled, with no iTIP organiser
    in_feed = gathering_event(gathering)
    assert in_feed["STATUS"] == "CANCELLED"
    assert "ORGANIZER" not in in_feed


def test_cancellation_subject_shows_the_title_as_typed_not_html_escaped(
    leader, django_capture_on_commit_callbacks
):
    r = make_region()
    gathering = services.gathering_schedule(
        actor=leader, regional_program=r.region, data=_data(title="Musikk & dans <3")
    )
    RegistrationFactory(gathering=gathering, municipality=r.municipalities[0], email="kommer@example.org")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.gathering_cancel(actor=leader, gathering=gathering, reason="For få påmeldte")
    person = next(m for m in mail.outbox if _to(m) == "kommer@example.org")
    assert "Musikk & dans <3" in person.subject
    assert "&amp;" not in person.subject
    assert "&lt;" not in person.subject


# --- registration ---------------------------------------------------------------------------------------


def _answers(members, status="attending", **needs):
    return [services.Answer(member=m, status=status, **needs) for m in members]


def test_capacity_fills_then_the_waiting_list_and_a_freed_place_goes_to_the_first_waiting(
    django_capture_on_commit_callbacks,
):
    r = make_region(members=2)
    gathering = GatheringFactory(regional_program=r.region, capacity=3)
    a, b = r.groups
    coordinator_a = municipal_contact(a.municipality)
    coordinator_b = municipal_contact(b.municipality, email="koord-b@example.org")
    first = services.group_registrations_save(
        actor=coordinator_a, gathering=gathering, group=a, answers=_answers(a.members.all())
    )
    assert len(first.attending) == 2
    second = services.group_registrations_save(
        actor=coordinator_b, gathering=gathering, group=b, answers=_answers(b.members.all())
    )
    assert len(second.attending) == 1
    assert len(second.waitlisted) == 1
    waiting = Registration.objects.get(status=RegistrationStatus.WAITLISTED)
    assert Registration.objects.filter(gathering=gathering, status=RegistrationStatus.ATTENDING).count() == 3
    # one of group A withdraws: the first on the waiting list gets the place and an e-mail
    leaving = a.members.first()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.group_registrations_save(
            actor=coordinator_a,
            gathering=gathering,
            group=a,
            answers=[services.Answer(member=leaving, status="not_attending")],
        )
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.ATTENDING
    assert waiting.promoted_at is not None
    to = {_to(m) for m in mail.outbox}
    assert waiting.email in to
    assert coordinator_b.email in to
    assert "fått plass" in mail.outbox[0].subject


def test_registration_deadline_refuses_the_coordinator_but_not_leadership(leader):
    r = make_region(members=1)
    gathering = GatheringFactory(
        regional_program=r.region, registration_deadline=timezone.now() - dt.timedelta(minutes=1)
    )
    group = r.groups[0]
    coordinator = municipal_contact(group.municipality)
    with pytest.raises(ValidationError, match="fristen er ute"):
        services.group_registrations_save(
            actor=coordinator, gathering=gathering, group=group, answers=_answers(group.members.all())
        )
    result = services.group_registrations_save(
        actor=leader, gathering=gathering, group=group, answers=_answers(group.members.all())
    )
    assert len(result.attending) == 1


def test_needs_are_kept_when_the_coordinator_leaves_them_empty_and_erased_weeks_after(settings):
    settings.GATHERINGS_NEEDS_ERASE_WEEKS = 2
    r = make_region(members=1)
    group = r.groups[0]
    gathering = GatheringFactory(regional_program=r.region)
    coordinator = municipal_contact(group.municipality)
    services.group_registrations_save(
        actor=coordinator,
        gathering=gathering,
        group=group,
        answers=_answers(group.members.all(), dietary_needs="Nøtteallergi"),
    )
    services.group_registrations_save(
        actor=coordinator, gathering=gathering, group=group, answers=_answers(group.members.all())
    )
    row = Registration.objects.get()
    assert row.dietary_needs == "Nøtteallergi"
    assert services.needs_erase_due(now=gathering.ends_at + dt.timedelta(weeks=1)) == 0
    assert services.needs_erase_due(now=gathering.ends_at + dt.timedelta(weeks=2, days=1)) == 1
    row.refresh_from_db()
    assert row.dietary_needs == ""
    entry = AuditEntry.objects.get(action="gatherings.needs.erased")
    assert entry.actor is None
    assert entry.details["count"] == 1


def test_pre_gathering_takes_people_from_member_municipalities_before_any_group(leader):
    r = make_region(groups=0)
    gathering = GatheringFactory(regional_program=r.region, pre=True, capacity=1)
    contact = municipal_contact(r.municipalities[0])
    first = services.pre_registration_add(
        actor=contact,
        gathering=gathering,
        municipality=r.municipalities[0],
        data={"name": "Ola", "email": "ola@example.org"},
    )
    second = services.pre_registration_add(
        actor=contact,
        gathering=gathering,
        municipality=r.municipalities[0],
        data={"name": "Kari", "email": "kari@example.org"},
    )
    assert first.status == RegistrationStatus.ATTENDING
    assert second.status == RegistrationStatus.WAITLISTED
    services.registration_withdraw(actor=contact, registration=first)
    second.refresh_from_db()
    assert second.status == RegistrationStatus.ATTENDING


def test_attendance_is_audited():
    row = RegistrationFactory(gathering=GatheringFactory(past=True))
    leader = UserFactory(leadership=True)
    services.attendance_mark(actor=leader, registration=row, attended=True)
    row.refresh_from_db()
    assert row.attended is True
    assert AuditEntry.objects.filter(action="gatherings.attendance.marked").count() == 1


def test_attendance_is_refused_before_the_start_day_and_opens_on_it():
    leader = UserFactory(leadership=True)
    ahead = RegistrationFactory(gathering=GatheringFactory(starts_at=timezone.now() + dt.timedelta(days=14)))
    with pytest.raises(ValidationError) as exc:
        services.attendance_mark(actor=leader, registration=ahead, attended=True)
    assert "Oppmøte kan registreres fra samlingens første dag" in exc.value.messages[0]
    ahead.refresh_from_db()
    assert ahead.attended is None
    started = RegistrationFactory(
        gathering=GatheringFactory(starts_at=timezone.now() - dt.timedelta(minutes=1))
    )
    assert services.attendance_mark(actor=leader, registration=started, attended=True).attended is True
    # open from the start day (Oslo), also before the hour it starts
    g = started.gathering
    g.starts_at = oslo(2030, 9, 10, 18)
    assert g.attendance_is_open(now=oslo(2030, 9, 10, 8))
    assert not g.attendance_is_open(now=oslo(2030, 9, 9, 23))


# --- hand-ins -------------------------------------------------------------------------------------------


def test_hand_in_keeps_drafts_refuses_stale_versions_and_marks_late():
    r = make_region(members=1)
    group = r.groups[0]
    gathering = GatheringFactory(
        regional_program=r.region, past=True, between_work_due=timezone.now() - dt.timedelta(days=1)
    )
    user = municipal_contact(group.municipality)
    draft = services.hand_in_save(
        actor=user, gathering=gathering, group=group, data={"done": "Møte med rektor"}, expected_version=1
    )
    assert draft.version == 2
    assert not draft.is_submitted
    with pytest.raises(services.HandInConflict):
        services.hand_in_save(
            actor=user, gathering=gathering, group=group, data={"done": "Annet"}, expected_version=1
        )
    # handing in with empty fields: refused, but what was typed is stored
    with pytest.raises(ValidationError) as exc:
        services.hand_in_save(
            actor=user,
            gathering=gathering,
            group=group,
            data={"learned": "Mye"},
            expected_version=2,
            submit=True,
        )
    assert set(exc.value.message_dict) == {"next_steps"}
    stored = HandIn.objects.get()
    assert stored.learned == "Mye"
    assert not stored.is_submitted
    done = services.hand_in_save(
        actor=user,
        gathering=gathering,
        group=group,
        data={"next_steps": "Mer samarbeid"},
        expected_version=stored.version,
        submit=True,
    )
    assert done.is_submitted
    assert done.is_late


def test_feeds_can_be_revoked_and_renewed():
    user = UserFactory()
    feed = services.feed_create(actor=user)
    new = services.feed_renew(actor=user, feed=feed)
    feed.refresh_from_db()
    assert feed.revoked_at is not None
    assert new.token != feed.token
    assert new.revoked_at is None


def test_member_of_another_group_is_ignored():
    r = make_region(members=1)
    gathering = GatheringFactory(regional_program=r.region)
    a, b = r.groups
    stranger = MemberFactory(group=b)
    services.group_registrations_save(actor=None, gathering=gathering, group=a, answers=_answers([stranger]))
    assert not Registration.objects.exists()


def test_delivery_rows_exist_for_the_invitation(leader):
    r = make_region()
    services.gathering_schedule(actor=leader, regional_program=r.region, data=_data())
    assert Delivery.objects.filter(occasion="gatherings.invitation").count() == len(r.groups)


def test_personal_data_export_and_erase_cover_registrations():
    from accounts.privacy import Person
    from gatherings import personal_data

    row = RegistrationFactory(email="person@example.org", dietary_needs="Vegan")
    exported = personal_data.export(Person(email="PERSON@example.org"))
    assert exported["påmeldinger til samlinger"][0]["allergier og kosthold"] == "Vegan"
    assert personal_data.erase(Person(email="person@example.org"), actor=None) == 1
    row.refresh_from_db()
    assert row.email == ""
    assert row.dietary_needs == ""
