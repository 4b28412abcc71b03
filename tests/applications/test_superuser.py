"""A superuser without a role gets none of the application pages; a superuser leader gets exactly what a
plain leader gets (no municipality's edit forms, no board member's recommendation)."""

import pytest
from django.urls import reverse

from tests.applications.factories import ApplicationFactory, ReviewFactory, SelectionCriterionFactory
from tests.superuser import (
    assert_superuser_leader_sees_what_a_leader_sees,
    assert_superuser_without_roles_gets_404,
)


@pytest.fixture
def pages(region):
    rp, _branch, municipalities = region
    application = ApplicationFactory(regional_program=rp, municipality=municipalities[0], submitted=True)
    criterion = SelectionCriterionFactory(regional_program=rp)
    review = ReviewFactory(application=application, jury_member__regional_program=rp)
    r, a = rp.pk, application.pk
    return {
        "list": reverse("applications:list"),
        "jury": reverse("applications:jury"),
        "review": reverse("applications:review", args=[review.pk]),
        "selection": reverse("applications:selection", args=[r]),
        "window": reverse("applications:window", args=[r]),
        "criterion": reverse("applications:criterion_edit", args=[r, criterion.pk]),
        "extension": reverse("applications:extension_create", args=[r]),
        "jury_add": reverse("applications:jury_add", args=[r]),
        "jury_assign": reverse("applications:jury_assign", args=[r, review.jury_member.pk]),
        "ranking": reverse("applications:ranking", args=[r]),
        "letter": reverse("applications:letter_template", args=[r, "accepted"]),
        "export": reverse("applications:export", args=[r, "csv"]),
        "print_bundle": reverse("applications:print_bundle", args=[r]),
        "detail": reverse("applications:detail", args=[a]),
        "print": reverse("applications:print", args=[a]),
        "edit": reverse("applications:edit", args=[a]),
        "members": reverse("applications:members", args=[a]),
        "attachments": reverse("applications:attachments", args=[a]),
        "recommend": reverse("applications:recommend", args=[a]),
        "decide": reverse("applications:decide", args=[a]),
    }


def test_superuser_without_roles_gets_404(client, pages):
    assert_superuser_without_roles_gets_404(client, list(pages.values()))


def test_superuser_leader_gets_exactly_what_a_leader_gets(client, pages):
    seen = assert_superuser_leader_sees_what_a_leader_sees(client, list(pages.values()))
    not_leaderships = {"jury", "review", "edit", "members", "attachments", "recommend"}
    assert {name: seen[url][0] for name, url in pages.items()} == {
        name: 404 if name in not_leaderships else 200 for name in pages
    }
