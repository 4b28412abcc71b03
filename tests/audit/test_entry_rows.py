"""The log's rows, written in Python by `audit_tags.audit_entry_rows`, are the markup the template wrote before
(kept below as it was), byte for byte, with and without the object column, in both languages."""

import datetime as dt

import pytest
from django.template import Context, Engine
from django.template.backends.django import get_installed_libraries
from django.utils import translation

from audit.models import AuditEntry
from audit.selectors import entries_all
from audit.services import audit_log
from tests.factories import MunicipalityFactory, UserFactory

pytestmark = pytest.mark.django_db

# templates/audit/partials/entry_table.html's loop before the rows moved to Python
OLD_ROWS = """{% load i18n audit_tags %}{% audit_prepare entries as entries %}{% for entry in entries %}
    <tr>
      <td class="text-nowrap"><time datetime="{{ entry.at|date:'c' }}">{{ entry.at|date:"j. F Y H:i" }}</time></td>
      <td>{% if entry.actor %}{{ entry.actor.get_full_name }}{% else %}{% translate "systemet" %}{% endif %}</td>
      <td><span title="{{ entry.action }}">{{ entry.action|audit_action }}</span></td>
      {% if show_object %}<td>{% if entry.content_type_id and entry.object_id %}<a href="{% url 'audit:object_log' entry.content_type_id entry.object_id %}">{{ entry.object_repr|default:entry.object_id }}</a><br><span class="small text-body-secondary">{{ entry.content_type.name }}</span>{% else %}–{% endif %}</td>{% endif %}
      <td class="small">{% for key, value in entry|audit_entry_details %}<div><span class="fw-semibold">{{ key }}:</span>{% if value.is_lines %}<ul class="list-unstyled mb-0 ms-3">{% for line in value %}<li>{{ line }}</li>{% endfor %}</ul>{% else %} {{ value }}{% endif %}</div>{% endfor %}</td>
    </tr>
  {% endfor %}"""
NEW_ROWS = "{% load audit_tags %}{% audit_entry_rows entries show_object %}"


@pytest.fixture
def entries():
    leader = UserFactory(full_name="Liv <Leder> & «co»", leadership=True)
    nameless = UserFactory(full_name="", email='o\'neil+"x"@example.org')
    town = MunicipalityFactory(name="Å & <Ø>")
    moments = [
        dt.datetime(2027, 3, 28, 0, 59, tzinfo=dt.UTC),  # the night summer time begins in Oslo
        dt.datetime(2027, 3, 28, 1, 0, tzinfo=dt.UTC),
        dt.datetime(2027, 9, 15, 21, 59, 30, 123456, tzinfo=dt.UTC),
        dt.datetime(2027, 12, 31, 23, 5, tzinfo=dt.UTC),
    ]
    cases = [
        (leader, "accounts.role.added", leader, {"role": "leadership", "_rolle_id": 3}),
        (
            nameless,
            "municipalities.municipality.updated",
            town,
            {"changes": {"name": {"from": "A", "to": "Å & <Ø>"}}},
        ),
        (None, "no.such.action", None, {"note": "<b>fet</b>", "empty": "", "list": [1, 2]}),
        (leader, "accounts.user.updated", nameless, {"changed_fields": {"full_name": "Ny", "email": None}}),
        (nameless, "municipalities.municipality.updated", town, {"deadline": "2027-09-15T23:59:00+02:00"}),
    ]
    for i, (actor, action, obj, details) in enumerate(cases):
        entry = audit_log(actor=actor, action=action, obj=obj, details=details)
        AuditEntry.objects.filter(pk=entry.pk).update(at=moments[i % len(moments)])
    # an object id that is no plain number, and one without a readable name
    odd = audit_log(actor=leader, action="accounts.role.added", obj=town, details={})
    AuditEntry.objects.filter(pk=odd.pk).update(object_id="007 x", object_repr="")
    plain = audit_log(actor=leader, action="accounts.role.added", obj=town, details={})
    AuditEntry.objects.filter(pk=plain.pk).update(object_repr="")
    return leader


@pytest.mark.parametrize("language", ["nb", "en"])
@pytest.mark.parametrize("show_object", [True, False])
def test_rows_are_the_markup_the_template_wrote(entries, language, show_object):
    engine = Engine(
        loaders=[("django.template.loaders.locmem.Loader", {"old.html": OLD_ROWS, "new.html": NEW_ROWS})],
        libraries=get_installed_libraries(),
    )
    with translation.override(language):
        old = engine.get_template("old.html").render(
            Context({"entries": list(entries_all(actor=entries)), "show_object": show_object})
        )
        new = engine.get_template("new.html").render(
            Context({"entries": list(entries_all(actor=entries)), "show_object": show_object})
        )
    assert new == old
    assert old.count("<tr>") == 7
    assert "Liv &lt;Leder&gt; &amp; «co»" in new  # escaped, never markup
    assert "&lt;b&gt;fet&lt;/b&gt;" in new
    assert ("/logg/objekt/" in new) is show_object
    if show_object:
        assert "007%20x" in new
