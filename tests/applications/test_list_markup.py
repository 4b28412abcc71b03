"""The application list's and the ranking's long parts are written in Python (applications_tags): each must give
the markup, byte for byte, of the template loop it replaced (kept here as it was), with the escaping, plurals,
empty values and both languages."""

import datetime as dt

import pytest
from django.template import engines
from django.test import RequestFactory
from django.utils import timezone, translation
from django.utils.translation import gettext

from applications import selectors
from applications.models import Application, ApplicationDeadlineExtension, ApplicationStatus
from applications.templatetags.applications_tags import (
    application_rows,
    program_options,
    ranking_rows,
    selection_program_items,
    started_links,
)
from core.pagination import paginate_rows
from tests.applications.factories import (
    ApplicationFactory,
    GroupMemberFactory,
    JuryMemberFactory,
    ReviewFactory,
    SelectionCriterionFactory,
    open_region,
    submitted_review,
)
from tests.factories import MunicipalityFactory, ProgramFactory, UserFactory

pytestmark = pytest.mark.django_db

LOAD = "{% load i18n l10n applications_tags core_tags %}"

# The loops as the templates had them before they were written in Python.
OLD_ROWS = """{% for a in rows %}
    <tr>
      <th scope="row"><a href="{{ a.pk|id_url:'applications:detail' }}">{{ a.municipality.name }}</a></th>
      <td>{{ a.regional_program.name }}</td>
      <td>{{ a.status|status_badge }}{% if a.edited_after_submit %} <span class="small">({% translate "endret etter innsending" %})</span>{% endif %}</td>
      <td>{{ a.effective_deadline|moment|default:"–" }}</td>
      <td>{{ a.member_count }}</td>
      <td>{{ a.recommendation_priority|default:"–" }}</td>
      <td>{{ a.updated_at|moment }}</td>
    </tr>
  {% endfor %}"""
OLD_OPTIONS = """{% for p in programs %}<option value="{{ p.pk }}"{% if filter_program and filter_program.pk == p.pk %} selected{% endif %}>{{ p.name }} ({{ p.edition_name }})</option>{% endfor %}"""
OLD_SELECTION = """{% for rp in selection_programs %}
    <li><a href="{{ rp.pk|id_url:'applications:selection' }}">{{ rp.name }}</a> – {{ rp.edition_name }}: {% blocktranslate count n=rp.application_count %}{{ n }} innsendt søknad{% plural %}{{ n }} innsendte søknader{% endblocktranslate %}{% if rp.application_deadline %}, {% translate "frist" %} {{ rp.application_deadline|moment }}{% endif %}</li>
  {% endfor %}"""
OLD_STARTED = """{% for a in mine %}<a href="{{ a.pk|id_url:'applications:detail' }}">{{ a.municipality.name }}</a> ({{ a.status|status_label }}){% if not forloop.last %}, {% endif %}{% endfor %}"""
OLD_RANKING = """{% translate "Prioritet" as priority_label %}{% translate "Vedtak" as decide_label %}{% localize off %}{% for row in rows %}{% with a=row.application %}
    <tr data-testid="rank-row">
      <td>{{ row.rank|default:"–" }}</td>
      <th scope="row"><a href="{{ row.detail_url }}">{{ a.municipality.name }}</a></th>
      <td>{{ row.score_text }}</td>
      <td>{{ row.spread_text }}</td>
      {% for value in row.criterion_cells %}<td>{{ value }}</td>{% endfor %}
      <td>{{ row.review_count }} / {{ row.assigned_count }}{% if row.conflict_count %} <span class="small">({% blocktranslate count n=row.conflict_count %}{{ n }} inhabil{% plural %}{{ n }} inhabile{% endblocktranslate %})</span>{% endif %}</td>
      <td>{% if a.recommendation_priority %}{{ priority_label }} {{ a.recommendation_priority }}{% endif %}{% if a.recommendation %}<span class="d-block small">{{ a.recommendation|truncatewords:20 }}</span>{% endif %}</td>
      <td>{{ a.status|status_badge }}</td>
      <td><a class="btn btn-sm btn-outline-primary" href="{{ row.decide_url }}">{{ decide_label }}<span class="visually-hidden"> {{ a.municipality.name }}</span></a></td>
    </tr>
  {% endwith %}{% endfor %}{% endlocalize %}"""


def _old(source: str, **context) -> str:
    return engines["django"].from_string(LOAD + source).render(context)


@pytest.fixture
def world():
    """Two regions in two editions, names that need escaping, every kind of cell: an extended deadline, no
    deadline, edits after submission, a priority or none, group members, one and several applications."""
    edition = ProgramFactory(name='Periode «A» & "B"')
    rp, _branch, county, municipalities = open_region(program=edition, name="Region <Øst> & Vest")
    no_deadline, *_rest = open_region(application_deadline=None, name="Region Nord")
    first = ApplicationFactory(
        regional_program=rp,
        municipality=MunicipalityFactory(county=county, name="Å<b>s & Co"),
        submitted=True,
        edited_after_submit=True,
        recommendation_priority=2,
    )
    second = ApplicationFactory(regional_program=rp, municipality=municipalities[0])
    ApplicationDeadlineExtension.objects.create(
        regional_program=rp,
        municipality=municipalities[0],
        deadline=timezone.now() + dt.timedelta(days=40),
        granted_by=UserFactory(leadership=True),
    )
    third = ApplicationFactory(
        regional_program=no_deadline, municipality=municipalities[1], status=ApplicationStatus.ACCEPTED
    )
    for _ in range(3):
        GroupMemberFactory(application=second)
    return rp, no_deadline, [first, second, third]


