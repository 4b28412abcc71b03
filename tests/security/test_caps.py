"""Caps on counts and sizes: a refusal in Norwegian, nothing stored past the cap, big bodies refused unread."""

import pytest
from django.urls import reverse

from applications.models import ApplicationGroupMember
from programs.models import DialogueMeeting
from programs.services import MAX_OPEN_DIALOGUE_REQUESTS
from programs.services.groups import MAX_GROUP_MEMBERS
from tests.applications.factories import ApplicationFactory, GroupMemberFactory
from tests.factories import UserFactory, municipal_contact

pytestmark = pytest.mark.django_db


def test_a_proposed_group_stops_at_the_cap(client, region):
    rp, _branch, municipalities = region
    application = ApplicationFactory(regional_program=rp, municipality=municipalities[0])
    GroupMemberFactory.create_batch(MAX_GROUP_MEMBERS, application=application)
    client.force_login(municipal_contact(municipalities[0]))
    response = client.post(
        reverse("applications:members", args=[application.pk]),
        {"name": "Én for mye", "email": "en@example.org", "sector": "kulturskole"},
    )
    assert response.status_code == 200
    assert f"En kommunegruppe kan ha høyst {MAX_GROUP_MEMBERS} medlemmer." in response.content.decode()
    assert ApplicationGroupMember.objects.filter(application=application).count() == MAX_GROUP_MEMBERS


def test_a_branch_has_at_most_a_few_open_dialogue_requests(client, branch_setup):
    program = branch_setup["program"]
    client.force_login(branch_setup["board"])
    url = reverse("programs:dialogue_meeting_request", kwargs={"pk": program.pk})
    for _ in range(MAX_OPEN_DIALOGUE_REQUESTS):
        assert client.post(url, {"topic": "Forankring", "suggested_times": "Tirsdag"}).status_code == 302
    response = client.post(url, {"topic": "Forankring", "suggested_times": "Tirsdag"})
    assert response.status_code == 200
    assert "ubesvarte ønsker om dialogmøte" in response.content.decode()
    assert DialogueMeeting.objects.filter(program=program).count() == MAX_OPEN_DIALOGUE_REQUESTS


def test_an_oversized_body_is_refused_before_it_is_read(client, settings):
    settings.MAX_REQUEST_BODY_BYTES = 1024 * 1024
    client.force_login(UserFactory(leadership=True))

    class Unreadable:
        """A body that fails the test if anyone reads it."""

        def read(self, *args):
            raise AssertionError("the body was read")

        readline = read

    response = client.generic(
        "POST",
        "/personer/inviter/",
        data=b"",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(30 * 1024 * 1024),
        **{"wsgi.input": Unreadable()},
    )
    assert response.status_code == 413
    assert "For stor forespørsel" in response.content.decode()
    assert "større enn 1 MB" in response.content.decode()


def test_a_body_within_the_limit_goes_through(client, settings):
    settings.MAX_REQUEST_BODY_BYTES = 1024 * 1024
    client.force_login(UserFactory(leadership=True))
    response = client.post("/personer/inviter/", {"email": "x" * 1000})
    assert response.status_code == 200
