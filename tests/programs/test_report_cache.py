"""The rendered report in the cache: a second look does not build it again, a change shows at once, and no one
is shown a variant that is not theirs (role, filter, language)."""

from __future__ import annotations

import io
import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from gatherings.models import Registration, RegistrationStatus
from gatherings.services.registration import attendance_mark
from guidance.models import GuidanceSession
from guidance.services.sessions import session_delete
from tests.factories import ProgramFactory, UserFactory, board_member
from tests.guidance.factories import advisor
from tests.programs.report_seed import seed_region

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_cached_report")]

# Session, user and roles (3), the region with its branches (2), its semesters (1), the data stamp (1).
WARM_REGION_QUERIES = 7
# The edition (1) besides.
WARM_EDITION_QUERIES = 8


@pytest.fixture
def leader():
    return UserFactory(leadership=True, email="leder-hurtig@example.org")


def _region_url(seeded):
    return reverse("programs:region_report", kwargs={"rp_id": seeded.region.pk})


def _edition_url(program):
    return reverse("programs:edition_report", kwargs={"pk": program.pk})


def _without_token(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def _get(client, url, data=None) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, data or {})
    assert response.status_code == 200
    return response.content.decode(), len(ctx.captured_queries)


def test_a_second_look_is_not_built_again_and_costs_a_few_queries(client, leader, program, seeded):
    client.force_login(leader)
    cold, cold_queries = _get(client, _region_url(seeded))
    warm, warm_queries = _get(client, _region_url(seeded))
    assert warm_queries == WARM_REGION_QUERIES < cold_queries
    # The same page, "Laget" (when it was built) included; only the (per-response) form token differs.
    assert _without_token(warm) == _without_token(cold)
    _get(client, _edition_url(program))
    _html, edition_queries = _get(client, _edition_url(program))
    assert edition_queries == WARM_EDITION_QUERIES


def test_the_warm_page_costs_the_same_for_1_and_20_regions(client, leader):
    small, large = ProgramFactory(), ProgramFactory()
    seed_region(small, index=0)
    for i in range(20):
        seed_region(large, index=i)
    client.force_login(leader)
    counts = []
    for program in (small, large):
        _get(client, _edition_url(program))
        counts.append(_get(client, _edition_url(program))[1])
    assert counts == [WARM_EDITION_QUERIES, WARM_EDITION_QUERIES]


def test_attendance_marked_shows_at_once(client, leader, seeded):
    client.force_login(leader)
    html, _n = _get(client, _region_url(seeded))
    assert "3 av 5 påmeldte møtte på samlingene som har vært (60 %)." in html
    absent = Registration.objects.filter(
        gathering__in=[seeded.gatherings["g1"], seeded.gatherings["g2"]],
        status=RegistrationStatus.ATTENDING,
        attended=False,
    ).first()
    attendance_mark(actor=leader, registration=absent, attended=True)
    html, _n = _get(client, _region_url(seeded))
    assert "4 av 5 påmeldte møtte på samlingene som har vært (80 %)." in html


def test_a_deleted_guidance_session_shows_at_once_on_the_edition_page(client, leader, program, seeded):
    adviser = advisor()
    session = GuidanceSession.objects.get(duration_minutes=60)
    GuidanceSession.objects.filter(pk=session.pk).update(advisor=adviser)
    session.refresh_from_db()
    client.force_login(leader)
    html, _n = _get(client, _edition_url(program))
    assert "Brukt 3,0 av 30,0 avtalte timer i 3 møter." in html
    session_delete(actor=adviser, session=session)
    html, _n = _get(client, _edition_url(program))
    assert "Brukt 2,0 av 30,0 avtalte timer i 2 møter." in html


