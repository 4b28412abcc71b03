import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from audit.models import AuditEntry
from core.feeds import feed_by_token, feeds_of
from guidance import services
from guidance.feeds import KINDS
from guidance.models import GuidanceSession, Theme, minutes_to_hours
from guidance.selectors import overview
from tests.guidance.factories import SessionFactory, group_for

SECRET = "Koordinatoren virker sliten, rektor er skeptisk"


def _data(**overrides):
    data = {
        "held_on": timezone.localdate() - dt.timedelta(days=1),
        "duration_minutes": 90,
        "form": "digitalt",
        "summary": "Vi jobbet med forankring.",
        "next_steps": "Kommunegruppen lager en møteplan.",
        "next_session_at": None,
    }
    data.update(overrides)
    return data


def test_minutes_to_hours():
    assert minutes_to_hours(90) == Decimal("1.5")
    assert minutes_to_hours(100) == Decimal("1.7")  # 1.666… rounds half up to one decimal
    assert minutes_to_hours(0) == Decimal("0.0")
    assert minutes_to_hours(45) == Decimal("0.8")


def test_advisor_logs_session_with_two_themes(setting):
    result = services.session_create(
        actor=setting.vera,
        agreement=setting.mine,
        data=_data(),
        themes=[Theme.ANCHORING, Theme.MEETING_METHODS],
        internal_note=SECRET,
    )
    session = result.session
    assert sorted(session.theme_rows.values_list("theme", flat=True)) == ["forankring", "motemetodikk"]
    assert session.theme_count == 2
    assert session.advisor == setting.vera
    assert result.used_minutes == 90
    assert not result.over_frame


def test_session_outside_period_is_refused(setting):
    before = setting.mine.starts_on - dt.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        services.session_create(
            actor=setting.vera, agreement=setting.mine, data=_data(held_on=before), themes=["forankring"]
        )
    assert "held_on" in exc.value.message_dict
    after = setting.mine.ends_on + dt.timedelta(days=1)
    with pytest.raises(ValidationError):
        services.session_create(
            actor=setting.vera, agreement=setting.mine, data=_data(held_on=after), themes=["forankring"]
        )
    # the first and last day of the period are inside it
    services.session_create(
        actor=setting.vera,
        agreement=setting.mine,
        data=_data(held_on=setting.mine.starts_on),
        themes=["forankring"],
    )
    assert GuidanceSession.objects.count() == 1


def test_session_for_unassigned_municipality_is_refused(setting):
    with pytest.raises(ValidationError):
        services.session_create(
            actor=setting.vera, agreement=setting.theirs, data=_data(), themes=["forankring"]
        )
    assert not GuidanceSession.objects.exists()


def test_session_for_declined_agreement_is_refused(setting):
    services.agreement_decline(actor=setting.leader, agreement=setting.mine, declined_on=timezone.localdate())
    with pytest.raises(ValidationError):
        services.session_create(
            actor=setting.vera, agreement=setting.mine, data=_data(), themes=["forankring"]
        )


def test_session_needs_a_theme_and_a_later_next_session(setting):
    with pytest.raises(ValidationError) as exc:
        services.session_create(actor=setting.vera, agreement=setting.mine, data=_data(), themes=[])
    assert "themes" in exc.value.message_dict
    held = _data()["held_on"]
    same_day = dt.datetime.combine(held, dt.time(14, 0), tzinfo=dt.UTC)
    with pytest.raises(ValidationError) as exc:
        services.session_create(
            actor=setting.vera,
            agreement=setting.mine,
            data=_data(next_session_at=same_day),
            themes=["forankring"],
        )
    assert "next_session_at" in exc.value.message_dict


def test_over_frame_is_saved_and_flagged(setting):
    setting.mine.agreed_hours = Decimal("2")
    setting.mine.save()
    first = services.session_create(
        actor=setting.vera, agreement=setting.mine, data=_data(duration_minutes=120), themes=["forankring"]
    )
    assert not first.over_frame  # exactly at the frame is not over it
    second = services.session_create(
        actor=setting.vera, agreement=setting.mine, data=_data(duration_minutes=30), themes=["forankring"]
    )
    assert second.over_frame
    assert second.used_minutes == 150
    assert GuidanceSession.objects.filter(agreement=setting.mine).count() == 2
    assert AuditEntry.objects.filter(action="guidance.session.created", details__over_frame=True).count() == 1


def test_participants_must_belong_to_the_group(setting):
    own = group_for(setting.mine)
    foreign = group_for(setting.theirs)
    services.session_create(
        actor=setting.vera,
        agreement=setting.mine,
        data=_data(),
        themes=["forankring"],
        participants=list(own.members.all()),
    )
    with pytest.raises(ValidationError) as exc:
        services.session_create(
            actor=setting.vera,
            agreement=setting.mine,
            data=_data(),
            themes=["forankring"],
            participants=list(foreign.members.all()),
        )
    assert "participants" in exc.value.message_dict


def test_only_own_sessions_change_and_deletion_is_audited_without_the_note(setting):
    session = services.session_create(
        actor=setting.vera, agreement=setting.mine, data=_data(), themes=["forankring"], internal_note=SECRET
    ).session
    colleague = setting.otto
    setting.mine.advisors.add(colleague)
    with pytest.raises(ValidationError):
        services.session_update(actor=colleague, session=session, data=_data(), themes=["forankring"])
    with pytest.raises(ValidationError):
        services.session_delete(actor=colleague, session=session)
    services.session_update(
        actor=setting.vera,
        session=session,
        data=_data(duration_minutes=60),
        themes=["forankring", "medvirkning"],
        internal_note=SECRET + " – og mer",
    )
    services.session_delete(actor=setting.vera, session=session)
    assert not GuidanceSession.objects.exists()
    actions = list(
        AuditEntry.objects.filter(action__startswith="guidance.session").values_list("action", flat=True)
    )
    assert sorted(actions) == [
        "guidance.session.created",
        "guidance.session.deleted",
        "guidance.session.updated",
    ]
    updated = AuditEntry.objects.get(action="guidance.session.updated")
    assert updated.details["internal_note_changed"] is True
    assert updated.details["duration_minutes"] == {"from": 90, "to": 60}
    deleted = AuditEntry.objects.get(action="guidance.session.deleted")
    assert deleted.details["duration_minutes"] == 60
    for entry in AuditEntry.objects.all():
        assert SECRET not in str(entry.details)
        assert SECRET not in entry.object_repr


def test_plan_revisions_are_all_kept(setting):
    first = services.plan_revise(
        actor=setting.contact,
        agreement=setting.mine,
        data={"where_we_are": "Start", "where_we_want_to_go": "Mål", "how_we_get_there": "Tiltak A"},
    )
    second = services.plan_revise(
        actor=setting.contact,
        agreement=setting.mine,
        data={
            "where_we_are": "Midtveis",
            "where_we_want_to_go": "Mål",
            "how_we_get_there": "Tiltak A og B",
            "change_note": "La til tiltak B",
        },
    )
    assert (first.number, second.number) == (1, 2)
    assert first.plan_id == second.plan_id
    first.refresh_from_db()
    assert first.where_we_are == "Start"  # the first revision is unchanged
    assert first.plan.revisions.count() == 2
    assert AuditEntry.objects.filter(action="guidance.plan.revised").count() == 2


def test_only_the_municipality_writes_the_plan_and_advisor_comments(setting):
    data = {"where_we_are": "a", "where_we_want_to_go": "b", "how_we_get_there": "c"}
    with pytest.raises(ValidationError):
        services.plan_revise(actor=setting.vera, agreement=setting.mine, data=data)
    with pytest.raises(ValidationError):
        services.plan_revise(actor=setting.other_contact, agreement=setting.mine, data=data)
    revision = services.plan_revise(actor=setting.contact, agreement=setting.mine, data=data)
    comment = services.plan_comment_add(
        actor=setting.vera, agreement=setting.mine, revision=revision, text="Godt!"
    )
    assert comment.author == setting.vera
    with pytest.raises(ValidationError):
        services.plan_comment_add(actor=setting.otto, agreement=setting.mine, revision=revision, text="Nei")


def test_decline_is_recorded_with_date(setting):
    day = dt.date(2026, 3, 1)
    services.agreement_decline(
        actor=setting.leader, agreement=setting.mine, declined_on=day, note="Har ikke kapasitet"
    )
    setting.mine.refresh_from_db()
    assert setting.mine.declined_on == day
    entry = AuditEntry.objects.get(action="guidance.agreement.declined")
    assert entry.details["declined_on"] == "2026-03-01"


def test_region_assign_creates_and_updates_agreements(setting):
    from tests.factories import MunicipalityFactory

    new = MunicipalityFactory()
    start, end = dt.date(2026, 1, 1), dt.date(2026, 12, 31)
    touched = services.region_assign(
        actor=setting.leader,
        regional_program=setting.rp,
        rows=[
            services.AssignmentRow(
                municipality=setting.home, advisors=[setting.vera, setting.otto], agreed_hours=Decimal("25")
            ),
            services.AssignmentRow(
                municipality=setting.other, advisors=[setting.otto], agreed_hours=setting.theirs.agreed_hours
            ),
            services.AssignmentRow(municipality=new, advisors=[setting.vera], agreed_hours=Decimal("10")),
        ],
        starts_on=start,
        ends_on=end,
    )
    assert touched == 2  # the unchanged row is left alone
    setting.mine.refresh_from_db()
    assert setting.mine.agreed_hours == Decimal("25")
    assert set(setting.mine.advisors.all()) == {setting.vera, setting.otto}
    created = new.guidance_agreements.get()
    assert (created.starts_on, created.ends_on, created.agreed_hours) == (start, end, Decimal("10"))
    update = AuditEntry.objects.get(action="guidance.agreement.updated", object_id=str(setting.mine.pk))
    assert update.details["advisors"]["to"] == ["Otto Annen", "Vera Veileder"]


def test_region_assign_needs_period_for_new_agreements(setting):
    from tests.factories import MunicipalityFactory

    with pytest.raises(ValidationError):
        services.region_assign(
            actor=setting.leader,
            regional_program=setting.rp,
            rows=[
                services.AssignmentRow(
                    municipality=MunicipalityFactory(), advisors=[setting.vera], agreed_hours=Decimal("5")
                )
            ],
            starts_on=None,
            ends_on=None,
        )


def test_only_advisors_can_be_assigned(setting):
    with pytest.raises(ValidationError):
        services.agreement_update(
            actor=setting.leader, agreement=setting.mine, data={}, advisors=[setting.contact]
        )


def test_per_theme_hours_add_up_to_the_total(setting):
    # 90 min on two themes (45 each), 100 min on three themes (33.3 each), 60 min on one theme.
    SessionFactory(agreement=setting.mine, duration_minutes=90, themes=["forankring", "medvirkning"])
    SessionFactory(
        agreement=setting.mine, duration_minutes=100, themes=["forankring", "struktur", "prosessledelse"]
    )
    SessionFactory(agreement=setting.theirs, duration_minutes=60, themes=["medvirkning"])
    ov = overview(regional_program=setting.rp)
    by_label = {r.label: r for r in ov.themes}
    assert by_label["Forankring og begrunnelser"].extra["exact_minutes"] == pytest.approx(45 + 100 / 3)
    assert by_label["Medvirkning"].extra["exact_minutes"] == pytest.approx(45 + 60)
    assert by_label["Møtemetodikk"].used_minutes == 0
    assert ov.theme_total_minutes == pytest.approx(250)
    assert ov.total_used_minutes == 250
    assert ov.total_used_hours == Decimal("4.2")
    assert sum(r.extra["exact_minutes"] for r in ov.themes) == pytest.approx(ov.total_used_minutes)


def test_calendar_feed_renew_and_revoke(setting):
    feed = services.calendar_feed_renew(actor=setting.vera)
    old = feed.token
    renewed = services.calendar_feed_renew(actor=setting.vera)
    assert renewed.token != old
    assert len(renewed.token) >= 40
    # Renewing made a new address; the old one stopped working.
    assert feed_by_token(old, kinds=KINDS) is None
    assert feed_by_token(renewed.token, kinds=KINDS) == renewed
    services.calendar_feed_revoke(actor=setting.vera)
    assert feed_by_token(renewed.token, kinds=KINDS) is None
    assert not feeds_of(setting.vera, kinds=KINDS).exists()
    with pytest.raises(ValidationError):
        services.calendar_feed_renew(actor=setting.contact)


# --- a meeting already booked stays when a session is logged without a next meeting -----------------------


