"""Moving the calendar addresses of gatherings and guidance into core.CalendarFeed keeps every token working
(a subscribed calendar still gets the same events), keeps revoked ones revoked, and moves their audit entries."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from guidance.models import Theme
from tests.factories import UserFactory
from tests.gatherings.factories import GatheringFactory, RegistrationFactory
from tests.guidance.factories import AgreementFactory, SessionFactory, advisor
from tests.migrations import migrated_to

OLD = [("gatherings", "0001_initial"), ("guidance", "0001_initial")]
BEFORE = [*OLD, ("core", "0001_draft_recovery")]  # core without the feeds table
AFTER = [
    ("gatherings", "0002_calendar_feeds_to_core"),
    ("guidance", "0002_calendar_feed_to_core"),
    ("core", "0002_calendar_feed"),
]


def _summaries(response) -> list[str]:
    assert response.status_code == 200
    return [str(e["SUMMARY"]) for e in Calendar.from_ical(response.content).walk("VEVENT")]


@pytest.mark.django_db(transaction=True)
def test_old_tokens_serve_the_same_feeds_after_the_move():
    with migrated_to(BEFORE) as schema:
        old = schema.apps
        OldGatheringsFeed = old.get_model("gatherings", "CalendarFeed")
        OldGuidanceFeed = old.get_model("guidance", "CalendarFeed")
        ContentType = old.get_model("contenttypes", "ContentType")
        AuditEntry = old.get_model("audit", "AuditEntry")

        # The other tables are as they are today: the current factories fill them.
        leader = UserFactory(full_name="Liv Leder", leadership=True)
        gathering = GatheringFactory(title="Forankring i Sunnfjord")
        registered = GatheringFactory(title="Presamling i Førde")
        RegistrationFactory(gathering=registered, email=leader.email)
        vera = advisor(full_name="Vera Veileder")
        agreement = AgreementFactory(advisors=[vera], municipality__name="Hjemkommune")
        SessionFactory(
            agreement=agreement,
            advisor=vera,
            next_session_at=timezone.now() + dt.timedelta(days=10),
            themes=[Theme.ANCHORING],
        )

        made = timezone.now() - dt.timedelta(days=400)
        region = OldGatheringsFeed.objects.create(
            owner_id=leader.pk,
            regional_program_id=gathering.regional_program_id,
            token="region-token-" + "a" * 30,
        )
        person = OldGatheringsFeed.objects.create(owner_id=leader.pk, token="person-token-" + "b" * 30)
        revoked = OldGatheringsFeed.objects.create(
            owner_id=leader.pk, token="revoked-token-" + "c" * 30, revoked_at=made
        )
        OldGatheringsFeed.objects.filter(pk=region.pk).update(created_at=made)
        advisor_feed = OldGuidanceFeed.objects.create(user_id=vera.pk, token="advisor-token-" + "d" * 30)
        OldGuidanceFeed.objects.filter(pk=advisor_feed.pk).update(created_at=made)
        gatherings_type, _ = ContentType.objects.get_or_create(app_label="gatherings", model="calendarfeed")
        guidance_type, _ = ContentType.objects.get_or_create(app_label="guidance", model="calendarfeed")
        AuditEntry.objects.create(
            action="gatherings.calendar_feed.created",
            content_type=gatherings_type,
            object_id=str(region.pk),
            object_repr="Liv Leder – region",
            details={},
        )
        AuditEntry.objects.create(
            action="guidance.calendar_feed.created",
            content_type=guidance_type,
            object_id=str(advisor_feed.pk),
            object_repr="Kalender for Vera Veileder",
            details={},
        )

        new = schema.migrate(AFTER)
        Feed = new.get_model("core", "CalendarFeed")
        NewAudit = new.get_model("audit", "AuditEntry")
        NewContentType = new.get_model("contenttypes", "ContentType")

        moved = {f.token: f for f in Feed.objects.all()}
        assert {t: (f.kind, f.owner_id) for t, f in moved.items()} == {
            region.token: ("gatherings.region", leader.pk),
            person.token: ("gatherings.person", leader.pk),
            revoked.token: ("gatherings.person", leader.pk),
            advisor_feed.token: ("guidance.advisor", vera.pk),
        }
        assert moved[region.token].scope_id == gathering.regional_program_id
        assert moved[revoked.token].revoked_at == made
        assert moved[region.token].created_at == made
        assert moved[advisor_feed.token].created_at == made

        # The log's entries now point at the moved rows.
        core_type = NewContentType.objects.get(app_label="core", model="calendarfeed")
        assert {(e.action, e.content_type_id, e.object_id) for e in NewAudit.objects.all()} == {
            ("gatherings.calendar_feed.created", core_type.pk, str(moved[region.token].pk)),
            ("guidance.calendar_feed.created", core_type.pk, str(moved[advisor_feed.token].pk)),
        }
        with connection.cursor() as cursor:
            tables = connection.introspection.table_names(cursor)
        assert "gatherings_calendarfeed" not in tables
        assert "guidance_calendarfeed" not in tables

    # Back at today's schema: a subscribed calendar still gets its events.
    client = Client()
    region_ics = client.get(reverse("gatherings:feed", args=[region.token]))
    assert _summaries(region_ics) == [gathering.display_title]
    assert str(Calendar.from_ical(region_ics.content)["X-WR-CALNAME"]) == gathering.regional_program.name
    assert _summaries(client.get(reverse("gatherings:feed", args=[person.token]))) == [
        registered.display_title
    ]
    assert client.get(reverse("gatherings:feed", args=[revoked.token])).status_code == 404
    assert _summaries(client.get(reverse("guidance:calendar_feed", args=[advisor_feed.token]))) == [
        "Veiledningsmøte: Hjemkommune"
    ]
