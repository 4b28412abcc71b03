"""Every action code the code base writes has a readable label, and no stored text can break the log."""

import ast
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.utils.html import escape

from audit import registry
from audit.models import AuditEntry
from audit.services import audit_log
from tests.factories import MunicipalityFactory, UserFactory

ROOT = Path(settings.BASE_DIR)
OUR_APPS = sorted(c.label for c in apps.get_app_configs() if Path(c.path).parent == ROOT)
CODE = re.compile(rf"^({'|'.join(OUR_APPS)})\.[a-z_]+\.[a-z_]+$")


def _codes_in_source() -> dict[str, str]:
    """Every string constant in app code that has the shape of an action code, with where it is."""
    found = {}
    for app in OUR_APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Constant) and isinstance(node.value, str) and CODE.match(node.value):
                    found.setdefault(node.value, f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_the_scan_finds_the_codes_services_write():
    codes = _codes_in_source()
    # Written through variables and conditional expressions, not only as audit_log(action="...").
    assert "applications.group_member.updated" in codes
    assert "reminders.occasion_setting.resumed" in codes
    assert "accounts.role.changed" in codes
    assert len(codes) > 60


def test_every_action_code_in_the_source_has_a_label():
    missing = {code: where for code, where in _codes_in_source().items() if registry.action_get(code) is None}
    assert missing == {}


def test_every_label_is_readable_norwegian_not_the_code():
    for code in registry.action_codes():
        label = registry.action_label(code)
        assert label != code
        assert "." not in label, code


def test_every_registered_area_is_an_app_of_ours():
    prefixes = {area.prefix for area in registry.areas()}
    assert {"accounts.", "municipalities.", "programs.", "applications.", "reminders."} <= prefixes
    assert all(p[:-1] in OUR_APPS for p in prefixes)


def test_a_code_outside_the_apps_prefix_is_refused():
    with pytest.raises(ValueError, match="must start with"):
        registry.register("gatherings", area="Samlinger", actions={"applications.x.y": "X"})


@pytest.fixture
def leader(client):
    user = UserFactory(full_name="Liv Leder", leadership=True)
    client.force_login(user)
    return user


@pytest.mark.django_db
@pytest.mark.parametrize(
    "title", ["2025-02-30", "2025-02-28", "2025-13-45 25:61", "[1, 2", "True", "{'a': 1}"]
)
def test_a_job_title_that_looks_like_a_date_is_shown_as_the_text_it_is(client, leader, title):
    """Regression: a group member's job title «2025-02-30» made /logg/ answer 500 as long as the entry existed."""
    from applications import services
    from applications.models import MunicipalGroup, MunicipalGroupMember
    from tests.factories import RegionalProgramFactory

    group = MunicipalGroup.objects.create(
        regional_program=RegionalProgramFactory(), municipality=MunicipalityFactory()
    )
    member = MunicipalGroupMember.objects.create(
        group=group, name="Kari", sector="kulturskole", role_title="Rektor"
    )
    services.municipal_group_member_save(actor=leader, group=group, member=member, data={"role_title": title})

    for url in ["/logg/", f"/logg/objekt/{AuditEntry.objects.latest('id').content_type_id}/{group.pk}/"]:
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        assert "Medlem i kommunegruppen endret" in html
        assert f"Stilling:</span> Rektor → {escape(title)}" in html
    assert AuditEntry.objects.latest("id").details == {"role_title": {"from": "Rektor", "to": title}}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "text", ["2025-02-30", "2025-02-30 10:00", "0000-00-00", "9999-12-31T23:59:59+99:99"]
)
def test_no_free_text_under_any_key_breaks_the_log(client, leader, text):
    audit_log(
        actor=leader, action="accounts.user.changed", obj=leader, details={"anything": text, "x": [text]}
    )
    response = client.get("/logg/")
    assert response.status_code == 200
    assert f"Anything:</span> {text}" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["scores", "poeng"])  # "poeng": rows written before the English keys
def test_review_entries_name_the_criteria_not_their_ids(client, leader, key):
    from applications.models import Review
    from tests.applications.factories import ApplicationFactory, JuryMemberFactory, SelectionCriterionFactory

    application = ApplicationFactory()
    rp = application.regional_program
    first = SelectionCriterionFactory(regional_program=rp, name="Forankring i kommunen")
    second = SelectionCriterionFactory(regional_program=rp, name="Samarbeid på tvers")
    review = Review.objects.create(
        application=application, jury_member=JuryMemberFactory(regional_program=rp)
    )
    audit_log(
        actor=leader,
        action="applications.review.submitted",
        obj=review,
        details={key: {str(first.pk): 5, str(second.pk): 4, "999999": 2}},
    )
    html = client.get("/logg/").content.decode()
    assert (
        'Poeng:</span><ul class="list-unstyled mb-0 ms-3"><li>Forankring i kommunen: 5</li>'
        "<li>Samarbeid på tvers: 4</li><li>Kriterium 999999: 2</li></ul>"
    ) in html
    assert f"{first.pk}: 5" not in html


