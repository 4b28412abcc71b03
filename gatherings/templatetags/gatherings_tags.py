from django import template

from accounts.permissions import is_leadership, role_scope

from .. import selectors

register = template.Library()


@register.filter
def lookup(mapping, key):
    """`mapping|lookup:key` for dicts built by the view (never a query)."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.inclusion_tag("gatherings/partials/dashboard_panel.html", takes_context=True)
def gatherings_dashboard(context):
    """The dashboard panel: upcoming gatherings with their preparation; for leadership with counts."""
    user = context["request"].user
    leadership = is_leadership(user)
    upcoming = selectors.upcoming_gatherings_for(
        user, limit=5, counts=leadership
    )  # counts: leadership's only
    return {
        "upcoming": upcoming,
        "is_leadership": leadership,
        "request": context["request"],
        # Past gatherings' hand-ins are easy to lose sight of once only coming gatherings are listed.
        "coordinates": bool(role_scope(user).municipality_ids),
        "waiting": selectors.hand_ins_waiting_for(user),
    }


@register.filter
def clear_field(form, member):
    """The «clear the registered needs» checkbox of a member on the registration form, or None."""
    return form.clear_field(member)