def _booked(setting, *, days_ago=10, next_at=None):
    """An entry some days ago that booked the next meeting (by default in nine days, 13:00 Oslo time)."""
    today = timezone.localdate()
    next_at = next_at or dt.datetime.combine(
        today + dt.timedelta(days=9), dt.time(13, 0), tzinfo=timezone.get_current_timezone()
    )
    SessionFactory(
        agreement=setting.mine,
        advisor=setting.vera,
        held_on=today - dt.timedelta(days=days_ago),
        next_session_at=next_at,
    )
    return next_at


def _next_at(setting):
    from guidance.selectors import agreement_get

    return agreement_get(user=setting.vera, pk=setting.mine.pk).next_at


def test_forgotten_session_logged_without_next_meeting_keeps_the_booked_one(setting):
    booked = _booked(setting)
    result = services.session_create(
        actor=setting.vera,
        agreement=setting.mine,
        data=_data(held_on=timezone.localdate() - dt.timedelta(days=2)),
        themes=["forankring"],
    )
    assert result.kept_next_at == booked
    assert _next_at(setting) == booked  # the agreement still says «Neste møte: …», not «ikke avtalt»
    entry = AuditEntry.objects.get(action="guidance.session.created")
    assert "next_session_kept" in entry.details


def test_booked_meeting_can_be_called_off_explicitly(setting):
    _booked(setting)
    result = services.session_create(
        actor=setting.vera,
        agreement=setting.mine,
        data=_data(held_on=timezone.localdate() - dt.timedelta(days=2)),
        themes=["forankring"],
        cancel_booked_next=True,
    )
    assert result.kept_next_at is None
    assert _next_at(setting) is None
    assert "next_session_cancelled" in AuditEntry.objects.get(action="guidance.session.created").details


def test_a_new_next_meeting_replaces_the_booked_one(setting):
    _booked(setting)
    new = dt.datetime.combine(
        timezone.localdate() + dt.timedelta(days=20), dt.time(10, 0), tzinfo=timezone.get_current_timezone()
    )
    services.session_create(
        actor=setting.vera,
        agreement=setting.mine,
        data=_data(held_on=timezone.localdate() - dt.timedelta(days=2), next_session_at=new),
        themes=["forankring"],
    )
    assert _next_at(setting) == new


def test_session_held_on_the_booked_day_is_that_meeting_and_consumes_it(setting):
    local_now = timezone.localtime()
    booked = local_now.replace(hour=23, minute=59, second=0, microsecond=0)
    if booked <= local_now + dt.timedelta(minutes=1):
        pytest.skip("needs a booked meeting later today")
    _booked(setting, next_at=booked)
    result = services.session_create(
        actor=setting.vera,
        agreement=setting.mine,
        data=_data(held_on=local_now.date()),
        themes=["forankring"],
    )
    assert result.kept_next_at is None
    assert _next_at(setting) is None  # «ikke avtalt»: the booked meeting is the one just logged


def test_session_older_than_the_latest_entry_leaves_the_plan_alone(setting):
    booked = _booked(setting, days_ago=3)
    result = services.session_create(
        actor=setting.vera,
        agreement=setting.mine,
        data=_data(held_on=timezone.localdate() - dt.timedelta(days=20)),
        themes=["forankring"],
    )
    assert result.session.next_session_at is None  # it did not book the meeting: not written on it
    assert _next_at(setting) == booked


def test_session_dated_in_the_future_is_refused_at_the_date(setting):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        services.session_create(
            actor=setting.vera, agreement=setting.mine, data=_data(held_on=tomorrow), themes=["forankring"]
        )
    assert "Neste møte" in exc.value.message_dict["held_on"][0]
    assert not GuidanceSession.objects.exists()
    # today (Oslo) is fine
    services.session_create(
        actor=setting.vera,
        agreement=setting.mine,
        data=_data(held_on=timezone.localdate()),
        themes=["forankring"],
    )


def test_changing_a_session_to_a_future_date_is_refused(setting):
    session = SessionFactory(agreement=setting.mine, advisor=setting.vera)
    with pytest.raises(ValidationError) as exc:
        services.session_update(
            actor=setting.vera,
            session=session,
            data=_data(held_on=timezone.localdate() + dt.timedelta(days=150)),
            themes=["forankring"],
        )
    assert "held_on" in exc.value.message_dict
    session.refresh_from_db()
    assert session.held_on == timezone.localdate() - dt.timedelta(days=7)
