from django import template

from accounts import selectors
from accounts.models import Role

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
