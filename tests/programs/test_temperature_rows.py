"""The temperaturmåling's branch rows are written in Python (programs_tags.temperature_rows, issue 14): the same
bytes as the template loop they replaced, kept here, for every kind of row and in both languages."""

import datetime as dt

import pytest
from django.template import engines
from django.test import RequestFactory
from django.utils import timezone, translation

from programs import selectors
from programs.models import DialogueMeetingStatus, InterestLevel
from programs.templatetags.programs_tags import temperature_rows
from tests.factories import (
    CountyBranchFactory,
    CountyFactory,
    MunicipalityFactory,
    ProgramFactory,
    UserFactory,
)
from tests.programs.factories import (
    AnnualMeetingDecisionFactory,
    DialogueMeetingFactory,
    InterestDeadlineExtensionFactory,
    InterestRegistrationFactory,
)

pytestmark = pytest.mark.django_db

# The loop of templates/programs/temperature.html before it was written in Python, as it stood.
OLD_ROWS = """{% load i18n %}    {% for row in overview.rows %}
      <tr data-branch="{{ row.branch.short_name }}" data-status="{{ row.status }}">
        <th scope="row"><a href="{% url 'programs:interest_registration' pk=program.pk branch_id=row.branch.pk %}">{{ row.branch.short_name }}</a>
          <div class="small text-body-secondary fw-normal">{% for c in row.branch.counties.all %}{{ c.name }}{% if not forloop.last %}, {% endif %}{% endfor %}</div></th>
        <td><span class="badge status-{{ row.status }}">{{ row.status_label }}</span></td>
        <td>{% if row.registration %}{% for m in row.registration.municipalities.all %}{{ m.name }}{% if not forloop.last %}, {% endif %}{% empty %}–{% endfor %}{% else %}–{% endif %}</td>
        <td>{% for m in row.dialogue_meetings %}{% if m.status == "scheduled" %}{% blocktranslate with when=m.starts_at|date:"DATETIME_FORMAT" %}Avtalt {{ when }}{% endblocktranslate %}{% elif m.status == "requested" %}{% translate "Ønsket" %}{% else %}{% translate "Avlyst" %}{% endif %}{% if not forloop.last %}<br>{% endif %}{% empty %}{% if row.registration.dialogue_meeting_wanted %}{% translate "Ønsket" %}{% else %}–{% endif %}{% endfor %}</td>
        <td>{% if row.registration %}{{ row.registration.updated_at|date:"DATETIME_FORMAT" }}<br><span class="small">{{ row.registration.updated_by.get_full_name|default:"–" }}</span>{% else %}–{% endif %}</td>
        <td>{% if row.extended %}<strong>{{ row.deadline|date:"DATETIME_FORMAT" }}</strong> <span class="small">({% translate "forlenget" %})</span>{% else %}{{ row.deadline|date:"DATETIME_FORMAT" }}{% endif %}
          <div><a class="small" href="{% url 'programs:deadline_extend' pk=program.pk branch_id=row.branch.pk %}">{% translate "Gi ny frist" %}<span class="visually-hidden"> – {{ row.branch.short_name }}</span></a></div></td>
        <td>{% if row.decision %}{% if row.decision.participates %}{% translate "Deltar" %}{% else %}{% translate "Deltar ikke" %}{% endif %}<br><span class="small">{{ row.decision.meeting_date|date:"DATE_FORMAT" }}</span>{% else %}–{% endif %}</td>
      </tr>
    {% empty %}
      <tr><td colspan="7">{% translate "Ingen fylkesavdelinger passer filteret." %}</td></tr>
    {% endfor %}
"""  # noqa: E501


def _both(overview, program) -> tuple[str, str]:
    request = RequestFactory().get("/")
    old = engines["django"].from_string(OLD_ROWS).render({"overview": overview, "program": program}, request)
    new = engines["django"].from_string(
        "    {% load programs_tags %}{% temperature_rows overview program %}\n"
    )
    return old, new.render({"overview": overview, "program": program}, request)


@pytest.fixture
def program():
    """Branches of every kind: answered with and without municipalities, by someone or no one, unanswered;
    meetings requested, scheduled and cancelled; an extension; decisions both ways; names to escape."""
    program = ProgramFactory()
    now = timezone.now()
    branches = [
        CountyBranchFactory(name=f"Norsk kulturskoleråd {name}")
        for name in ("Agder & <Telemark>", "Innlandet", "Nordland", "Rogaland", "Vestland")
    ]
    for i, branch in enumerate(branches):
        county = CountyFactory(branch=branch, name=f"Fylke «{i}» & co")
        if i == 0:
            CountyFactory(branch=branch)  # a branch over two counties
        members = [MunicipalityFactory(county=county, name=f"Kommune {i}-{j} <b>") for j in range(i)]
        if i == 4:
            continue  # has not answered
        InterestRegistrationFactory(
            program=program,
            branch=branch,
            level=[InterestLevel.YES, InterestLevel.MAYBE, InterestLevel.NO, InterestLevel.YES][i],
            municipalities=members,
            updated_by=UserFactory(full_name="Styre & Stell") if i % 2 else None,
            dialogue_meeting_wanted=i == 3,
        )
    InterestDeadlineExtensionFactory(program=program, branch=branches[1], deadline=now + dt.timedelta(days=9))
    DialogueMeetingFactory(program=program, branch=branches[0], scheduled=True)
    DialogueMeetingFactory(program=program, branch=branches[0], status=DialogueMeetingStatus.CANCELLED)
    DialogueMeetingFactory(program=program, branch=branches[2])
    DialogueMeetingFactory(
        program=program, branch=branches[4], scheduled=True, starts_at=now - dt.timedelta(days=2)
    )
    AnnualMeetingDecisionFactory(program=program, branch=branches[0])
    AnnualMeetingDecisionFactory(program=program, branch=branches[2], participates=False)
    return program


@pytest.mark.parametrize("language", ["nb", "en"])
def test_rows_are_the_bytes_of_the_template_loop(program, language):
    with translation.override(language):
        overview = selectors.temperature_overview(program=program)
        old, new = _both(overview, program)
    assert new == old
    assert old.count("<tr ") == 5
    for text in ("Agder &amp; &lt;Telemark&gt;", "Kommune 2-1 &lt;b&gt;", "Styre &amp; Stell", "<br>"):
        assert text in new


def test_filtered_to_nothing_is_the_template_loop_s_empty_row(program):
    overview = selectors.temperature_overview(program=program, q="finnes ikke")
    old, new = _both(overview, program)
    assert new == old
    assert "Ingen fylkesavdelinger passer filteret." in new
    assert str(temperature_rows(overview, program)) in new
