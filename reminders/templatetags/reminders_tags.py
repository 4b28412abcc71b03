from django import template

from reminders.occasions import occasion_get

register = template.Library()


@register.filter
def occasion_label(code: str) -> str:
    """The declared occasion's Norwegian name, or its code when the occasion is not declared."""
    occasion = occasion_get(code)
    return str(occasion.label) if occasion and occasion.label else code


@register.inclusion_tag("reminders/partials/dashboard_panel.html", takes_context=True)
def reminders_dashboard_panel(context):
    """The leadership panel on the dashboard: one aggregate query, only for leadership."""
    from reminders.permissions import can_manage_reminders
    from reminders.selectors import delivery_counts

    user = context.get("user")
    if not can_manage_reminders(user):
        return {"show": False}
    return {"show": True, "counts": delivery_counts(user)}
