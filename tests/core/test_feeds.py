"""The one table of secret calendar addresses (core.feeds): create, revoke, renew, look up by token, the URL,
the owner's page, and what personal-data export and erasure do with it. Uses the kinds the apps declare."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.urls import reverse
from icalendar import Calendar

from accounts.privacy import person_erase, person_export
from audit import registry
from audit.models import AuditEntry
from core import feeds
from core.feeds import (
    FeedKind,
    feed_by_token,
    feed_create,
    feed_renew,
    feed_revoke,
    feed_url,
    feeds_of,
)
from core.models import CalendarFeed
from gatherings.feeds import PERSON, REGION
from guidance.feeds import ADVISOR
from tests.factories import UserFactory
from tests.gatherings.factories import GatheringFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def leader():
    return UserFactory(full_name="Liv Leder", leadership=True)


@pytest.fixture
def region_feed(leader):
    gathering = GatheringFactory(title="Forankring i Sunnfjord")
    return feed_create(actor=leader, kind=REGION, scope_id=gathering.regional_program_id), gathering


def _ics(client, feed):
    return client.get(reverse("gatherings:feed", args=[feed.token]))


def test_a_new_address_serves_the_calendar_of_its_kind_and_is_logged_in_the_apps_words(
    client, region_feed, leader
):
    feed, gathering = region_feed
    response = _ics(client, feed)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    cal = Calendar.from_ical(response.content)
    assert str(cal["X-WR-CALNAME"]) == gathering.regional_program.name
    assert [str(e["SUMMARY"]) for e in cal.walk("VEVENT")] == [gathering.display_title]
    entry = AuditEntry.objects.get(action="gatherings.calendar_feed.created")
    assert entry.actor == leader
    assert entry.content_type == ContentType.objects.get_for_model(CalendarFeed)
    assert registry.action_label(entry.action) == "Kalenderadresse laget"


def test_the_token_is_long_random_and_unique(leader):
    one = feed_create(actor=leader, kind=PERSON)
    two = feed_create(actor=leader, kind=PERSON)
    assert len(one.token) >= 40
    assert one.token != two.token


def test_a_revoked_address_answers_404_and_the_row_says_when(client, region_feed, leader):
    feed, _gathering = region_feed
    assert feed_revoke(actor=leader, feed=feed) is True
    assert _ics(client, feed).status_code == 404
    feed.refresh_from_db()
    assert feed.revoked_at is not None
    assert feed_by_token(feed.token, kinds=[REGION]) is None
    # Revoking again changes nothing and logs nothing.
    assert feed_revoke(actor=leader, feed=feed) is False
    assert AuditEntry.objects.filter(action="gatherings.calendar_feed.revoked").count() == 1


def test_renewing_gives_a_new_address_for_the_same_calendar(client, region_feed, leader):
    feed, gathering = region_feed
    new = feed_renew(actor=leader, feed=feed)
    assert (new.kind, new.scope_id) == (REGION, gathering.regional_program_id)
    assert _ics(client, feed).status_code == 404
    assert _ics(client, new).status_code == 200


def test_a_token_answers_only_under_its_own_apps_address(client, leader):
    advisor = UserFactory(advisor=True)
    guidance_feed = feed_create(actor=advisor, kind=ADVISOR)
    gatherings_feed = feed_create(actor=leader, kind=PERSON)
    assert client.get(reverse("guidance:calendar_feed", args=[guidance_feed.token])).status_code == 200
    assert client.get(reverse("gatherings:feed", args=[guidance_feed.token])).status_code == 404
    assert client.get(reverse("guidance:calendar_feed", args=[gatherings_feed.token])).status_code == 404
    assert feed_by_token("", kinds=[PERSON]) is None
    assert feed_by_token("x" * 65, kinds=[PERSON]) is None


def test_an_owner_who_may_no_longer_own_it_or_is_inactive_gets_404(client, leader):
    advisor = UserFactory(advisor=True)
    feed = feed_create(actor=advisor, kind=ADVISOR)
    url = reverse("guidance:calendar_feed", args=[feed.token])
    advisor.role_assignments.all().delete()
    assert client.get(url).status_code == 404
    person_feed = feed_create(actor=leader, kind=PERSON)
    leader.is_active = False
    leader.save(update_fields=["is_active"])
    assert client.get(reverse("gatherings:feed", args=[person_feed.token])).status_code == 404


def test_one_per_owner_kind_keeps_one_working_address_and_only_allowed_owners_get_one():
    advisor = UserFactory(advisor=True)
    first = feed_create(actor=advisor, kind=ADVISOR)
    second = feed_create(actor=advisor, kind=ADVISOR)
    assert list(feeds_of(advisor, kinds=[ADVISOR])) == [second]
    assert feed_by_token(first.token, kinds=[ADVISOR]) is None
    with pytest.raises(ValidationError):
        feed_create(actor=UserFactory(), kind=ADVISOR)


def test_the_url_helper_gives_the_full_address_of_the_apps_feed(rf, leader):
    feed = feed_create(actor=leader, kind=PERSON)
    assert feed_url(rf.get("/"), feed) == "http://testserver" + reverse("gatherings:feed", args=[feed.token])


def test_my_page_lists_my_addresses_never_another_persons(client, leader):
    mine = feed_create(actor=leader, kind=PERSON)
    other_person = UserFactory(leadership=True)
    theirs = feed_create(actor=other_person, kind=PERSON)
    client.force_login(leader)
    page = client.get(reverse("gatherings:feeds")).content.decode()
    assert mine.token in page
    assert theirs.token not in page
    # Nor can I revoke theirs by its number.
    assert client.post(reverse("gatherings:feed_revoke", args=[theirs.pk])).status_code == 404
    assert feed_by_token(theirs.token, kinds=[PERSON]) == theirs


def test_personal_data_export_lists_every_apps_addresses_once_and_erasure_revokes_them(client, leader):
    advisor = UserFactory(advisor=True, leadership=True)
    feed_create(actor=advisor, kind=PERSON)
    advisor_feed = feed_create(actor=advisor, kind=ADVISOR)
    exported = person_export(advisor)
    rows = [row for app in exported.values() for key, row in app["data"].items() if key == "kalenderadresser"]
    assert len(rows) == 1
    assert sorted(r["gjelder"] for r in rows[0]) == ["Samlingene jeg er påmeldt", "Veiledningsmøtene mine"]
    person_erase(actor=leader, user=advisor)
    assert not feeds_of(advisor, kinds=[PERSON, ADVISOR]).exists()
    assert CalendarFeed.objects.filter(owner=advisor, revoked_at__isnull=False).count() == 2
    assert client.get(reverse("guidance:calendar_feed", args=[advisor_feed.token])).status_code == 404


def test_every_declared_kind_writes_labelled_audit_codes_and_a_wrong_prefix_is_refused():
    declared = {kind.code for kind in feeds.kinds()}
    assert declared == {REGION, PERSON, ADVISOR}
    for kind in feeds.kinds():
        for code in kind.audit.values():
            assert registry.action_get(code) is not None, code
    with pytest.raises(ValueError, match="must start with"):
        feeds.register(
            FeedKind(
                code="guidance.other",
                label=str,
                name=str,
                events=list,
                url_name="guidance:calendar_feed",
                audit=dict.fromkeys(feeds.VERBS, "gatherings.calendar_feed.created"),
                log=print,
            )
        )
    assert "guidance.other" not in {kind.code for kind in feeds.kinds()}


def test_my_page_names_each_address_and_costs_the_same_queries_with_more_of_them(client, leader):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = GatheringFactory()
    feed_create(actor=leader, kind=REGION, scope_id=first.regional_program_id)
    feed_create(actor=leader, kind=PERSON)
    client.force_login(leader)
    url = reverse("gatherings:feeds")
    with CaptureQueriesContext(connection) as few:
        page = client.get(url).content.decode()
    assert first.regional_program.name in page
    assert "Samlingene jeg er påmeldt" in page
    for _ in range(3):
        feed_create(actor=leader, kind=REGION, scope_id=GatheringFactory().regional_program_id)
    with CaptureQueriesContext(connection) as more:
        client.get(url)
    assert len(more) == len(few)
