"""The people list's rows, written in Python by `people_tags.people_rows`, are the markup the template wrote
before (kept below as it was), byte for byte, in both languages."""

import datetime as dt

import pytest
from django.template import Context, Engine
from django.template.backends.django import get_installed_libraries
from django.utils import translation

from accounts.models import Role, RoleAssignment, User
from accounts.selectors import people_list
from tests.factories import (
    CountyBranchFactory,
    MunicipalityFactory,
    UserFactory,
    board_member,
    municipal_contact,
)

pytestmark = pytest.mark.django_db

# templates/accounts/people_list.html's loop before the rows moved to Python
OLD_ROWS = """{% load i18n %}{% for person in page.object_list %}
    <tr>
      <th scope="row"><a href="{% url 'accounts:person_detail' person.pk %}">{{ person.full_name|default:person.email }}</a></th>
      <td>{{ person.email }}</td>
      <td>{% for assignment in person.role_assignments.all %}<span class="d-block">{{ assignment }}</span>{% empty %}<span class="text-body-secondary">{% translate "Ingen roller" %}</span>{% endfor %}</td>
      <td>{% if person.is_active %}{% translate "Aktiv" %}{% else %}<span class="badge status-no">{% translate "Deaktivert" %}</span>{% endif %}</td>
      <td data-testid="two-factor-{{ person.pk }}">{% if person.two_factor_on %}{% translate "Ja" %}{% else %}{% translate "Nei" %}{% endif %}</td>
      <td>{% if person.last_login %}{{ person.last_login|date:"DATETIME_FORMAT" }}{% else %}{% translate "Aldri" %}{% endif %}</td>
    </tr>
  {% endfor %}"""
NEW_ROWS = "{% load people_tags %}{% people_rows page.object_list %}"


@pytest.mark.parametrize("language", ["nb", "en"])
def test_rows_are_the_markup_the_template_wrote(language):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    leader = UserFactory(full_name="Liv <Leder> & «co»", leadership=True)
    board_member(CountyBranchFactory(name="Vest & <Nord>"), full_name="")
    contact = municipal_contact(MunicipalityFactory(name="Å «fjord»"), full_name='O\'Neil "K"')
    RoleAssignment.objects.create(user=contact, role=Role.ADVISOR)
    TOTPDevice.objects.create(user=contact, name="app", confirmed=True)
    UserFactory(full_name="Uten Roller", is_active=False, email="uten+<x>@example.org")
    User.objects.filter(pk=leader.pk).update(last_login=dt.datetime(2027, 3, 28, 0, 59, tzinfo=dt.UTC))
    User.objects.filter(pk=contact.pk).update(last_login=dt.datetime(2027, 9, 15, 21, 59, tzinfo=dt.UTC))
    engine = Engine(
        loaders=[("django.template.loaders.locmem.Loader", {"old.html": OLD_ROWS, "new.html": NEW_ROWS})],
        libraries=get_installed_libraries(),
    )

    def render(name: str) -> str:
        page = {"object_list": list(people_list(actor=leader))}
        return engine.get_template(name).render(Context({"page": page}))

    with translation.override(language):
        old, new = render("old.html"), render("new.html")
    assert new == old
    assert old.count("<tr>") == 4
    assert "Liv &lt;Leder&gt; &amp; «co»" in new  # escaped, never markup
    assert "Vest &amp; &lt;Nord&gt;" in new