@pytest.mark.parametrize("board_first", [False, True])
def test_board_and_leadership_never_get_each_others_page(client, leader, seeded, board_first):
    board = board_member(seeded.branch)
    a, b = seeded.groups
    not_shared = f"Gjort {b.municipality.name} 1"
    plan_text = f"Her 2 {a.municipality.name}"
    program_link = reverse("programs:program_detail", kwargs={"pk": seeded.region.program_id})
    pages = {}
    for who in [board, leader] if board_first else [leader, board]:
        client.force_login(who)
        pages[who] = _get(client, _region_url(seeded))[0]
    # Leadership reads the hand-ins not shared with the region and the plans' text; the board neither.
    assert not_shared in pages[leader]
    assert plan_text in pages[leader]
    assert not_shared not in pages[board]
    assert plan_text not in pages[board]
    assert "Ikke delt med regionen" in pages[board]
    # The page around the report is each person's own (leadership's breadcrumb to the edition).
    assert program_link in pages[leader]
    assert program_link not in pages[board]


def test_each_filter_has_its_own_page(client, leader, program, seeded):
    other = seed_region(program, index=2)
    client.force_login(leader)
    whole, _n = _get(client, _edition_url(program))
    branch, _n = _get(client, _edition_url(program), {"avdeling": other.branch.pk})
    autumn, _n = _get(client, _region_url(seeded), {"semester": "høst"})
    again, _n = _get(client, _edition_url(program))
    assert "6 kommuner meldt inn av fylkesavdelingene, 6 søkte, 4 ble tatt opp." in whole
    assert "3 kommuner meldt inn av fylkesavdelingene, 3 søkte, 2 ble tatt opp." in branch
    assert f"rapport.xlsx?avdeling={other.branch.pk}" in branch
    assert "Periode: høst" in autumn
    assert "Samling 1: Forankring" not in autumn
    assert "6 kommuner meldt inn" in again
    assert "Periode:" not in again


def test_norwegian_and_english_are_kept_apart(client, leader, seeded):
    client.force_login(leader)
    norwegian, _n = _get(client, _region_url(seeded))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english, _n = _get(client, _region_url(seeded))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nb"
    again, _n = _get(client, _region_url(seeded))
    assert ">Deltakelse</h2>" in norwegian
    assert ">Participation</h2>" in english
    assert ">Deltakelse</h2>" not in english
    assert ">Deltakelse</h2>" in again


def test_the_xlsx_is_kept_too_and_never_handed_to_the_other_role(client, leader, seeded):
    url = reverse("programs:region_report_export", kwargs={"rp_id": seeded.region.pk})
    board = board_member(seeded.branch)
    not_shared = f"Gjort {seeded.groups[1].municipality.name} 1"

    def texts(content: bytes) -> str:
        wb = load_workbook(io.BytesIO(content))
        return " ".join(str(c) for ws in wb for row in ws.iter_rows(values_only=True) for c in row if c)

    client.force_login(leader)
    first = client.get(url).content
    with CaptureQueriesContext(connection) as ctx:
        again = client.get(url).content
    assert len(ctx.captured_queries) == WARM_REGION_QUERIES
    assert again == first
    assert not_shared in texts(first)
    client.force_login(board)
    assert not_shared not in texts(client.get(url).content)


def test_a_deadline_passing_overnight_shows_the_next_day_without_any_change(client, leader, seeded):
    """What is due depends on the day, not only on the data: the key holds today's date, so the next day's
    page counts the hand-in as missing although no row (and so no data stamp) changed."""
    import datetime as dt
    from unittest import mock

    from django.utils import timezone

    g2 = seeded.gatherings["g2"]
    g2.between_work_due = timezone.now() + dt.timedelta(hours=30)
    g2.save(update_fields=["between_work_due"])
    client.force_login(leader)
    html, _queries = _get(client, _region_url(seeded))
    assert "2 av 2 mellomarbeid med passert frist levert; 1 levert etter fristen, 0 mangler." in html
    later = timezone.now() + dt.timedelta(days=2)
    with mock.patch("django.utils.timezone.now", return_value=later):
        html, _queries = _get(client, _region_url(seeded))
    assert "3 av 4 mellomarbeid med passert frist levert; 1 levert etter fristen, 1 mangler." in html
