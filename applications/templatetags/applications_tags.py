from django import template

from applications import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def dashboard_applications(context, limit: int = 5):
    """The signed-in person's own municipalities' applications, newest first, for the dashboard panel."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return []
    return list(selectors.dashboard_applications(user=request.user)[:limit])


@register.simple_tag(takes_context=True)
def dashboard_reviews_open(context) -> int:
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return 0
    return selectors.jury_reviews_for(user=request.user).filter(submitted_at__isnull=True).count()
