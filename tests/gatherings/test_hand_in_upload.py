"""«Last opp» on the hand-in page is a button of the hand-in form: what was typed is saved with the file."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from gatherings.models import GatheringFile, HandIn
from tests.applications.factories import pdf_bytes
from tests.factories import municipal_contact
from tests.gatherings.factories import GatheringFactory, make_region

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(client, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    r = make_region(members=2)
    gathering = GatheringFactory(
        regional_program=r.region, starts_at=timezone.now() - dt.timedelta(days=3), registration_deadline=None
    )
    group = r.groups[0]
    client.force_login(municipal_contact(group.municipality))
    return reverse("gatherings:hand_in", args=[gathering.pk, group.pk])


def _pdf(name="plan.pdf"):
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


def test_text_typed_and_then_a_file_uploaded_keeps_the_text(client, page):
    form = client.get(page).content.decode()
    # the file field and «Last opp» belong to the hand-in form, which sends files
    assert 'id="hand-in-form" enctype="multipart/form-data"' in form
    assert 'name="file" id="id_hand_in_file" form="hand-in-form"' in form
    assert 'name="upload" value="1" form="hand-in-form"' in form

    typed = {"done": "Vi møttes", "learned": "", "next_steps": "Lurt – å møtes oftere", "version": "1"}
    response = client.post(page, {**typed, "file": _pdf(), "upload": "1"}, follow=True)

    shown = [str(m) for m in response.context["messages"]]
    assert shown == ["Teksten er lagret, og filen er lagt ved."]
    after = response.content.decode()
    assert "Lurt – å møtes oftere" in after
    assert "plan.pdf" in after
    stored = HandIn.objects.get()
    assert (stored.done, stored.next_steps) == ("Vi møttes", "Lurt – å møtes oftere")
    assert not stored.is_submitted  # uploading never hands in
    assert [f.original_name for f in stored.files.all()] == ["plan.pdf"]


def test_upload_without_a_file_still_saves_the_text_and_says_no_file_was_attached(client, page):
    response = client.post(page, {"next_steps": "Lurt", "version": "1", "upload": "1"}, follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "Teksten er lagret, men ingen fil er lagt ved: velg en fil."
    ]
    assert HandIn.objects.get().next_steps == "Lurt"


def test_upload_with_a_text_too_long_attaches_the_file_and_keeps_the_text_in_the_form(client, page):
    long_text = "x" * 20001
    response = client.post(
        page, {"done": long_text, "next_steps": "Lurt", "version": "1", "file": _pdf(), "upload": "1"}
    )
    assert response.status_code == 200
    assert response.context["form"]["done"].value() == long_text
    shown = [str(m) for m in response.context["messages"]]
    assert "Filen er lagt ved." in shown
    stored = HandIn.objects.get()
    assert stored.next_steps == "Lurt"
    assert stored.files.count() == 1


def test_upload_on_a_delivered_hand_in_keeps_it_delivered(client, page):
    data = {"done": "a", "learned": "b", "next_steps": "c", "version": "1"}
    client.post(page, {**data, "submit": "1"})
    assert HandIn.objects.get().is_submitted
    client.post(page, {**data, "done": "rettet", "version": "2", "file": _pdf(), "upload": "1"})
    stored = HandIn.objects.get()
    assert (stored.done, stored.is_submitted, stored.files.count()) == ("rettet", True, 1)


def test_a_text_file_named_pdf_is_refused_as_preparation_material_and_as_a_hand_in_attachment(
    client, page, leader
):
    """The content is checked, not only the name (as for application attachments: `core.uploads`)."""
    fake = b"Dette er bare tekst, ikke en PDF.\n"
    response = client.post(
        page,
        {"next_steps": "Lurt", "version": "1", "file": SimpleUploadedFile("fake.pdf", fake), "upload": "1"},
        follow=True,
    )
    assert "Innholdet i filen stemmer ikke med filtypen .pdf." in response.content.decode()
    assert not HandIn.objects.get().files.exists()

    gathering_id = int(page.split("/")[2])
    client.force_login(leader)
    url = reverse("gatherings:file_add", args=[gathering_id])
    response = client.post(url, {"file": SimpleUploadedFile("fake.pdf", fake)}, follow=True)
    assert "Innholdet i filen stemmer ikke med filtypen .pdf." in response.content.decode()
    assert not GatheringFile.objects.exists()
    # a real PDF and a real text file still go in
    for upload in (_pdf("program.pdf"), SimpleUploadedFile("notat.txt", "Husk å ta med plan.".encode())):
        client.post(url, {"file": upload})
    assert sorted(GatheringFile.objects.values_list("original_name", flat=True)) == [
        "notat.txt",
        "program.pdf",
    ]
