"""A gathering's notices (invitation, change, cancellation) belong to their edition: leadership finds them
under it on the reminders page, edits their texts and previews them like every other notice."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils.html import escape

from core.dates import span_display
from gatherings import services
from gatherings.services.notices import CANCELLED, CHANGED, INVITATION
from gatherings.services.scheduling import GATHERING_FIELDS
from reminders import services as outbox
from reminders.models import Delivery, DeliveryState
from tests.gatherings.factories import GatheringFactory, make_region

pytestmark = pytest.mark.django_db

backfill = importlib.import_module("reminders.migrations.0007_gathering_notices_belong_to_their_edition")


def _data(gathering, *, days: int = 0) -> dict:
    data = {name: getattr(gathering, name) for name in GATHERING_FIELDS}
    data["starts_at"] = gathering.starts_at + dt.timedelta(days=days)
    data["ends_at"] = gathering.ends_at + dt.timedelta(days=days)
    return data


def _scheduled_moved_cancelled(leader):
    r = make_region()
    gathering = services.gathering_schedule(
        actor=leader, regional_program=r.region, data=_data(GatheringFactory.build())
    )
    outbox.deliveries_send(
        delivery_ids=list(Delivery.objects.filter(occasion=INVITATION).values_list("pk", flat=True))
    )
    moved = services.gathering_update(
        actor=leader, gathering=gathering, data=_data(gathering, days=2), reason="Lokalet er dobbeltbooket"
    )
    outbox.deliveries_send(
        delivery_ids=list(Delivery.objects.filter(occasion=CHANGED).values_list("pk", flat=True))
    )
    services.gathering_cancel(actor=leader, gathering=moved, reason="For få påmeldte")
    outbox.deliveries_send(
        delivery_ids=list(Delivery.objects.filter(occasion=CANCELLED).values_list("pk", flat=True))
    )
    return r


def test_sent_gathering_notices_are_counted_under_their_edition(client, leader):
    r = _scheduled_moved_cancelled(leader)
    program = r.region.program
    rows = Delivery.objects.filter(occasion__in=[INVITATION, CHANGED, CANCELLED])
    assert rows.count() == 3 * len(r.groups)
    assert set(rows.values_list("program_id", "state")) == {(program.pk, DeliveryState.SENT)}
    client.force_login(leader)
    page = client.get(reverse("reminders:delivery_list"), {"program": program.pk, "vis": "sendt"})
    counts = page.context["counts"]
    assert counts["sent"] == 3 * len(r.groups)
    html = page.content.decode()
    for group in r.groups:
        assert html.count(f'<span class="small">{group.coordinator_email}</span>') == 3


def test_existing_gathering_notices_are_given_the_edition_of_their_gathering(leader):
    r = _scheduled_moved_cancelled(leader)
    Delivery.objects.update(program=None)
    orphan = Delivery.objects.filter(occasion=CANCELLED).first()
    Delivery.objects.filter(pk=orphan.pk).update(key="gathering:999999", context={})

    backfill.forwards(apps, None)

    rows = Delivery.objects.filter(occasion__in=[INVITATION, CHANGED, CANCELLED]).exclude(pk=orphan.pk)
    assert set(rows.values_list("program_id", flat=True)) == {r.region.program_id}
    assert Delivery.objects.get(pk=orphan.pk).program_id is None


def test_an_invitation_sent_before_the_gathering_was_cancelled_shows_as_sent(client, leader):
    r = _scheduled_moved_cancelled(leader)
    coordinator = r.groups[0].coordinator_email
    client.force_login(leader)
    page = client.get(reverse("reminders:delivery_list"), {"q": coordinator, "vis": "sendt"})
    html = page.content.decode()
    rows = list(page.context["page"].object_list)
    assert {d.occasion for d in rows} == {INVITATION, CHANGED, CANCELLED}
    assert all(d.state == DeliveryState.SENT for d in rows)
    # the «cannot be sent» explanation is for rows never sent; a sent one says why it is not sent again
    assert "Kan ikke sendes nå" not in html
    assert "før denne ble sendt" not in html
    assert html.count("Sendes ikke på nytt: Samlingen er avlyst etter at denne ble sendt.") == 2
    # the cancellation itself may be sent again
    assert html.count(">Send på nytt<") == 1


def test_an_invitation_never_sent_still_says_it_was_cancelled_before_it_went(client, leader):
    r = make_region()
    gathering = services.gathering_schedule(
        actor=leader, regional_program=r.region, data=_data(GatheringFactory.build())
    )
    services.gathering_cancel(actor=leader, gathering=gathering, reason="For få påmeldte")
    outbox.deliveries_send(delivery_ids=list(Delivery.objects.values_list("pk", flat=True)))
    client.force_login(leader)
    coordinator = r.groups[0].coordinator_email
    html = client.get(
        reverse("reminders:delivery_list"), {"q": coordinator, "vis": "erstattet"}
    ).content.decode()
    assert "Samlingen ble avlyst før denne ble sendt; avlysningen er sendt i stedet." in html


NOTICES = (INVITATION, CHANGED, CANCELLED)


def test_the_editions_settings_list_the_gathering_notices_with_their_text_to_edit(client, leader):
    r = make_region()
    client.force_login(leader)
    page = client.get(reverse("reminders:delivery_list"), {"program": r.region.program_id})
    html = page.content.decode()
    rows = {row["occasion"].code: row for row in page.context["occasion_rows"]}
    for code, label in zip(
        NOTICES, ("Invitasjon til samling", "Endret samling", "Avlyst samling"), strict=True
    ):
        assert code in rows
        assert not rows[code]["occasion"].has_offsets  # «Når det skjer»: no days, no pause
        edit = reverse("reminders:occasion_setting_edit", args=[r.region.program_id, code])
        assert f'href="{edit}">Endre tekst<span class="visually-hidden">: {label}</span>' in html


def test_each_gathering_notice_is_previewed_on_a_gathering_of_the_edition(client, leader):
    r = make_region()
    gathering = GatheringFactory(regional_program=r.region, title="Høstsamling i Førde")
    client.force_login(leader)
    for code in NOTICES:
        page = client.get(reverse("reminders:occasion_setting_edit", args=[r.region.program_id, code]))
        preview = page.context["preview"]
        assert preview is not None, code
        assert not preview.error, (code, preview.error)
        assert "Høstsamling i Førde" in preview.subject, code
        assert preview.recipient_email == r.groups[0].coordinator_email
        frame = client.get(reverse("reminders:occasion_preview_mail", args=[r.region.program_id, code]))
        assert frame.status_code == 200
        assert "Høstsamling i Førde" in frame.content.decode()
    changed = client.get(reverse("reminders:occasion_setting_edit", args=[r.region.program_id, CHANGED]))
    assert "Flyttet fra" in changed.context["preview"].body  # what a real change notice says
    cancelled = client.get(reverse("reminders:occasion_setting_edit", args=[r.region.program_id, CANCELLED]))
    assert "Eksempel: for få påmeldte." in cancelled.context["preview"].body
    gathering.refresh_from_db()
    assert gathering.cancel_reason == ""  # the preview saved nothing


def _save_texts(client, program, code, subject, body):
    response = client.post(
        reverse("reminders:occasion_setting_edit", args=[program.pk, code]),
        {"subject_override": subject, "body_override": body},
    )
    assert response.status_code == 302


def test_leaderships_texts_are_used_in_the_gathering_notices_that_are_sent(client, leader):
    from django.core import mail

    r = make_region()
    program = r.region.program
    client.force_login(leader)
    _save_texts(
        client,
        program,
        INVITATION,
        "Velkommen til {samling}, {navn}!",
        "Vi gleder oss til samling i {region} ({program}), {tid}.",
    )
    _save_texts(client, program, CHANGED, "Ny tid for samlingen", "Merk deg endringen, {navn}:")
    _save_texts(client, program, CANCELLED, "Samlingen er avlyst", "Dessverre må vi avlyse:")
    coordinator = r.groups[0]
    gathering = services.gathering_schedule(
        actor=leader, regional_program=r.region, data=_data(GatheringFactory.build())
    )
    # the invitation waits for the worker while the gathering is moved: it is built again, keeping the texts
    moved = services.gathering_update(
        actor=leader, gathering=gathering, data=_data(gathering, days=2), reason="Lokalet er dobbeltbooket"
    )
    outbox.deliveries_send(delivery_ids=list(Delivery.objects.values_list("pk", flat=True)))
    services.gathering_cancel(actor=leader, gathering=moved, reason="For få påmeldte")
    outbox.deliveries_send(
        delivery_ids=list(Delivery.objects.filter(occasion=CANCELLED).values_list("pk", flat=True))
    )
    to_coordinator = {m.subject: m for m in mail.outbox if coordinator.coordinator_email in m.to[0]}
    # the invitation names the gathering as it is when sent (moved two days), in the edition and region
    welcome = f"Velkommen til {moved.display_title}, {coordinator.coordinator_name}!"
    assert set(to_coordinator) == {welcome, "Ny tid for samlingen", "Samlingen er avlyst"}
    invitation = to_coordinator[welcome]
    intro = f"Vi gleder oss til samling i {r.region.name} ({program.name}), {span_display(moved.starts_at, moved.ends_at)}."
    assert intro in invitation.body
    assert "Velkommen til samling i" not in invitation.body
    assert escape(intro) in invitation.alternatives[0][0]
    changed = to_coordinator["Ny tid for samlingen"]
    assert f"Merk deg endringen, {coordinator.coordinator_name}:" in changed.body
    assert "Begrunnelse: Lokalet er dobbeltbooket" in changed.body
    assert "Dessverre må vi avlyse:" in to_coordinator["Samlingen er avlyst"].body


def test_the_invitations_settings_offer_the_gathering_and_other_occasions_refuse_it(client, leader):
    from applications.reminders import APPLICATION_DEADLINE

    r = make_region()
    program = r.region.program
    client.force_login(leader)
    url = reverse("reminders:occasion_setting_edit", args=[program.pk, INVITATION])
    page = client.get(url).content.decode()
    assert "{samling} (samlingens navn" in page
    assert "{region} (det regionale programmet)" in page
    assert "{program} (programperioden)" in page
    _save_texts(client, program, INVITATION, "Invitasjon: {samling} – {tid}", "Velkommen til {region}.")

    other = client.post(
        reverse("reminders:occasion_setting_edit", args=[program.pk, APPLICATION_DEADLINE]),
        {"offsets_days": "14", "subject_override": "Husk {samling}"},
    )
    assert other.status_code == 200
    (message,) = other.context["form"].errors["subject_override"]
    assert message.startswith("Ukjent felt: {samling}. Feltene du kan bruke her: {navn}, {frist}, {program}")
    assert "{region}" in message
    assert "{samling}" not in message.split(":", 2)[2]
    assert "{samling}" not in other.context["form"].fields["subject_override"].help_text


def test_the_invitations_preview_fills_in_the_gathering(client, leader):
    r = make_region()
    program = r.region.program
    gathering = services.gathering_schedule(
        actor=leader, regional_program=r.region, data=_data(GatheringFactory.build())
    )
    client.force_login(leader)
    url = reverse("reminders:occasion_setting_edit", args=[program.pk, INVITATION])
    response = client.post(
        url,
        {
            "subject_override": "Invitasjon: {samling}",
            "body_override": "Velkommen til {region}.",
            "preview": "1",
        },
    )
    assert response.status_code == 200
    preview = response.context["preview"]
    assert preview.subject == f"Invitasjon: {gathering.display_title}"
    assert f"Velkommen til {r.region.name}." in preview.body
    frame = client.get(response.context["preview_mail_url"])
    assert f"Velkommen til {r.region.name}." in frame.content.decode()