@pytest.mark.parametrize("language", ["nb", "en"])
def test_the_list_rows_are_the_template_rows(world, language):
    leader = UserFactory(leadership=True)
    applications = selectors.application_list(user=leader)
    objects = list(applications)  # what the template read
    rows = paginate_rows(RequestFactory().get("/"), applications, values=selectors.LIST_VALUES).object_list
    assert [row["pk"] for row in rows] == [a.pk for a in objects]
    assert len(rows) == 3
    with translation.override(language):
        new = application_rows(rows)
        assert new == _old(OLD_ROWS, rows=objects)
        assert f'<span class="small">({gettext("endret etter innsending")})</span>' in new
    assert "Å&lt;b&gt;s &amp; Co" in new
    assert "<td>–</td>" in new  # no deadline, no priority
    assert "<td>3</td>" in new  # the group's members


@pytest.mark.parametrize("language", ["nb", "en"])
def test_the_filter_options_and_selection_items_are_the_template_ones(world, language):
    rp, _no_deadline, applications = world
    leader = UserFactory(leadership=True)
    programs, selection = selectors.application_list_programs(user=leader)
    assert {p.pk for p in programs} == {a.regional_program_id for a in applications}
    with translation.override(language):
        for chosen in (None, programs[0], programs[-1]):
            assert program_options(programs, chosen) == _old(
                OLD_OPTIONS, programs=programs, filter_program=chosen
            )
        items = selection_program_items(selection)
        assert items == _old(OLD_SELECTION, selection_programs=selection)
    counts = {p.pk: p.application_count for p in selection}
    assert counts[rp.pk] == 1  # sent in; the draft is not counted
    assert "Region &lt;Øst&gt; &amp; Vest" in items
    assert "Periode «A» &amp; &quot;B&quot;" in items


def test_the_started_links_are_the_template_ones(world):
    rp, _no_deadline, applications = world
    mine = list(Application.objects.filter(regional_program=rp).select_related("municipality").order_by("pk"))
    for shown in (mine, mine[:1], []):
        assert started_links(shown) == _old(OLD_STARTED, mine=shown)


def _old_ranking_cells(rows, criteria):
    """What the ranking view set on each row for the old template (its own words, in the page's language)."""
    from django.urls import reverse
    from django.utils.formats import get_format

    separator = get_format("DECIMAL_SEPARATOR")

    def text(value):
        return "–" if value is None else str(value).replace(".", separator)

    for row in rows:
        row.detail_url = reverse("applications:detail", args=[row.application.pk])
        row.decide_url = reverse("applications:decide", args=[row.application.pk])
        row.score_text, row.spread_text = text(row.score), text(row.spread)
        row.criterion_cells = [text(row.criterion_means.get(c.pk)) for c in criteria]


@pytest.mark.parametrize("language", ["nb", "en"])
def test_the_ranking_rows_are_the_template_rows(language):
    rp, _branch, county, municipalities = open_region(municipalities=4)
    criteria = [SelectionCriterionFactory(regional_program=rp, weight=w) for w in (1, 2)]
    members = [JuryMemberFactory(regional_program=rp) for _ in range(3)]
    scored = ApplicationFactory(
        regional_program=rp,
        municipality=MunicipalityFactory(county=county, name="<Kommune> & co"),
        submitted=True,
        recommendation="Et <sterkt> forslag " + "ord " * 30,
        recommendation_priority=1,
    )
    tied = ApplicationFactory(regional_program=rp, municipality=municipalities[0], submitted=True)
    for application in (scored, tied):
        submitted_review(application, members[0], {criteria[0]: 3, criteria[1]: 4})
        submitted_review(application, members[1], {criteria[0]: 5, criteria[1]: 2})
    ReviewFactory(application=scored, jury_member=members[2], has_conflict=True, conflict_note="Nabo")
    conflicted = ApplicationFactory(regional_program=rp, municipality=municipalities[1], submitted=True)
    for member in members[:2]:
        ReviewFactory(application=conflicted, jury_member=member, has_conflict=True)
    ApplicationFactory(regional_program=rp, municipality=municipalities[2], submitted=True)  # not reviewed
    rows = selectors.ranked_applications(regional_program=rp, texts=False)
    assert [row.rank for row in rows] == [1, 1, None, None]
    with translation.override(language):
        new = ranking_rows(rows, criteria)
        _old_ranking_cells(rows, criteria)
        assert new == _old(OLD_RANKING, rows=rows)
    assert "&lt;Kommune&gt; &amp; co" in new
    assert "Et &lt;sterkt&gt; forslag" in new
    assert "…" in new  # the recommendation cut after 20 words
