"""What the region's page, the participant list and the attendance list show in their rows (written in Python
by gatherings_tags, so these check the text a user reads)."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from gatherings.models import GatheringKind, GatheringStatus, HandIn, RegistrationStatus
from tests.gatherings.factories import (
    GatheringFactory,
    RegistrationFactory,
    SemesterFactory,
    make_region,
    oslo,
)

pytestmark = pytest.mark.django_db


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def region():
    return make_region(municipalities=2, groups=2, members=2)


def test_region_page_rows_show_time_place_semester_places_and_waiting(client, leader, region):
    semester = SemesterFactory(regional_program=region.region, name="høst 2030")
    one_day = GatheringFactory(
        regional_program=region.region,
        semester=semester,
        title="Forankring & <plan>",
        starts_at=oslo(2030, 9, 10, 10),
        ends_at=oslo(2030, 9, 10, 16),
        capacity=1,
    )
    two_days = GatheringFactory(
        regional_program=region.region,
        kind=GatheringKind.COORDINATOR,
        number=None,
        title="Koordinatorene",
        starts_at=oslo(2030, 10, 1, 10),
        ends_at=oslo(2030, 10, 2, 15),
        venue="Rådhuset",
        address="",
        status=GatheringStatus.CANCELLED,
    )
    town = region.municipalities[0]
    RegistrationFactory(gathering=one_day, municipality=town)
    RegistrationFactory(gathering=one_day, municipality=town, status=RegistrationStatus.WAITLISTED)
    RegistrationFactory(gathering=one_day, municipality=town, status=RegistrationStatus.WAITLISTED)
    client.force_login(leader)
    html = client.get(reverse("gatherings:program", args=[region.region.pk])).content.decode()
    table = _text(html[html.index('data-testid="gathering-table"') : html.index("</table>")])
    assert "Samling 1: Forankring &amp; &lt;plan&gt;" in html  # escaped, never markup
    assert f'href="{reverse("gatherings:detail", args=[one_day.pk])}"' in html
    assert "10. september 2030 kl. 10:00–16:00" in table
    assert "1. oktober 2030 kl. 10:00–2. oktober 2030 kl. 15:00" in table
    assert "høst 2030" in table
    assert "–" in table
    assert "1 / 1" in table
    assert "2 på venteliste" in table
    assert "Koordinatorsamling · Avlyst" in table
    assert "Rådhuset" in table
    assert f'href="{reverse("gatherings:detail", args=[two_days.pk])}"' in html


def test_region_page_overview_counts_per_municipality(client, leader, region):
    gathering = GatheringFactory(
        regional_program=region.region, starts_at=timezone.now() - dt.timedelta(days=3)
    )
    group = region.groups[0]
    for _member in group.members.all():
        RegistrationFactory(gathering=gathering, municipality=group.municipality, group=group, attended=True)
    HandIn.objects.create(gathering=gathering, group=group, submitted_at=timezone.now(), is_late=True)
    client.force_login(leader)
    html = client.get(reverse("gatherings:program", args=[region.region.pk])).content.decode()
    overview = _text(html[html.index('data-testid="overview-table"') :])
    assert f"{group.municipality.name} 2 2 1 (1 for sent)" in overview
    assert f"{region.groups[1].municipality.name} 0 0 0" in overview


def test_region_overview_leaves_out_cancelled_gatherings_and_waiting_and_pages_by_municipality(rf, region):
    from core.pagination import paginate
    from gatherings.selectors import group_overview

    held = GatheringFactory(regional_program=region.region)
    cancelled = GatheringFactory(regional_program=region.region, status=GatheringStatus.CANCELLED)
    first, second = sorted(region.groups, key=lambda g: g.municipality.name)
    RegistrationFactory(gathering=held, municipality=second.municipality, group=second, attended=True)
    RegistrationFactory(
        gathering=held, municipality=second.municipality, group=second, status=RegistrationStatus.WAITLISTED
    )
    RegistrationFactory(gathering=cancelled, municipality=second.municipality, group=second, attended=True)
    HandIn.objects.create(gathering=held, group=second, submitted_at=None, is_late=False)
    pages = [
        paginate(rf.get("/", {"side": n}), group_overview(regional_program=region.region), per_page=1)
        for n in (1, 2)
    ]
    assert pages[0].paginator.count == 2
    assert [list(page.object_list) for page in pages] == [
        [
            {
                "name": first.municipality.name,
                "registered_count": 0,
                "attended_count": 0,
                "handed_in_count": 0,
                "late_count": 0,
            }
        ],
        [
            {
                "name": second.municipality.name,
                "registered_count": 1,
                "attended_count": 1,
                "handed_in_count": 0,
                "late_count": 0,
            }
        ],
    ]


def test_participant_list_shows_totals_sectors_answers_and_needs(client, leader, region):
    gathering = GatheringFactory(regional_program=region.region, capacity=30)
    town = region.municipalities[0]
    RegistrationFactory(gathering=gathering, municipality=town, name="Kari <K>", dietary_needs="Nøtter")
    RegistrationFactory(
        gathering=gathering, municipality=town, name="Ola", status=RegistrationStatus.WAITLISTED
    )
    RegistrationFactory(
        gathering=gathering, municipality=town, name="Per", status=RegistrationStatus.NOT_ATTENDING
    )
    client.force_login(leader)
    html = client.get(reverse("gatherings:participants", args=[gathering.pk])).content.decode()
    text = _text(html)
    assert "1 påmeldt av 30 plasser" in text
    assert "1 på venteliste" in text
    assert "1 med allergier eller behov" in text
    assert "Kari &lt;K&gt;" in html
    rows = _text(html[html.index('data-testid="participant-table"') : html.index("</table>")])
    assert f"Kari &lt;K&gt; {town.name} Kulturskole Påmeldt Nøtter" in rows
    assert "Ola" not in rows  # the waiting list is its own table, after the registered
    waiting = html[html.index('data-testid="waiting-table"') :]
    waiting = _text(waiting[: waiting.index("</table>")])
    assert f"Ola {town.name} Kulturskole Venteliste" in waiting
    assert "Per" not in rows  # those not coming are not on the list
    assert "Per" not in waiting


def test_attendance_list_has_a_button_per_person_that_says_who_came(client, leader, region):
    gathering = GatheringFactory(
        regional_program=region.region, starts_at=timezone.now() - dt.timedelta(hours=1)
    )
    town = region.municipalities[0]
    came = RegistrationFactory(gathering=gathering, municipality=town, name="Kari", attended=True)
    waiting = RegistrationFactory(gathering=gathering, municipality=town, name="Ola")
    client.force_login(leader)
    html = client.get(reverse("gatherings:attendance", args=[gathering.pk])).content.decode()
    assert "1 av 2 har møtt." in _text(html)
    for row, pressed, value, label in (
        (came, "true", "0", "Møtt"),
        (waiting, "false", "1", "Ikke registrert"),
    ):
        item = html[html.index(f'id="r{row.pk}"') :]
        item = item[: item.index("</li>")]
        assert f'action="{reverse("gatherings:attendance_mark", args=[gathering.pk, row.pk])}"' in item
        assert 'name="csrfmiddlewaretoken"' in item
        assert f'name="attended" value="{value}"' in item
        assert f'aria-pressed="{pressed}"' in item
        assert label in item
        assert " disabled" not in item
    # Marking still works from the page's form.
    response = client.post(
        reverse("gatherings:attendance_mark", args=[gathering.pk, waiting.pk]), {"attended": "1"}
    )
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.attended is True
