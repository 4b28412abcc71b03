"""Warnings that do not block: public holiday, school break, semester balance, overlap, preparation, deadline."""

import datetime as dt

import pytest

from gatherings.warnings import gathering_warnings, semester_warnings
from tests.factories import CountyFactory, MunicipalityFactory
from tests.gatherings.factories import GatheringFactory, SemesterFactory, oslo

pytestmark = pytest.mark.django_db

NOW = oslo(2026, 1, 1)


def _codes(gathering, siblings=(), now=NOW):
    return {w.code for w in gathering_warnings(gathering, siblings=list(siblings), now=now)}


def _spring_2027():
    return SemesterFactory.build(starts_on=dt.date(2027, 1, 1), ends_on=dt.date(2027, 6, 30))


def test_public_holiday():
    g = GatheringFactory.build(
        pk=1, semester=_spring_2027(), starts_at=oslo(2027, 5, 17, 9), ends_at=oslo(2027, 5, 17, 15)
    )
    warnings = gathering_warnings(g, siblings=[], now=NOW)
    assert [w.code for w in warnings] == ["holiday"]
    assert "17. mai 2027" in warnings[0].text


def test_ordinary_weekday_has_no_warning():
    g = GatheringFactory.build(
        pk=1, semester=_spring_2027(), starts_at=oslo(2027, 5, 19, 9), ends_at=oslo(2027, 5, 19, 15)
    )
    assert _codes(g) == set()


def test_a_gathering_in_no_semester_is_warned_about_but_not_a_pre_gathering():
    day = dict(starts_at=oslo(2027, 5, 19, 9), ends_at=oslo(2027, 5, 19, 15))
    warnings = gathering_warnings(GatheringFactory.build(pk=1, **day), siblings=[], now=NOW)
    assert [w.text for w in warnings] == [
        "Samlingen starter 19. mai 2027 og ligger ikke i noe semester. Legg inn et semester som dekker datoen, "
        "eller velg et."
    ]
    assert _codes(GatheringFactory.build(pk=1, pre=True, **day)) == set()


def test_school_break_of_the_host_county():
    vestland = MunicipalityFactory(county=CountyFactory(number="46", name="Vestland"))
    oslo_kommune = MunicipalityFactory(county=CountyFactory(number="03", name="Oslo"))
    # week 41 of 2026: autumn break in Vestland, not in Oslo (week 40)
    day = dict(starts_at=oslo(2026, 10, 7, 9), ends_at=oslo(2026, 10, 7, 15))
    assert "school_break" in _codes(GatheringFactory.build(pk=1, host_municipality=vestland, **day))
    assert "school_break" not in _codes(GatheringFactory.build(pk=1, host_municipality=oslo_kommune, **day))
    winter = GatheringFactory.build(
        pk=1, host_municipality=oslo_kommune, starts_at=oslo(2027, 2, 23), ends_at=oslo(2027, 2, 23, 16)
    )
    assert "school_break" in _codes(winter)


def test_overlap_in_the_same_region_and_a_cancelled_one_does_not_count():
    a = GatheringFactory(starts_at=oslo(2027, 3, 3, 9), ends_at=oslo(2027, 3, 4, 15))
    b = GatheringFactory(
        regional_program=a.regional_program, starts_at=oslo(2027, 3, 4, 10), ends_at=oslo(2027, 3, 4, 12)
    )
    assert "overlap" in _codes(a, [a, b])
    b.status = "cancelled"
    assert "overlap" not in _codes(a, [a, b])


def test_semester_balance():
    semester = SemesterFactory()
    made = [
        GatheringFactory(
            regional_program=semester.regional_program,
            semester=semester,
            starts_at=oslo(2026, 9, d, 9),
            ends_at=oslo(2026, 9, d, 15),
        )
        for d in (2, 9, 16)
    ]
    assert "semester_balance" in _codes(made[0], made)
    assert semester_warnings([semester], made) == {
        semester.pk: "Semesteret har 3 samlinger; normalt er det to."
    }
    assert semester_warnings([semester], made[:2]) == {}
    assert semester.pk in semester_warnings([semester], made[:1])


def test_empty_preparation_two_weeks_before_and_deadline_after_start():
    start = NOW + dt.timedelta(days=10)
    g = GatheringFactory.build(
        pk=1,
        preparation="",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=5),
        registration_deadline=start + dt.timedelta(hours=1),
    )
    assert _codes(g) >= {"preparation_empty", "deadline_after_start"}
    g.preparation = "Les dette."
    g.registration_deadline = start - dt.timedelta(days=3)
    assert "preparation_empty" not in _codes(g)
    assert "deadline_after_start" not in _codes(g)


def test_a_second_gathering_with_the_same_number_in_the_region_is_warned_about():
    day = dict(starts_at=oslo(2027, 5, 19, 9), ends_at=oslo(2027, 5, 19, 15), kind="gathering")
    first = GatheringFactory.build(pk=1, number=4, title="Første", **day)
    second = GatheringFactory.build(
        pk=2,
        number=4,
        title="Ekstra",
        **{**day, "starts_at": oslo(2027, 6, 2, 9), "ends_at": oslo(2027, 6, 2, 15)},
    )
    warnings = gathering_warnings(second, siblings=[first, second], now=NOW)
    assert [w.text for w in warnings if w.code == "duplicate_number"] == [
        "Samling nr. 4 finnes allerede i dette regionale programmet: «Samling 4: Første»."
    ]
    other_number = GatheringFactory.build(
        pk=3, number=5, **{**day, "starts_at": oslo(2027, 6, 9, 9), "ends_at": oslo(2027, 6, 9, 15)}
    )
    assert "duplicate_number" not in _codes(other_number, [first])
    first.status = "cancelled"
    assert "duplicate_number" not in _codes(second, [first])


def test_a_gathering_that_has_started_gets_no_warning_before_it_only_the_edit_pages_note():
    vestland = MunicipalityFactory(county=CountyFactory(number="46", name="Vestland"))
    # 7 October 2026: autumn break in Vestland; no semester; overlapping a sibling
    g = GatheringFactory.build(
        pk=1, host_municipality=vestland, starts_at=oslo(2026, 10, 7, 9), ends_at=oslo(2026, 10, 7, 15)
    )
    sibling = GatheringFactory.build(pk=2, starts_at=oslo(2026, 10, 7, 10), ends_at=oslo(2026, 10, 7, 12))
    before = oslo(2026, 10, 1)
    assert {"school_break", "outside_semester", "overlap"} <= _codes(g, [sibling], now=before)
    after = oslo(2026, 12, 16)
    assert gathering_warnings(g, siblings=[sibling], now=after) == []
    assert gathering_warnings(g, siblings=[sibling], now=oslo(2026, 10, 7, 11)) == []  # under way
    assert [w.code for w in gathering_warnings(g, siblings=[sibling], now=after, past=True)] == ["past"]
