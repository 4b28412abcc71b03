"""Rescheduling and cancelling as leadership and the people told see it: the change notice says what changed
in words (old → new), a moved gathering follows its date into the right semester (or is flagged), the
confirmations say how many were e-mailed, a cancelled gathering's page offers nothing that makes no sense,
counts are pluralised, and the timeline's labels stay inside the drawing."""

import datetime as dt
import re
from email.utils import parseaddr

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from icalendar import Calendar

from gatherings import services
from gatherings.models import Gathering, GatheringFile, RegistrationStatus
from gatherings.services.scheduling import GATHERING_FIELDS
from gatherings.timeline import WIDTH, label_width
from tests.gatherings.factories import (
    GatheringFactory,
    RegistrationFactory,
    SemesterFactory,
    make_region,
    oslo,
)

pytestmark = pytest.mark.django_db


def _to(message) -> str:
    return parseaddr(message.to[0])[1]


def _form(gathering: Gathering, **changes) -> dict:
    """The edit form as leadership posts it, with `changes` (datetimes in Oslo time)."""
    data = {name: getattr(gathering, name) for name in GATHERING_FIELDS}
    data.update(changes)
    posted = {}
    for name, value in data.items():
        if value is None:
            posted[name] = ""
        elif isinstance(value, dt.datetime):
            posted[name] = value.astimezone(oslo(2026, 1, 1).tzinfo).strftime("%Y-%m-%dT%H:%M")
        elif hasattr(value, "pk"):
            posted[name] = str(value.pk)
        else:
            posted[name] = str(value)
    return posted


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def december(leader):
    """A two-day gathering on 16–17 December 2026 in «høst 2026», one person registered, two groups invited."""
    r = make_region()
    autumn = SemesterFactory(
        regional_program=r.region,
        name="høst 2026",
        starts_on=dt.date(2026, 8, 1),
        ends_on=dt.date(2026, 12, 31),
    )
    gathering = GatheringFactory(
        regional_program=r.region,
        semester=autumn,
        starts_at=oslo(2026, 12, 16, 10),
        ends_at=oslo(2026, 12, 17, 15),
        registration_deadline=oslo(2026, 12, 9, 12),
        venue="Kulturhuset",
        address="Storgata 1, 6800 Førde",
    )
    RegistrationFactory(gathering=gathering, municipality=r.municipalities[0], email="kommer@example.org")
    return {"r": r, "g": gathering, "autumn": autumn, "leader": leader}


# --- 1. the change notice says what changed ---------------------------------------------------------------


