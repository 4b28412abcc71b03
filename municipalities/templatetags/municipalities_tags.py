from django import template

from municipalities import selectors

register = template.Library()


@register.inclusion_tag("municipalities/partials/dashboard_panels.html", takes_context=True)
def municipalities_dashboard_panels(context):
    """The board member's and the municipal contact's panels; the data comes from the selectors in one go."""
    user = context["request"].user
    return {
        "branches": selectors.dashboard_branches(user=user),
        "municipalities": selectors.dashboard_municipalities(user=user),
    }
