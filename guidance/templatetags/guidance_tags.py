from django import template

from accounts.permissions import is_leadership, is_municipal_contact
from guidance import selectors
from guidance.permissions import has_guidance_role, is_guidance_advisor

register = template.Library()


@register.simple_tag(takes_context=True)
def guidance_flags(context) -> dict:
    """What the signed-in person may reach in guidance, for the menu and the dashboard (no role strings)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "any": has_guidance_role(user),
        "advisor": is_guidance_advisor(user),
        "leadership": is_leadership(user),
        "municipality": is_municipal_contact(user),
    }


@register.simple_tag(takes_context=True)
def guidance_advisor_dashboard(context):
    request = context.get("request")
    if request is None or not is_guidance_advisor(request.user):
        return None
    return selectors.advisor_dashboard(user=request.user)


@register.simple_tag(takes_context=True)
def guidance_own_agreements(context, limit: int = 5):
    """A municipal contact's own agreements (with hours) for the dashboard."""
    request = context.get("request")
    if request is None or not is_municipal_contact(request.user):
        return []
    return selectors.municipality_dashboard_agreements(user=request.user, limit=limit)