def test_the_change_notice_says_old_and_new_time_and_place_in_words(
    december, django_capture_on_commit_callbacks
):
    g = december["g"]
    data = {name: getattr(g, name) for name in GATHERING_FIELDS}
    data.update(
        starts_at=oslo(2027, 1, 13, 10),
        ends_at=oslo(2027, 1, 14, 15),
        registration_deadline=oslo(2027, 1, 6, 12),
        venue="Scenehuset",
        address="Fjordgata 2, 6900 Florø",
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.gathering_update(actor=december["leader"], gathering=g, data=data, reason="Lokalet brant")
    notice = next(m for m in mail.outbox if _to(m) == "kommer@example.org")
    body = notice.body
    assert "Flyttet fra 16.–17. desember 2026 til 13.–14. januar 2027, samme klokkeslett." in body
    assert (
        "Nytt sted: Scenehuset, Fjordgata 2, 6900 Florø (før: Kulturhuset, Storgata 1, 6800 Førde)." in body
    )
    assert "starter, slutter" not in body
    # the reason, how it is now, and the calendar entry that moves the appointment are still there
    assert "Begrunnelse: Lokalet brant" in body
    assert "Slik er samlingen nå:" in body
    assert "13. januar 2027 kl. 10:00" in body.split("Slik er samlingen nå:")[1]
    assert "Flyttet fra 16.–17. desember 2026" in notice.alternatives[0][0]
    event = Calendar.from_ical(notice.attachments[0].content).walk("VEVENT")[0]
    assert event.decoded("DTSTART") == oslo(2027, 1, 13, 10)


def test_a_new_clock_time_on_the_same_day_and_a_new_video_link_are_said_with_what_they_were(
    leader, django_capture_on_commit_callbacks
):
    r = make_region()
    g = GatheringFactory(
        regional_program=r.region, starts_at=oslo(2026, 12, 16, 10), ends_at=oslo(2026, 12, 16, 15)
    )
    data = {name: getattr(g, name) for name in GATHERING_FIELDS}
    data.update(
        starts_at=oslo(2026, 12, 16, 12),
        ends_at=oslo(2026, 12, 16, 16),
        video_link="https://møte.example.org/ny",
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.gathering_update(actor=leader, gathering=g, data=data, reason="Ny foredragsholder")
    body = mail.outbox[0].body
    assert (
        "Nytt klokkeslett: 16. desember 2026 kl. 12:00–16:00 (før: 16. desember 2026 kl. 10:00–15:00)."
        in body
    )
    assert "Ny videolenke: https://møte.example.org/ny." in body
    assert "Nytt sted" not in body


# --- 2. the semester follows the date ---------------------------------------------------------------------


def test_a_gathering_moved_into_january_moves_to_the_spring_semester_and_leadership_is_told(
    client, december, django_capture_on_commit_callbacks
):
    g = december["g"]
    spring = SemesterFactory(
        regional_program=g.regional_program,
        name="vår 2027",
        starts_on=dt.date(2027, 1, 1),
        ends_on=dt.date(2027, 6, 30),
    )
    client.force_login(december["leader"])
    form = _form(
        g,
        starts_at=oslo(2027, 1, 13, 10),
        ends_at=oslo(2027, 1, 14, 15),
        registration_deadline=oslo(2027, 1, 6, 12),
        reason="Lokalet brant",
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("gatherings:edit", args=[g.pk]), form)
    assert response.status_code == 302
    g.refresh_from_db()
    assert g.semester == spring
    told = len(mail.outbox)
    assert told == 3  # the registered person and the two groups' coordinators
    assert _messages(response) == [
        "Endringene er lagret. Den nye datoen ligger i vår 2027, så samlingen er flyttet dit. "
        "3 personer får e-post om det nå."
    ]
    page = client.get(reverse("gatherings:detail", args=[g.pk])).content.decode()
    assert "Samling · vår 2027" in page
    assert "høst 2026" not in page


def test_a_date_outside_every_semester_keeps_the_semester_and_is_flagged_where_leadership_schedules(
    client, december
):
    g = december["g"]
    client.force_login(december["leader"])
    form = _form(
        g,
        starts_at=oslo(2027, 1, 13, 10),
        ends_at=oslo(2027, 1, 14, 15),
        registration_deadline=oslo(2027, 1, 6, 12),
        reason="Lokalet brant",
    )
    assert client.post(reverse("gatherings:edit", args=[g.pk]), form).status_code == 302
    g.refresh_from_db()
    assert g.semester == december["autumn"]
    flagged = (
        "Samlingen starter 13. januar 2027, utenfor semesteret høst 2026 (1. august – 31. desember 2026). "
        "Velg riktig semester, eller legg inn et semester som dekker datoen."
    )
    for url in (
        reverse("gatherings:edit", args=[g.pk]),
        reverse("gatherings:program", args=[g.regional_program_id]),
        reverse("gatherings:detail", args=[g.pk]),
    ):
        page = client.get(url).content.decode()
        assert f'<li data-warning="outside_semester">{flagged}</li>' in page, url


def test_a_semester_picked_in_the_same_save_is_kept_as_picked(december):
    g = december["g"]
    SemesterFactory(
        regional_program=g.regional_program,
        name="vår 2027",
        starts_on=dt.date(2027, 1, 1),
        ends_on=dt.date(2027, 6, 30),
    )
    later = SemesterFactory(
        regional_program=g.regional_program,
        name="høst 2027",
        starts_on=dt.date(2027, 8, 1),
        ends_on=dt.date(2027, 12, 31),
    )
    data = {name: getattr(g, name) for name in GATHERING_FIELDS}
    data.update(semester=later, starts_at=oslo(2027, 1, 13, 10), ends_at=oslo(2027, 1, 14, 15))
    updated = services.gathering_update(actor=december["leader"], gathering=g, data=data, reason="Flyttet")
    assert updated.semester == later


# --- 3. the cancel form and the confirmations -------------------------------------------------------------


def test_the_cancel_form_counts_the_waiting_list_and_says_it_cannot_be_undone(
    client, december, django_capture_on_commit_callbacks
):
    g = december["g"]
    r = december["r"]
    RegistrationFactory(
        gathering=g,
        municipality=r.municipalities[1],
        email="venter@example.org",
        status=RegistrationStatus.WAITLISTED,
    )
    client.force_login(december["leader"])
    page = client.get(reverse("gatherings:cancel", args=[g.pk])).content.decode()
    audience = re.search(r'data-testid="cancel-audience">(.*?)</p>', page, re.S).group(1)
    assert " ".join(audience.split()) == (
        "1 person er påmeldt, og 1 står på ventelisten. E-posten om avlysningen går med en gang til 4 mottakere "
        "– de påmeldte, de på ventelisten og de inviterte – med en kalenderoppføring som fjerner avtalen."
    )
    assert "Avlysningen kan ikke angres." in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("gatherings:cancel", args=[g.pk]), {"reason": "For få påmeldte"})
    assert sorted(_to(m) for m in mail.outbox) == sorted(
        ["kommer@example.org", "venter@example.org", *(grp.coordinator_email for grp in r.groups)]
    )
    assert _messages(response) == ["Samlingen er avlyst. 4 personer får e-post om det nå."]


def test_a_change_that_tells_nobody_says_only_that_it_is_saved(client, december):
    g = december["g"]
    client.force_login(december["leader"])
    response = client.post(reverse("gatherings:edit", args=[g.pk]), _form(g, theme="Nytt tema"))
    assert _messages(response) == ["Endringene er lagret."]


# --- 4. a cancelled gathering's page ----------------------------------------------------------------------


def test_a_cancelled_gathering_shows_its_status_and_offers_no_registration_files_or_between_work(
    client, december
):
    g = december["g"]
    g.between_work = "Skriv gjort – lært – lurt."
    g.between_work_due = oslo(2027, 1, 30, 23, 59)
    g.save()
    services.gathering_cancel(actor=december["leader"], gathering=g, reason="Foredragsholderen er syk")
    client.force_login(december["leader"])
    page = client.get(reverse("gatherings:detail", args=[g.pk])).content.decode()
    assert 'data-testid="status">Avlyst</span>' in page
    assert "Begrunnelse: Foredragsholderen er syk" in page
    for gone in (
        "Legg i kalenderen (.ics)",
        "Legg til fil i forberedelsene",
        "Mellomarbeid etter samlingen",
        "Frist",
        reverse("gatherings:register", args=[g.pk, december["r"].groups[0].pk]),
        reverse("gatherings:hand_in", args=[g.pk, december["r"].groups[0].pk]),
        reverse("gatherings:attendance", args=[g.pk]),
    ):
        assert gone not in page, gone
    assert "Fjern fra kalenderen: avlysningen som kalenderoppføring (.ics)" in page
    ics = client.get(reverse("gatherings:calendar", args=[g.pk])).content
    assert Calendar.from_ical(ics).walk("VEVENT")[0]["STATUS"] == "CANCELLED"
    assert Calendar.from_ical(ics)["METHOD"] == "CANCEL"  # a calendar app removes the event it holds
    upload = SimpleUploadedFile("program.pdf", b"%PDF-1.4 x", content_type="application/pdf")
    response = client.post(reverse("gatherings:file_add", args=[g.pk]), {"file": upload})
    assert _messages(response) == ["Samlingen er avlyst; det legges ikke til flere filer."]
    assert not GatheringFile.objects.filter(gathering=g).exists()


# --- 5. counts are pluralised -----------------------------------------------------------------------------


def test_a_semester_with_one_gathering_is_said_in_the_singular(client, december):
    client.force_login(december["leader"])
    page = client.get(
        reverse("gatherings:program", args=[december["g"].regional_program_id])
    ).content.decode()
    assert "høst 2026: Semesteret har 1 samling; normalt er det to." in page
    assert "1 samlinger" not in page


# --- 6. the timeline's labels stay inside the drawing -----------------------------------------------------


def test_every_timeline_label_is_inside_the_drawing(client, december):
    """As on the demo programme: a pre-gathering on 19 November a year before the last semester ends. It lies
    a week after the timeline's start, where its centred date label began left of the drawing (x < 0)."""
    region = december["g"].regional_program
    SemesterFactory(
        regional_program=region,
        name="høst 2027",
        starts_on=dt.date(2027, 8, 1),
        ends_on=dt.date(2027, 12, 31),
    )
    GatheringFactory(
        regional_program=region, pre=True, starts_at=oslo(2025, 11, 19, 10), ends_at=oslo(2025, 11, 19, 15)
    )
    GatheringFactory(
        regional_program=region, number=6, starts_at=oslo(2027, 12, 31, 10), ends_at=oslo(2027, 12, 31, 15)
    )
    client.force_login(december["leader"])
    page = client.get(reverse("gatherings:program", args=[region.pk])).content.decode()
    svg = re.search(r"<svg.*?</svg>", page, re.S).group(0)
    texts = re.findall(r"<text ([^>]*)>([^<]*)</text>", svg)
    assert {"19.11.", "31.12.", "høst 2027"} <= {label for _attrs, label in texts}
    for attrs, label in texts:
        x = float(re.search(r'\bx="([\d.]+)"', attrs).group(1))
        size = float(re.search(r'font-size="(\d+)"', attrs).group(1))
        width = label_width(label, size)
        left = x - width / 2 if 'text-anchor="middle"' in attrs else x
        assert left >= 0, (label, x)
        assert left + width <= WIDTH, (label, x)


def test_todays_line_crosses_no_date_label(december):
    """Today 14 December, a gathering on 16 December: its label «16.12.» stands where today's line is."""
    from gatherings.timeline import timeline

    drawing = timeline(
        semesters=[december["autumn"]], gatherings=[december["g"]], today=dt.date(2026, 12, 14)
    )
    svg = str(drawing["svg"])
    line = re.search(r'<line x1="([\d.]+)" y1="([\d.]+)" x2="[\d.]+" y2="([\d.]+)" stroke="#0b3d91"', svg)
    x, top, bottom = (float(v) for v in line.groups())
    attrs = re.search(r"<text ([^>]*)>16\.12\.</text>", svg).group(1)
    label_x = float(re.search(r'\bx="([\d.]+)"', attrs).group(1))
    baseline = float(re.search(r'\by="([\d.]+)"', attrs).group(1))
    half = label_width("16.12.", 16) / 2
    assert label_x - half <= x <= label_x + half  # the line is under the label's width
    assert not (top <= baseline + 4 and bottom >= baseline - 16)  # and misses its height