@pytest.mark.django_db
def test_review_names_cost_one_query_for_a_page_of_entries(client, leader, django_assert_max_num_queries):
    from applications.models import Review
    from tests.applications.factories import ApplicationFactory, JuryMemberFactory, SelectionCriterionFactory

    def add(n):
        for _i in range(n):
            application = ApplicationFactory()
            criterion = SelectionCriterionFactory(regional_program=application.regional_program)
            review = Review.objects.create(
                application=application,
                jury_member=JuryMemberFactory(regional_program=application.regional_program),
            )
            audit_log(
                actor=leader,
                action="applications.review.saved",
                obj=review,
                details={"scores": {str(criterion.pk): 3}},
            )

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    add(1)
    client.get("/logg/")
    with CaptureQueriesContext(connection) as few:
        client.get("/logg/", {"action": "applications."})
    add(20)
    with CaptureQueriesContext(connection) as many:
        client.get("/logg/", {"action": "applications."})
    assert len(many.captured_queries) == len(few.captured_queries)


@pytest.mark.django_db
def test_the_filter_offers_areas_and_actions_by_their_norwegian_names(client, leader):
    html = client.get("/logg/").content.decode()
    assert "Handling begynner med" not in html
    assert '<option value="accounts.">Alt i «Personer og roller»</option>' in html
    assert '<option value="applications.">Alt i «Søknader og opptak»</option>' in html
    assert '<option value="accounts.role.added">Rolle lagt til</option>' in html
    assert "«accounts.»" not in html


@pytest.mark.django_db
def test_filtering_on_one_action_shows_only_that_action(client, leader):
    audit_log(actor=leader, action="accounts.role.added", obj=leader)
    audit_log(actor=leader, action="accounts.role.removed", obj=leader)
    html = client.get("/logg/", {"action": "accounts.role.removed"}).content.decode()
    assert "1 loggføring" in html
    assert '<span title="accounts.role.removed">Rolle fjernet</span>' in html
    assert '<span title="accounts.role.added">Rolle lagt til</span>' not in html


@pytest.mark.django_db
def test_english_keys_and_json_values_read_as_norwegian(client, leader):
    from accounts.services import role_add
    from municipalities.services import municipality_update

    municipality = MunicipalityFactory(name="Sunnfjord", is_member=True, email="")
    role_add(actor=leader, user=UserFactory(), role="municipal_contact", municipality=municipality)
    municipality_update(actor=leader, municipality=municipality, is_member=False, email="post@example.org")
    entries = list(AuditEntry.objects.order_by("id"))
    assert entries[0].details["role"] == "municipal_contact"
    assert entries[1].details["is_member"] == {"from": True, "to": False}

    html = client.get("/logg/").content.decode()
    cells = "\n".join(re.findall(r'<td class="small">(.*?)</td>', html, flags=re.DOTALL))
    assert "Rolle:</span> Kommunekontakt" in cells
    assert "Kommune:</span> Sunnfjord" in cells
    assert "Medlemskommune:</span> ja → nei" in cells
    assert "E-post (kulturskolen):</span> ikke satt → post@example.org" in cells
    assert "municipal_contact" not in cells
    assert "True" not in cells


@pytest.mark.django_db
def test_an_apps_failing_readable_hook_does_not_take_the_log_down(client, leader, monkeypatch):
    def broken(many):
        raise KeyError("bug")

    action = registry.action_get("applications.review.saved")
    monkeypatch.setitem(
        registry._actions, "applications.review.saved", registry.Action(action.label, readable=broken)
    )
    audit_log(actor=leader, action="applications.review.saved", details={"scores": {"7": 3}})
    response = client.get("/logg/")
    assert response.status_code == 200
    assert 'Poeng:</span><ul class="list-unstyled mb-0 ms-3"><li>7: 3</li></ul>' in response.content.decode()


def test_the_action_filter_follows_the_language_and_offers_an_action_declared_later(monkeypatch):
    """The filter's options are worked out once per language and vocabulary, never kept past either."""
    from django.utils import translation

    from audit.forms import action_choices

    with translation.override("nb"):
        assert action_choices()[0] == ("", "Alle områder og handlinger")
    with translation.override("en"):
        assert action_choices()[0] == ("", "All areas and actions")
    monkeypatch.setattr(registry, "_actions", dict(registry._actions))
    monkeypatch.setattr(registry, "_areas", dict(registry._areas))
    registry.register("audit", area="Logg", actions={"audit.test.declared_later": "Erklært senere"})
    with translation.override("nb"):
        offered = [option for _area, options in action_choices()[1:] for option in options]
    assert ("audit.test.declared_later", "Erklært senere") in offered
