"""Every list page shows at most one page of rows, whatever the data holds, and offers the next page.

A new list (participants, sessions, …) belongs in LISTS: a path, who opens it, and its page size.
"""

import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from accounts.models import Invitation, Role, User
from applications.models import Application, ApplicationStatus, JuryMember, Review
from audit.models import AuditEntry
from municipalities.models import Municipality
from reminders.models import Delivery
from tests.factories import (
    CountyBranchFactory,
    CountyFactory,
    RegionalProgramFactory,
    UserFactory,
    board_member,
)

pytestmark = pytest.mark.django_db

ROWS = 60  # more than the largest page

# (path, who opens it, page size); {ct} and {obj} are the content type and id of an object with a long log.
LISTS = [
    ("/soknader/", "leader", 50),
    ("/soknader/", "board", 50),
    ("/soknader/jury/", "jury", 50),
    ("/logg/", "leader", 50),
    ("/logg/objekt/{ct}/{obj}/", "leader", 50),
    ("/personer/", "leader", 25),
    ("/personer/invitasjoner/", "leader", 25),
    ("/paminnelser/", "leader", 50),
    ("/kommuner/", "leader", 50),
]


@pytest.fixture
def world():
    branch = CountyBranchFactory()
    county = CountyFactory(branch=branch)
    municipalities = Municipality.objects.bulk_create(
        Municipality(number=f"9{i:03d}", name=f"Kommune {i:03d}", county=county) for i in range(ROWS)
    )
    rp = RegionalProgramFactory(branches=[branch])
    applications = Application.objects.bulk_create(
        Application(
            regional_program=rp,
            municipality=m,
            status=ApplicationStatus.SUBMITTED,
            submitted_at=timezone.now(),
            motivation="Lang tekst. " * 50,
        )
        for m in municipalities
    )
    juror = UserFactory(jury=True)
    member = JuryMember.objects.create(regional_program=rp, user=juror, email=juror.email)
    Review.objects.bulk_create(Review(application=a, jury_member=member) for a in applications)
    leader = UserFactory(leadership=True)
    people = User.objects.bulk_create(
        User(email=f"mange{i}@example.org", full_name=f"Person {i}") for i in range(ROWS)
    )
    Invitation.objects.bulk_create(
        Invitation(
            email=f"invitert{i}@example.org",
            role=Role.ADVISOR,
            token_hash=f"hash-{i}",
            invited_by=leader,
            expires_at=timezone.now() + timezone.timedelta(days=7),
        )
        for i in range(ROWS)
    )
    target = people[0]
    user_type = ContentType.objects.get_for_model(User)
    AuditEntry.objects.bulk_create(
        AuditEntry(
            actor=leader, action="accounts.user.changed", content_type=user_type, object_id=str(target.pk)
        )
        for _ in range(ROWS)
    )
    Delivery.objects.bulk_create(
        Delivery(
            occasion="applications.application_receipt",
            key=f"liste:{i}",
            recipient_email=f"mottaker{i}@example.org",
            planned_at=timezone.now() + timezone.timedelta(days=1),
            next_attempt_at=timezone.now() + timezone.timedelta(days=1),
            template="applications/email/application_receipt",
        )
        for i in range(ROWS)
    )
    return {
        "users": {"leader": leader, "board": board_member(branch), "jury": juror},
        "ct": user_type.pk,
        "obj": target.pk,
    }


def _table_rows(html: str) -> int:
    return sum(body.count("<tr") for body in re.findall(r"<tbody.*?</tbody>", html, flags=re.S))


@pytest.mark.parametrize(("path", "who", "page_size"), LISTS)
def test_every_list_shows_one_page_and_links_to_the_next(client, world, path, who, page_size):
    client.force_login(world["users"][who])
    path = path.format(ct=world["ct"], obj=world["obj"])
    first = client.get(path)
    assert first.status_code == 200
    html = first.content.decode()
    assert 0 < _table_rows(html) <= page_size
    assert "side=2" in html  # the pager offers the rest
    second = client.get(path, {"side": 2})
    assert 0 < _table_rows(second.content.decode()) <= page_size
