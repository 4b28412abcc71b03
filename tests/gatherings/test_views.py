"""Pages: scope (404 for others, login for anonymous, nothing for a superuser without role), happy paths."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from core.models import CalendarFeed
from gatherings.models import Gathering, HandIn, Registration, RegistrationStatus
from tests.factories import CountyFactory, MunicipalityFactory, UserFactory, municipal_contact
from tests.gatherings.factories import (
    GatheringFactory,
    RegistrationFactory,
    make_region,
    oslo,
    semester_around,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(leader):
    r = make_region(members=2)
    gathering = GatheringFactory(regional_program=r.region, capacity=10)
    coordinator = municipal_contact(r.groups[0].municipality, email="koord-a@example.org")
    other = municipal_contact(r.groups[1].municipality, email="koord-b@example.org")
    outsider = municipal_contact(MunicipalityFactory(county=CountyFactory()), email="utenfor@example.org")
    return {
        "r": r,
        "g": gathering,
        "coordinator": coordinator,
        "other": other,
        "outsider": outsider,
        "leader": leader,
    }


def _pages(w):
    g, group = w["g"], w["r"].groups[0]
    return [
        reverse("gatherings:index"),
        reverse("gatherings:program", args=[w["r"].region.pk]),
        reverse("gatherings:detail", args=[g.pk]),
        reverse("gatherings:register", args=[g.pk, group.pk]),
        reverse("gatherings:participants", args=[g.pk]),
        reverse("gatherings:attendance", args=[g.pk]),
        reverse("gatherings:hand_in", args=[g.pk, group.pk]),
        reverse("gatherings:region_hand_ins", args=[w["r"].region.pk]),
        reverse("gatherings:feeds"),
        reverse("gatherings:calendar", args=[g.pk]),
    ]


def test_anonymous_is_sent_to_login(client, world):
    for url in _pages(world):
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/logg-inn/" in response["Location"]


def test_superuser_without_role_gets_404(client, world):
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    for url in _pages(world):
        assert client.get(url).status_code == 404, url


def test_leadership_sees_every_page(client, world):
    client.force_login(world["leader"])
    for url in _pages(world):
        assert client.get(url).status_code == 200, url


def test_coordinator_of_another_municipality_gets_404_on_our_group(client, world):
    g, group = world["g"], world["r"].groups[0]
    client.force_login(world["other"])
    assert client.get(reverse("gatherings:register", args=[g.pk, group.pk])).status_code == 404
    assert client.post(reverse("gatherings:register", args=[g.pk, group.pk]), {}).status_code == 404
    assert client.get(reverse("gatherings:hand_in", args=[g.pk, group.pk])).status_code == 404


def test_person_outside_the_region_cannot_see_or_register(client, world):
    g, group = world["g"], world["r"].groups[0]
    client.force_login(world["outsider"])
    assert client.get(reverse("gatherings:detail", args=[g.pk])).status_code == 404
    assert client.get(reverse("gatherings:program", args=[world["r"].region.pk])).status_code == 404
    assert client.post(reverse("gatherings:register", args=[g.pk, group.pk]), {}).status_code == 404


def test_coordinator_registers_two_members_at_once_and_needs_are_for_leadership_only(client, world):
    g, group = world["g"], world["r"].groups[0]
    a, b = list(group.members.all())
    client.force_login(world["coordinator"])
    url = reverse("gatherings:register", args=[g.pk, group.pk])
    response = client.post(
        url, {f"status_{a.pk}": "attending", f"dietary_{a.pk}": "Glutenfri", f"status_{b.pk}": "attending"}
    )
    assert response.status_code == 302
    assert Registration.objects.filter(gathering=g, status=RegistrationStatus.ATTENDING).count() == 2
    page = client.get(url).content.decode()
    assert "Glutenfri" not in page
    assert 'placeholder="Skriv nytt for å endre"' in page
    assert client.get(reverse("gatherings:participants", args=[g.pk])).status_code == 404
    client.force_login(world["leader"])
    assert "Glutenfri" in client.get(reverse("gatherings:participants", args=[g.pk])).content.decode()


def test_coordinator_adds_a_member_from_the_registration_page(client, world):
    g, group = world["g"], world["r"].groups[0]
    client.force_login(world["coordinator"])
    response = client.post(
        reverse("gatherings:member_add", args=[g.pk, group.pk]),
        {"name": "Ny Person", "sector": "barnehage", "email": "ny@example.org"},
    )
    assert response.status_code == 302
    assert "Ny Person" in client.get(reverse("gatherings:register", args=[g.pk, group.pk])).content.decode()


def test_answers_typed_before_adding_a_member_are_saved_on_the_way(client, world):
    """«Kommer» with «Glutenfri», then «legg til et nytt medlem»: a button of the form, so the answers are saved
    before the member form opens (a plain link lost them)."""
    g, group = world["g"], world["r"].groups[0]
    a, _b = list(group.members.all())
    client.force_login(world["coordinator"])
    url = reverse("gatherings:register", args=[g.pk, group.pk])
    page = client.get(url).content.decode()
    assert 'name="add_member"' in page
    assert 'href="{}"'.format(reverse("gatherings:member_add", args=[g.pk, group.pk])) not in page
    response = client.post(
        url, {f"status_{a.pk}": "attending", f"dietary_{a.pk}": "Glutenfri", "add_member": "1"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("gatherings:member_add", args=[g.pk, group.pk])
    assert "Svarene er lagret." in response.content.decode()
    registration = Registration.objects.get(gathering=g, member=a)
    assert (registration.status, registration.dietary_needs) == (RegistrationStatus.ATTENDING, "Glutenfri")


def test_needs_typed_for_someone_who_is_not_coming_are_refused_at_the_field_not_dropped(client, world):
    g, group = world["g"], world["r"].groups[0]
    a, b = list(group.members.all())
    client.force_login(world["coordinator"])
    url = reverse("gatherings:register", args=[g.pk, group.pk])
    response = client.post(
        url,
        {f"status_{a.pk}": "not_attending", f"dietary_{a.pk}": "Glutenfri", f"status_{b.pk}": "attending"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="id_dietary_{a.pk}_error"' in html
    assert f"Velg «Kommer» for {a.name}, eller fjern teksten." in html
    assert 'value="Glutenfri"' in html  # still in the form
    assert not Registration.objects.filter(gathering=g).exists()


def test_adding_a_member_whose_address_is_in_the_group_already_is_a_field_error_not_a_crash(client, world):
    g, group = world["g"], world["r"].groups[0]
    client.force_login(world["coordinator"])
    url = reverse("gatherings:member_add", args=[g.pk, group.pk])
    assert (
        client.post(url, {"name": "Ny Person", "sector": "barnehage", "email": "ny@example.org"}).status_code
        == 302
    )
    response = client.post(url, {"name": "Annen Person", "sector": "skole", "email": "NY@example.org"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ny Person er allerede med i gruppen med denne e-postadressen." in page
    assert 'value="Annen Person"' in page  # what was typed stays
    assert group.members.filter(email="ny@example.org").count() == 1


def test_leadership_schedules_edits_and_cancels(client, world):
    client.force_login(world["leader"])
    region = world["r"].region
    start = timezone.localtime(timezone.now() + dt.timedelta(days=50)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    data = {
        "kind": "gathering",
        "number": "2",
        "title": "Møtemetodikk",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + dt.timedelta(hours=6)).strftime("%Y-%m-%dT%H:%M"),
        "venue": "Scenehuset",
        "preparation": "Les om møtemetodikk.",
    }
    semester_around(region, start)
    response = client.post(reverse("gatherings:create", args=[region.pk]), data)
    assert response.status_code == 302
    made = Gathering.objects.get(title="Møtemetodikk")
    data["starts_at"] = (start + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    data["ends_at"] = (start + dt.timedelta(days=1, hours=6)).strftime("%Y-%m-%dT%H:%M")
    refused = client.post(reverse("gatherings:edit", args=[made.pk]), data)
    assert refused.status_code == 200
    assert "Skriv hvorfor tid eller sted endres" in refused.content.decode()
    data["reason"] = "Kollisjon med årsmøtet"
    assert client.post(reverse("gatherings:edit", args=[made.pk]), data).status_code == 302
    made.refresh_from_db()
    assert made.sequence == 1
    assert client.post(reverse("gatherings:cancel", args=[made.pk]), {"reason": "Sykdom"}).status_code == 302
    made.refresh_from_db()
    assert made.is_cancelled


def test_attendance_page_says_when_it_opens_and_a_tap_before_is_refused(client, world):
    row = RegistrationFactory(gathering=world["g"], municipality=world["r"].municipalities[0])
    client.force_login(world["leader"])
    page = client.get(reverse("gatherings:attendance", args=[world["g"].pk])).content.decode()
    assert "Oppmøte kan registreres fra samlingens første dag" in page
    url = reverse("gatherings:attendance_mark", args=[world["g"].pk, row.pk])
    response = client.post(url, {"attended": "1"}, follow=True)
    assert "Oppmøte kan registreres fra samlingens første dag" in response.content.decode()
    row.refresh_from_db()
    assert row.attended is None


def test_attendance_is_one_post_per_tap_and_get_writes_nothing(client, world):
    row = RegistrationFactory(gathering=world["g"], municipality=world["r"].municipalities[0])
    _held(world["g"])
    client.force_login(world["leader"])
    url = reverse("gatherings:attendance_mark", args=[world["g"].pk, row.pk])
    assert client.get(url).status_code == 302
    row.refresh_from_db()
    assert row.attended is None
    response = client.post(url, {"attended": "1"})
    assert response["Location"].endswith(f"#r{row.pk}")
    row.refresh_from_db()
    assert row.attended is True
    assert (
        'aria-pressed="true"'
        in client.get(reverse("gatherings:attendance", args=[world["g"].pk])).content.decode()
    )


def test_export_xlsx_and_csv(client, world):
    RegistrationFactory(
        gathering=world["g"], municipality=world["r"].municipalities[0], name="=Ola", dietary_needs="Vegan"
    )
    client.force_login(world["leader"])
    csv_body = client.get(
        reverse("gatherings:participants_export", args=[world["g"].pk, "csv"])
    ).content.decode("utf-8-sig")
    assert "'=Ola" in csv_body
    assert "Vegan" in csv_body
    xlsx = client.get(reverse("gatherings:participants_export", args=[world["g"].pk, "xlsx"]))
    assert xlsx.content[:2] == b"PK"
    assert client.get(reverse("gatherings:name_tags", args=[world["g"].pk])).status_code == 200


def test_shared_hand_in_is_read_by_another_municipality_of_the_region(client, world):
    g = world["g"]
    g.starts_at = timezone.now() - dt.timedelta(days=5)
    g.ends_at = g.starts_at + dt.timedelta(hours=5)
    g.registration_deadline = None
    g.save()
    group = world["r"].groups[0]
    client.force_login(world["coordinator"])
    url = reverse("gatherings:hand_in", args=[g.pk, group.pk])
    response = client.post(
        url,
        {
            "done": "Vi møttes",
            "learned": "Forankring tar tid",
            "next_steps": "Invitere SFO",
            "shared_with_region": "on",
            "version": "1",
            "submit": "1",
        },
    )
    assert response.status_code == 302
    assert HandIn.objects.get().is_submitted
    client.force_login(world["other"])
    page = client.get(reverse("gatherings:region_hand_ins", args=[world["r"].region.pk])).content.decode()
    assert "Forankring tar tid" in page
    HandIn.objects.update(shared_with_region=False)
    page = client.get(reverse("gatherings:region_hand_ins", args=[world["r"].region.pk])).content.decode()
    assert "Forankring tar tid" not in page
    assert client.get(url).status_code == 404


def test_feed_contents_and_revocation(client, world):
    client.force_login(world["coordinator"])
    client.post(reverse("gatherings:feeds"), {"regional_program": str(world["r"].region.pk)})
    feed = CalendarFeed.objects.get()
    client.logout()
    url = reverse("gatherings:feed", args=[feed.token])
    cal = Calendar.from_ical(client.get(url).content)
    assert cal["METHOD"] == "PUBLISH"
    events = cal.walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == [world["g"].display_title]
    assert "DTSTAMP" in events[0]
    assert cal.walk("VTIMEZONE")
    client.force_login(world["coordinator"])
    asked = client.post(reverse("gatherings:feed_revoke", args=[feed.pk])).content.decode()
    assert "Slette adressen for" in asked
    assert client.get(url).status_code == 200  # nothing happens before the person confirms
    done = client.post(reverse("gatherings:feed_revoke", args=[feed.pk]), {"confirm": "yes"}, follow=True)
    assert "Kalendere som bruker den, blir ikke lenger oppdatert." in done.content.decode()
    client.logout()
    assert client.get(url).status_code == 404


def test_the_groups_advisor_reads_its_unshared_hand_in_and_another_advisor_gets_404(client, world):
    from tests.guidance.factories import AgreementFactory

    g, group = world["g"], world["r"].groups[0]
    HandIn.objects.create(
        gathering=g, group=group, done="Internt", learned="l", next_steps="n", submitted_at=timezone.now()
    )
    advisor = UserFactory(advisor=True)
    AgreementFactory(regional_program=world["r"].region, municipality=group.municipality, advisors=[advisor])
    client.force_login(advisor)
    assert "Internt" in client.get(reverse("gatherings:hand_in", args=[g.pk, group.pk])).content.decode()
    assert (
        "Internt"
        in client.get(reverse("gatherings:region_hand_ins", args=[world["r"].region.pk])).content.decode()
    )
    client.force_login(UserFactory(advisor=True))
    assert client.get(reverse("gatherings:hand_in", args=[g.pk, group.pk])).status_code == 404
    assert client.get(reverse("gatherings:region_hand_ins", args=[world["r"].region.pk])).status_code == 404


def test_an_advisor_whose_agreement_the_municipality_declined_does_not_read_its_hand_ins(client, world):
    from tests.guidance.factories import AgreementFactory

    g, group = world["g"], world["r"].groups[0]
    HandIn.objects.create(
        gathering=g, group=group, done="Internt", learned="l", next_steps="n", submitted_at=timezone.now()
    )
    advisor = UserFactory(advisor=True)
    agreement = AgreementFactory(
        regional_program=world["r"].region, municipality=group.municipality, advisors=[advisor]
    )
    client.force_login(advisor)
    assert client.get(reverse("gatherings:hand_in", args=[g.pk, group.pk])).status_code == 200
    agreement.declined_on = timezone.localdate()
    agreement.save()
    client.force_login(advisor)  # a new request: the advisor's agreements are read again
    assert client.get(reverse("gatherings:hand_in", args=[g.pk, group.pk])).status_code == 404
    assert client.get(reverse("gatherings:region_hand_ins", args=[world["r"].region.pk])).status_code == 404


def _held(g):
    g.starts_at = timezone.now() - dt.timedelta(days=5)
    g.ends_at = g.starts_at + dt.timedelta(hours=5)
    g.registration_deadline = None
    g.save()


def test_too_long_hand_in_text_stays_in_the_form_with_one_error_and_nothing_is_said_saved(client, world):
    g, group = world["g"], world["r"].groups[0]
    _held(g)
    client.force_login(world["coordinator"])
    url = reverse("gatherings:hand_in", args=[g.pk, group.pk])
    long_text = "Gjort " + "x" * 20001
    response = client.post(
        url, {"done": long_text, "learned": "Mye", "next_steps": "", "version": "1", "submit": "1"}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form["done"].value() == long_text  # the typed text is still in the field
    assert len(form.errors["done"]) == 1
    assert "Fyll ut før du leverer." not in str(form.errors)
    shown = [str(m) for m in response.context["messages"]]
    assert not any(m.startswith(("Utkastet er lagret", "Mellomarbeidet er levert")) for m in shown), shown
    assert any("ikke lagret" in m for m in shown), shown
    stored = HandIn.objects.get()
    assert not stored.is_submitted
    assert stored.done == ""
    assert stored.learned == "Mye"


def test_hand_in_before_the_gathering_is_a_draft_and_handing_in_is_refused(client, world):
    g, group = world["g"], world["r"].groups[0]  # starts in 30 days
    client.force_login(world["coordinator"])
    url = reverse("gatherings:hand_in", args=[g.pk, group.pk])
    page = client.get(url).content.decode()
    assert "kan leveres fra samlingen starter" in page
    data = {"done": "a", "learned": "b", "next_steps": "c", "version": "1"}
    response = client.post(url, {**data, "submit": "1"})
    assert response.status_code == 200
    assert "Mellomarbeidet kan leveres fra samlingen starter" in response.content.decode()
    stored = HandIn.objects.get()
    assert not stored.is_submitted
    assert stored.done == "a"  # kept as a draft


def test_hand_in_conflict_message_is_shown_once(client, world):
    g, group = world["g"], world["r"].groups[0]
    client.force_login(world["coordinator"])
    url = reverse("gatherings:hand_in", args=[g.pk, group.pk])
    client.post(url, {"done": "first", "version": "1", "save": "1"})
    response = client.post(url, {"done": "second", "version": "1", "save": "1"})
    assert response.content.decode().count("etter at du åpnet siden") == 1


def test_cancelled_gathering_is_listed_apart_and_offers_no_attendance_or_name_tags(client, world):
    g = world["g"]
    g.status = "cancelled"
    g.cancel_reason = "Sykdom"
    g.save()
    live = GatheringFactory(regional_program=world["r"].region, title="Neste samling")
    client.force_login(world["leader"])
    response = client.get(reverse("gatherings:index"))
    assert [x.pk for x in response.context["upcoming"]] == [live.pk]
    assert [x.pk for x in response.context["cancelled"]] == [g.pk]
    page = client.get(reverse("gatherings:detail", args=[g.pk])).content.decode()
    assert reverse("gatherings:attendance", args=[g.pk]) not in page
    assert reverse("gatherings:name_tags", args=[g.pk]) not in page
    assert client.get(reverse("gatherings:name_tags", args=[g.pk])).status_code == 404


def test_cancel_reason_too_long_gets_a_norwegian_field_error(client, world):
    client.force_login(world["leader"])
    g = world["g"]
    response = client.post(reverse("gatherings:cancel", args=[g.pk]), {"reason": "x" * 6000})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"] == ["Begrunnelsen kan være høyst 1000 tegn (nå 6000)."]
    g.refresh_from_db()
    assert not g.is_cancelled


def _new_gathering_data(start, **over):
    data = {
        "kind": "gathering",
        "number": "4",
        "title": "Ekstra samling",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + dt.timedelta(hours=6)).strftime("%Y-%m-%dT%H:%M"),
        "venue": "Scenehuset",
    }
    data.update(over)
    return data


def test_gathering_form_shows_end_before_start_together_with_other_field_errors(client, world):
    client.force_login(world["leader"])
    start = timezone.localtime(timezone.now() + dt.timedelta(days=50)).replace(hour=10, minute=0)
    data = _new_gathering_data(
        start,
        ends_at=(start - dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        capacity="abc",
        between_work_due=(start - dt.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
    )
    response = client.post(reverse("gatherings:create", args=[world["r"].region.pk]), data)
    errors = response.context["form"].errors
    assert set(errors) == {"ends_at", "capacity", "between_work_due"}
    assert errors["ends_at"] == ["Samlingen må slutte etter at den starter."]
    assert not Gathering.objects.filter(title="Ekstra samling").exists()


def test_a_past_time_a_bad_video_link_and_a_missing_place_are_all_shown_in_one_submit(client, world):
    client.force_login(world["leader"])
    url = reverse("gatherings:create", args=[world["r"].region.pk])
    past = timezone.localtime(timezone.now() - dt.timedelta(days=3)).replace(hour=10, minute=0)
    response = client.post(url, _new_gathering_data(past, venue="", video_link="ikke en lenke"))
    errors = response.context["form"].errors
    assert set(errors) == {"starts_at", "video_link"}
    assert errors["starts_at"] == ["Samlingen kan ikke legges inn med en tid som har vært. Sjekk datoen."]

    response = client.post(url, _new_gathering_data(past, venue=""))
    errors = response.context["form"].errors
    assert set(errors) == {"starts_at", "venue"}
    assert errors["venue"] == ["Oppgi sted og adresse, eller en videolenke."]
    assert not Gathering.objects.filter(title="Ekstra samling").exists()


def test_between_work_due_before_the_end_is_a_field_error(client, world):
    client.force_login(world["leader"])
    start = timezone.localtime(timezone.now() + dt.timedelta(days=50)).replace(hour=10, minute=0)
    data = _new_gathering_data(
        start, between_work_due=(start - dt.timedelta(days=16)).strftime("%Y-%m-%dT%H:%M")
    )
    response = client.post(reverse("gatherings:create", args=[world["r"].region.pk]), data)
    assert response.context["form"].errors["between_work_due"] == [
        "Fristen for mellomarbeidet må være etter at samlingen er slutt."
    ]


def test_a_duplicate_gathering_number_is_shown_before_saving_and_saved_when_confirmed(client, world):
    client.force_login(world["leader"])
    world["g"].number = 4
    world["g"].save()
    start = timezone.localtime(timezone.now() + dt.timedelta(days=50)).replace(hour=10, minute=0)
    semester_around(world["r"].region, start)
    url = reverse("gatherings:create", args=[world["r"].region.pk])
    shown = client.post(url, _new_gathering_data(start))
    assert shown.status_code == 200
    assert "Samling nr. 4 finnes allerede i dette regionale programmet" in shown.content.decode()
    assert not Gathering.objects.filter(title="Ekstra samling").exists()
    saved = client.post(url, _new_gathering_data(start, lagre_likevel="duplicate_number"), follow=True)
    assert Gathering.objects.filter(title="Ekstra samling").exists()
    assert "Samling nr. 4 finnes allerede i dette regionale programmet" in saved.content.decode()


def test_a_form_with_errors_shows_the_warnings_of_its_valid_fields_and_confirming_then_saves(client, world):
    client.force_login(world["leader"])
    world["g"].number = 4
    world["g"].save()
    start = timezone.localtime(timezone.now() + dt.timedelta(days=50)).replace(hour=10, minute=0)
    semester_around(world["r"].region, start)
    url = reverse("gatherings:create", args=[world["r"].region.pk])
    shown = client.post(url, _new_gathering_data(start, title=""))
    assert shown.status_code == 200
    assert set(shown.context["form"].errors) == {"title"}
    html = shown.content.decode()
    assert "Samling nr. 4 finnes allerede i dette regionale programmet" in html
    assert 'name="lagre_likevel" value="duplicate_number"' in html
    assert "Rett feilene i skjemaet." in html
    # the title typed and «Lagre likevel» pressed: saved, no third round
    saved = client.post(url, _new_gathering_data(start, lagre_likevel="duplicate_number"))
    assert saved.status_code == 302
    assert Gathering.objects.filter(title="Ekstra samling").exists()


def test_a_form_with_errors_in_its_start_shows_no_warnings(client, world):
    client.force_login(world["leader"])
    world["g"].number = 4
    world["g"].save()
    url = reverse("gatherings:create", args=[world["r"].region.pk])
    past = timezone.localtime(timezone.now() - dt.timedelta(days=3)).replace(hour=10, minute=0)
    response = client.post(url, _new_gathering_data(past, title=""))
    assert set(response.context["form"].errors) == {"starts_at", "title"}
    assert response.context["warnings"] == []
    assert "lagre_likevel" not in response.content.decode()


def test_export_files_are_named_by_title_and_date_and_start_by_naming_the_gathering(client, world):
    import io

    from openpyxl import load_workbook

    g = world["g"]
    g.number = 4
    g.title = "Ekstra samling på Førde"
    g.starts_at = oslo(2026, 12, 16, 10)
    g.ends_at = oslo(2026, 12, 16, 15)
    g.registration_deadline = None
    g.save()
    RegistrationFactory(gathering=g, municipality=world["r"].municipalities[0], name="Kari")
    client.force_login(world["leader"])
    xlsx = client.get(reverse("gatherings:participants_export", args=[g.pk, "xlsx"]))
    assert xlsx["Content-Disposition"] == (
        'attachment; filename="deltakere-samling-4-ekstra-samling-pa-forde-2026-12-16.xlsx"'
    )
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet["A1"].value == "Deltakere: Samling 4: Ekstra samling på Førde"
    assert "16. desember 2026" in sheet["B2"].value
    names = [row[1] for row in sheet.iter_rows(values_only=True)]
    assert "Navn" in names
    assert "Kari" in names
    csv = client.get(reverse("gatherings:participants_export", args=[g.pk, "csv"]))
    assert csv["Content-Disposition"].endswith('-2026-12-16.csv"')
    first = csv.content.decode("utf-8-sig").splitlines()
    assert first[0] == "Deltakere: Samling 4: Ekstra samling på Førde"
    assert "16. desember 2026" in first[1]


def test_board_of_the_region_sees_participants_per_municipality_without_needs(client, world):
    from tests.factories import board_member

    g, r = world["g"], world["r"]
    RegistrationFactory(
        gathering=g, municipality=r.municipalities[0], name="Kari Deltaker", dietary_needs="Nøtteallergi"
    )
    board = board_member(r.branch)
    client.force_login(board)
    detail = client.get(reverse("gatherings:detail", args=[g.pk])).content.decode()
    assert reverse("gatherings:participants", args=[g.pk]) in detail
    response = client.get(reverse("gatherings:participants", args=[g.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Kari Deltaker" in page
    assert r.municipalities[0].name in page
    assert "Nøtteallergi" not in page
    assert "Allergier og kosthold" not in page
    assert "med allergier eller behov" not in page
    assert reverse("gatherings:participants_export", args=[g.pk, "xlsx"]) not in page
    assert client.get(reverse("gatherings:participants_export", args=[g.pk, "csv"])).status_code == 404
    # leadership still sees the needs
    client.force_login(world["leader"])
    assert "Nøtteallergi" in client.get(reverse("gatherings:participants", args=[g.pk])).content.decode()
    # a board of another region, and the municipal contact: 404
    other_board = board_member(make_region().branch)
    client.force_login(other_board)
    assert client.get(reverse("gatherings:participants", args=[g.pk])).status_code == 404
    client.force_login(world["coordinator"])
    assert client.get(reverse("gatherings:participants", args=[g.pk])).status_code == 404


def test_coordinator_sees_that_needs_are_registered_and_can_clear_them_without_seeing_them(client, world):
    g, group = world["g"], world["r"].groups[0]
    member = group.members.first()
    client.force_login(world["coordinator"])
    url = reverse("gatherings:register", args=[g.pk, group.pk])
    fields = {f"status_{m.pk}": "" for m in group.members.all()}
    client.post(url, {**fields, f"status_{member.pk}": "attending", f"dietary_{member.pk}": "Nøtteallergi"})
    page = client.get(url).content.decode()
    assert page.count('data-testid="needs-registered"') == 1  # «Registrert» by the allergy field
    assert "Nøtteallergi" not in page  # the text stays leadership's
    assert f'name="clear_{member.pk}"' in page
    client.post(url, {**fields, f"status_{member.pk}": "attending", f"clear_{member.pk}": "on"})
    row = Registration.objects.get(gathering=g, member=member)
    assert row.dietary_needs == ""
    assert row.status == RegistrationStatus.ATTENDING
    page = client.get(url).content.decode()
    assert 'data-testid="needs-registered"' not in page
    assert f'name="clear_{member.pk}"' not in page


def test_every_gatherings_page_has_the_same_breadcrumb_start(client, world):
    import re

    g, group, region = world["g"], world["r"].groups[0], world["r"].region
    client.force_login(world["leader"])
    pages = [
        reverse("gatherings:program", args=[region.pk]),
        reverse("gatherings:semesters", args=[region.pk]),
        reverse("gatherings:create", args=[region.pk]),
        reverse("gatherings:region_hand_ins", args=[region.pk]),
        reverse("gatherings:detail", args=[g.pk]),
        reverse("gatherings:edit", args=[g.pk]),
        reverse("gatherings:cancel", args=[g.pk]),
        reverse("gatherings:register", args=[g.pk, group.pk]),
        reverse("gatherings:participants", args=[g.pk]),
        reverse("gatherings:attendance", args=[g.pk]),
        reverse("gatherings:hand_in", args=[g.pk, group.pk]),
    ]
    for url in pages:
        html = client.get(url).content.decode()
        crumbs = re.search(r'<ol class="breadcrumb">(.*?)</ol>', html, re.S).group(1)
        items = [re.sub(r"<[^>]+>", "", li).strip() for li in re.findall(r"<li.*?</li>", crumbs, re.S)]
        assert items[0] == "Samlinger", (url, items)
        if url != pages[0]:
            assert items[1] == region.name, (url, items)


def test_a_hand_in_typed_while_the_session_expired_comes_back_after_login_in_the_same_browser(client, world):
    g, group = world["g"], world["r"].groups[0]
    _held(g)
    url = reverse("gatherings:hand_in", args=[g.pk, group.pk])
    client.force_login(world["coordinator"])
    assert client.get(url).status_code == 200  # the browser is now the coordinator's
    del client.cookies["sessionid"]  # the session expires; the browser's cookie stays
    typed = {
        "done": "Vi startet en kor-gruppe",
        "learned": "Samarbeid tar tid",
        "next_steps": "Mer",
        "version": "1",
    }
    response = client.post(url, {**typed, "submit": "1"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))
    assert not HandIn.objects.exists()  # nothing applied by an anonymous post
    # The login page says the text is kept, so the person does not give up on it.
    login_page = client.get(response.url).content.decode()
    assert "Det du skrev er tatt vare på" in login_page
    login = client.post(response.url, {"username": "koord-a@example.org", "password": "kulturskole"})
    assert login.url.startswith(url + "?gjenopprett=")
    page = client.get(login.url).content.decode()
    assert "Vi startet en kor-gruppe" in page
    assert "Samarbeid tar tid" in page
    assert "Økten din hadde utløpt" in page
    assert not HandIn.objects.exists()  # still nothing saved until the person saves
    # The person saves from the recovered form: stored, and the kept text is gone.
    assert client.post(login.url, {**typed, "save": "1"}).status_code == 302
    assert HandIn.objects.get().done == "Vi startet en kor-gruppe"
    from core.models import DraftRecovery

    assert not DraftRecovery.objects.exists()


def test_a_hand_in_kept_for_one_coordinator_is_not_offered_to_another_person_in_that_browser(client, world):
    g, group = world["g"], world["r"].groups[0]
    _held(g)
    url = reverse("gatherings:hand_in", args=[g.pk, group.pk])
    client.force_login(world["coordinator"])
    client.get(url)
    del client.cookies["sessionid"]
    response = client.post(url, {"done": "Hemmelig", "learned": "", "next_steps": "", "version": "1"})
    link = response.url.split("next=")[1]
    from urllib.parse import unquote

    client.force_login(world["leader"])  # may edit the hand-in too, but did not type this
    page = client.get(unquote(link))
    assert page.status_code == 200
    assert "Hemmelig" not in page.content.decode()
    assert "Økten din hadde utløpt" not in page.content.decode()


def test_an_anonymous_hand_in_post_keeps_nothing_and_answers_the_same_for_ids_that_do_not_exist(
    client, world
):
    g, group = world["g"], world["r"].groups[0]
    from core.models import DraftRecovery

    existing = client.post(reverse("gatherings:hand_in", args=[g.pk, group.pk]), {"done": "Plantet"})
    missing = client.post(reverse("gatherings:hand_in", args=[g.pk + 1000, group.pk]), {"done": "Plantet"})
    assert existing.status_code == missing.status_code == 302
    assert existing.url.replace(f"/{g.pk}/", "/N/") == missing.url.replace(f"/{g.pk + 1000}/", "/N/")
    # A browser last signed in as a coordinator of another municipality keeps nothing for our group.
    client.force_login(world["other"])
    client.get(reverse("gatherings:index"))
    client.get(reverse("gatherings:hand_in", args=[g.pk, world["r"].groups[1].pk]))
    del client.cookies["sessionid"]
    client.post(reverse("gatherings:hand_in", args=[g.pk, group.pk]), {"done": "Plantet"})
    assert not DraftRecovery.objects.exists()
    assert not HandIn.objects.exists()


def test_a_delivered_hand_in_has_one_save_button_and_saving_says_it_is_still_delivered(client, world):
    g, group = world["g"], world["r"].groups[0]
    _held(g)
    client.force_login(world["coordinator"])
    url = reverse("gatherings:hand_in", args=[g.pk, group.pk])
    draft_page = client.get(url).content.decode()
    assert "Lagre utkast" in draft_page
    assert "Lever mellomarbeidet" in draft_page
    data = {"done": "a", "learned": "b", "next_steps": "c", "version": "1"}
    saved = client.post(url, {**data, "save": "1"}, follow=True)
    assert "Utkastet er lagret. Det er ikke levert ennå." in saved.content.decode()
    delivered = client.post(url, {**data, "version": "2", "submit": "1"}, follow=True).content.decode()
    assert "Mellomarbeidet er levert." in delivered
    buttons = re.search(r'data-testid="hand-in-buttons">(.*?)</div>', delivered, re.S).group(1)
    assert re.findall(r"<button[^>]*>([^<]*)</button>", buttons) == ["Lagre endringene"]
    assert "blir stående som levert" in delivered
    changed = client.post(url, {**data, "done": "rettet", "version": "3", "submit": "1"}, follow=True)
    shown = [str(m) for m in changed.context["messages"]]
    assert shown == ["Endringene er lagret. Mellomarbeidet er fortsatt levert."]
    stored = HandIn.objects.get()
    assert stored.is_submitted
    assert stored.done == "rettet"
    # Emptying a field of a delivered hand-in is refused; the typed text stays in the form.
    emptied = client.post(url, {**data, "done": "", "learned": "ny lærdom", "version": "4", "submit": "1"})
    assert emptied.status_code == 200
    assert emptied.context["form"]["learned"].value() == "ny lærdom"
    assert "Et levert mellomarbeid kan ikke ha tomme felt." in emptied.content.decode()
    shown = [str(m) for m in emptied.context["messages"]]
    assert shown == [
        "Ingenting er lagret, og mellomarbeidet er fortsatt levert. Fyll ut feltene som er merket."
    ]
    stored.refresh_from_db()
    assert (stored.done, stored.learned, stored.is_submitted) == ("rettet", "b", True)


def _past(region, days: int, between_work="Skriv om forankring.", **extra):
    starts = timezone.now() - dt.timedelta(days=days)
    return GatheringFactory(
        regional_program=region,
        starts_at=starts,
        registration_deadline=None,
        between_work=between_work,
        **extra,
    )


def test_the_contacts_dashboard_lists_between_work_not_handed_in_with_due_date_and_link(client):
    r = make_region(members=0)
    mine, theirs = r.groups
    due = timezone.now() + dt.timedelta(days=10)
    waiting = _past(r.region, 20, title="Samling om elevråd", between_work_due=due)
    drafted = _past(r.region, 40, title="Samling om lytting")
    HandIn.objects.create(gathering=drafted, group=mine, done="påbegynt")
    delivered = _past(r.region, 60, title="Samling om planer")
    HandIn.objects.create(gathering=delivered, group=mine, done="d", submitted_at=timezone.now())
    _past(r.region, 30, title="Avlyst samling", status="cancelled")
    _past(r.region, 5, title="Uten oppgave", between_work="")
    GatheringFactory(regional_program=r.region, title="Kommende samling", between_work="Senere.")
    client.force_login(municipal_contact(mine.municipality))
    page = client.get(reverse("accounts:dashboard")).content.decode()
    panel = re.search(r'data-testid="hand-ins-waiting">(.*?)</ul>', page, re.S).group(1)
    items = [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", li)).strip()
        for li in re.findall(r"<li.*?</li>", panel, re.S)
    ]
    assert len(items) == 2, items
    assert items[0].startswith("Mellomarbeid etter")
    assert "Samling om elevråd" in items[0]
    assert "Frist:" in items[0]
    assert "Ikke påbegynt" in items[0]
    assert "Samling om lytting" in items[1]
    assert "Utkast, ikke levert" in items[1]
    assert reverse("gatherings:hand_in", args=[waiting.pk, mine.pk]) in panel
    assert f"/{theirs.pk}/" not in panel  # the other municipality's group is not the contact's
    # The gatherings page, which otherwise lists only what is coming, shows the same.
    index = client.get(reverse("gatherings:index")).content.decode()
    assert "Mellomarbeid som venter" in index
    assert reverse("gatherings:hand_in", args=[waiting.pk, mine.pk]) in index


def test_the_waiting_between_work_panel_costs_the_same_queries_for_few_and_many(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for n in (2, 12):
        r = make_region(members=0)
        for i in range(n):
            _past(r.region, 10 + i)
        client.force_login(municipal_contact(r.groups[0].municipality))
        with CaptureQueriesContext(connection) as ctx:
            page = client.get(reverse("accounts:dashboard")).content.decode()
        assert page.count("Mellomarbeid etter ") == min(n, 10)
        counts.append(len(ctx))
    assert counts[0] == counts[1]


def test_leadership_gets_no_waiting_between_work_panel(client):
    r = make_region(members=0)
    _past(r.region, 10)
    client.force_login(UserFactory(leadership=True))
    assert "Mellomarbeid som venter" not in client.get(reverse("accounts:dashboard")).content.decode()


def test_a_title_typed_with_its_number_shows_and_is_mailed_with_the_number_once(
    client, world, django_capture_on_commit_callbacks
):
    from django.core import mail

    client.force_login(world["leader"])
    url = reverse("gatherings:create", args=[world["r"].region.pk])
    assert "får «Samling nr.:» foran tittelen av seg selv" in client.get(url).content.decode()
    start = timezone.localtime(timezone.now() + dt.timedelta(days=50)).replace(hour=10, minute=0)
    semester_around(world["r"].region, start)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, _new_gathering_data(start, title="Samling 4: Ekstra"), follow=True)
    page = response.content.decode()
    assert "Samling 4: Ekstra" in page
    assert "Samling 4: Samling 4" not in page
    made = Gathering.objects.get(number=4)
    assert made.title == "Ekstra"
    assert mail.outbox
    assert all("Samling 4: Samling 4" not in m.subject + m.body for m in mail.outbox)
    assert "Samling 4: Ekstra" in mail.outbox[0].subject


def test_a_stored_title_with_its_number_is_shown_with_the_number_once(world):
    gathering = GatheringFactory(
        regional_program=world["r"].region, kind="gathering", number=4, title="Samling 4: Ekstra"
    )
    assert gathering.display_title == "Samling 4: Ekstra"
    gathering.title = "Samling nr. 4 – Ekstra"
    assert gathering.display_title == "Samling 4: Ekstra"
    gathering.title = "Samling 3: Ekstra"  # another number is the leader's own text
    assert gathering.display_title == "Samling 4: Samling 3: Ekstra"
    gathering.title = "Samling 4"
    assert gathering.display_title == "Samling 4"


def gathering_warnings_text(gathering, *, now) -> str:
    from gatherings.warnings import gathering_warnings

    return " ".join(w.text for w in gathering_warnings(gathering, siblings=[], now=now))


def test_the_page_of_a_past_gathering_shows_no_warnings_before_it(client, world):
    client.force_login(world["leader"])
    last_may = timezone.localtime(timezone.now()).year - 1
    held = GatheringFactory(  # 17 May, a public holiday, in no semester
        regional_program=world["r"].region,
        starts_at=oslo(last_may, 5, 17, 9),
        ends_at=oslo(last_may, 5, 17, 15),
    )
    page = client.get(reverse("gatherings:detail", args=[held.pk])).content.decode()
    assert "Se over før samlingen" not in page
    region_page = client.get(reverse("gatherings:program", args=[world["r"].region.pk])).content.decode()
    assert f"17. mai {last_may} er en offentlig helligdag" not in region_page
    assert f"17. mai {last_may} er en offentlig helligdag" in gathering_warnings_text(
        held, now=oslo(last_may, 5, 1)
    )


def test_the_time_is_followed_by_its_full_stop_without_a_space(client, world):
    world["g"].registration_deadline = world["g"].starts_at - dt.timedelta(days=7)
    world["g"].save()
    client.force_login(world["coordinator"])
    page = client.get(reverse("gatherings:register", args=[world["g"].pk, world["r"].groups[0].pk]))
    html = page.content.decode()
    assert "Påmeldingsfrist" in html
    assert re.search(r"\d\d:\d\d\. Påmeldingsfrist", html)
    assert not re.search(r"\d\d:\d\d\s+\.", html)


def test_a_gathering_typed_after_the_login_ran_out_comes_back_after_logging_in(client, world):
    """Leadership writes a long preparation and between-work text, the session expires, «Lagre»: after the
    login the form is filled again (nothing scheduled, nobody told), for the new gathering and for a change."""
    w = world
    start = timezone.localtime(timezone.now() + dt.timedelta(days=50)).replace(hour=10, minute=0, second=0)
    for url, posted in (
        (
            reverse("gatherings:create", args=[w["r"].region.pk]),
            {
                "kind": "gathering",
                "number": "3",
                "title": "Møtemetodikk",
                "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
                "ends_at": (start + dt.timedelta(hours=6)).strftime("%Y-%m-%dT%H:%M"),
                "preparation": "Les kapittel tre før samlingen",
                "between_work": "Prøv møtemetoden i kommunegruppen",
            },
        ),
        (
            reverse("gatherings:edit", args=[w["g"].pk]),
            {"title": "Nytt navn", "between_work": "Endret mellomarbeid", "reason": "Nytt tema"},
        ),
    ):
        client.force_login(w["leader"])
        assert client.get(url).status_code == 200
        del client.cookies["sessionid"]
        response = client.post(url, posted)
        assert response.url.startswith(reverse("accounts:login"))
        login = client.post(response.url, {"username": w["leader"].email, "password": "kulturskole"})
        html = client.get(login.url).content.decode()
        for text in posted.values():
            if len(text) > 8:
                assert text in html, text
        assert "Økten din hadde utløpt" in html
    assert not Gathering.objects.filter(title__in=["Møtemetodikk", "Nytt navn"]).exists()
