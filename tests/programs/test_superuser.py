"""A superuser without a role gets none of the programme pages; a superuser leader gets exactly what a
plain leader gets: no board member's forms (the annual-meeting form, the interest registration form)."""

from django.urls import reverse

from tests.factories import CountyBranchFactory, ProgramFactory
from tests.programs.factories import DialogueMeetingFactory, InterestRegistrationFactory
from tests.superuser import (
    assert_superuser_leader_sees_what_a_leader_sees,
    assert_superuser_without_roles_gets_404,
)


def _objects():
    program = ProgramFactory()
    branch = CountyBranchFactory()
    InterestRegistrationFactory(program=program, branch=branch)
    meeting = DialogueMeetingFactory(program=program, branch=branch, scheduled=True)
    return program, branch, meeting


def _pages(program, branch, meeting) -> dict[str, str]:
    p, b = program.pk, branch.pk
    return {
        "list": reverse("programs:program_list"),
        "create": reverse("programs:program_create"),
        "detail": reverse("programs:program_detail", args=[p]),
        "update": reverse("programs:program_update", args=[p]),
        "interest": reverse("programs:interest_registration", args=[p, b]),
        "extend": reverse("programs:deadline_extend", args=[p, b]),
        "annual_meeting": reverse("programs:annual_meeting_decision", args=[p, b]),
        "temperature": reverse("programs:temperature", args=[p]),
        "export": reverse("programs:temperature_export", args=[p, "csv"]),
        "meetings": reverse("programs:dialogue_meeting_list", args=[p]),
        "meeting_request": reverse("programs:dialogue_meeting_request", args=[p]),
        "meeting_schedule": reverse("programs:dialogue_meeting_schedule", args=[meeting.pk]),
        "meeting_calendar": reverse("programs:dialogue_meeting_calendar", args=[meeting.pk]),
        "regional": reverse("programs:regional_program_list", args=[p]),
    }


def test_superuser_without_roles_gets_404(client, db):
    assert_superuser_without_roles_gets_404(client, list(_pages(*_objects()).values()))


def test_superuser_leader_gets_exactly_what_a_leader_gets(client, db):
    pages = _pages(*_objects())
    seen = assert_superuser_leader_sees_what_a_leader_sees(client, list(pages.values()))
    # The board's own forms are not leadership's, superuser or not.
    assert seen[pages["annual_meeting"]][0] == 404
    interest_status, _links, interest_fields = seen[pages["interest"]]
    assert interest_status == 200
    assert "contact_name" not in interest_fields
    assert {status for url, (status, _l, _f) in seen.items() if url != pages["annual_meeting"]} == {200}
