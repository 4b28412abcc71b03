from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from accounts import selectors
from accounts.models import Role
from core.dates import datetime_display_cached
from core.html import text as _v
from core.links import url_for_id

register = template.Library()


@register.simple_tag(takes_context=True)
def people_overview(context):
    """Numbers for the leadership panel on the dashboard: active people per role and open invitations."""
    user = context["request"].user
    counts = selectors.people_role_counts(actor=user)
    labels = dict(Role.choices)
    return {
        "roles": [(labels[role], count) for role, count in counts.items()],
        "pending_invitations": selectors.invitations_pending(actor=user).count(),
    }


# The rows of the people list, written in Python: node by node, the template engine spent more on the rows than
# their queries did. The same markup as the template wrote, escaped the same way (tests/accounts/test_people_rows.py).


@register.simple_tag
def people_rows(people) -> SafeString:
    """`people` from selectors.people_list: role assignments prefetched, `two_factor_on` annotated."""
    detail = url_for_id("accounts:person_detail")
    no_roles = f'<span class="text-body-secondary">{_v(_("Ingen roller"))}</span>'
    active, deactivated = _v(_("Aktiv")), f'<span class="badge status-no">{_v(_("Deaktivert"))}</span>'
    yes, no, never = _v(_("Ja")), _v(_("Nei")), _v(_("Aldri"))
    out = []
    for person in people:
        roles = "".join(f'<span class="d-block">{_v(a)}</span>' for a in person.role_assignments.all())
        login = _v(datetime_display_cached(person.last_login)) if person.last_login else never
        out.append(
            f'\n    <tr>\n      <th scope="row"><a href="{detail(person.pk)}">{_v(person.full_name or person.email)}</a></th>'
            f"\n      <td>{_v(person.email)}</td>"
            f"\n      <td>{roles or no_roles}</td>"
            f"\n      <td>{active if person.is_active else deactivated}</td>"
            f'\n      <td data-testid="two-factor-{_v(person.pk)}">{yes if person.two_factor_on else no}</td>'
            f"\n      <td>{login}</td>\n    </tr>\n  "
        )
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped
