"""The jury member's review page says what the 1–5 scale means, and that the municipality may still change the
application until its deadline."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from core.dates import datetime_display
from tests.applications.factories import (
    ApplicationFactory,
    JuryMemberFactory,
    ReviewFactory,
    SelectionCriterionFactory,
)

pytestmark = pytest.mark.django_db


def _review_page(client, region, *, deadline):
    rp, _b, municipalities = region
    rp.application_deadline = deadline
    rp.save(update_fields=["application_deadline"])
    criterion = SelectionCriterionFactory(
        regional_program=rp, name="Forankring", description="Hvor godt forankret"
    )
    application = ApplicationFactory(regional_program=rp, municipality=municipalities[0], submitted=True)
    review = ReviewFactory(
        application=application, jury_member=JuryMemberFactory(regional_program=rp), no_conflict=True
    )
    client.force_login(review.jury_member.user)
    return client.get(reverse("applications:review", args=[review.pk])).content.decode(), criterion


def test_the_scale_is_explained_and_named_by_every_score_field(client, region):
    page, criterion = _review_page(client, region, deadline=timezone.now() + dt.timedelta(days=3))
    legend = re.search(r'<p id="score-scale"[^>]*>([^<]*)</p>', page)
    assert "1 = svakt" in legend.group(1)
    assert "5 = svært godt" in legend.group(1)
    fieldset = re.search(
        r"<fieldset[^>]*>", page[page.find(f'id="div_id_criterion_{criterion.pk}"') :]
    ).group(0)
    assert f'aria-describedby="score-scale id_criterion_{criterion.pk}_helptext"' in fieldset


def test_before_the_deadline_the_page_says_the_municipality_may_still_change_it(client, region):
    deadline = timezone.now() + dt.timedelta(days=3)
    page, _criterion = _review_page(client, region, deadline=deadline)
    assert f"Søknaden kan fortsatt endres av kommunen fram til fristen {datetime_display(deadline)}." in page


def test_after_the_deadline_no_such_notice(client, region):
    page, _criterion = _review_page(client, region, deadline=timezone.now() - dt.timedelta(hours=1))
    assert "kan fortsatt endres" not in page
    assert 'id="score-scale"' in page
