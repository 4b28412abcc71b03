"""Back after asking for a dialogue meeting and sending again makes no second request and tells leadership once."""

import pytest
from django.core import mail
from django.urls import reverse

from programs.models import DialogueMeeting
from tests.factories import CountyBranchFactory, ProgramFactory, board_member
from tests.once import CreateForm, check_creates_once

pytestmark = pytest.mark.django_db


def test_a_dialogue_meeting_is_requested_once(client, django_capture_on_commit_callbacks):
    branch = CountyBranchFactory(name="Norsk kulturskoleråd Vestland")
    program = ProgramFactory()
    data = {"topic": "Forankring i kommunene", "suggested_times": "uke 40"}
    check_creates_once(
        client,
        django_capture_on_commit_callbacks,
        CreateForm(
            url=reverse("programs:dialogue_meeting_request", args=[program.pk]),
            user=board_member(branch),
            data=data,
            invalid={**data, "topic": ""},
            made=DialogueMeeting.objects.count,
            sent=lambda: len(mail.outbox),
            other_user=board_member(branch),
        ),
    )
    assert DialogueMeeting.objects.count() == 2  # the second board member's own request
