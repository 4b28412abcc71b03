from django import template
from django.utils.formats import localize
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

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


@register.filter
def hours_bar(a) -> SafeString:
    """`{{ a|hours_bar }}`: the bar and the words of guidance/partials/hours_bar.html for an agreement decorated
    by guidance.selectors.decorate. The advisor's dashboard has one per municipality, and the tags it replaces
    (an include, a blocktranslate, two translates) cost more than the rest of the row."""
    words = gettext("%(used)s av %(agreed)s timer (%(pct)s %%)") % {
        "used": conditional_escape(localize(a.used_hours)),
        "agreed": conditional_escape(localize(a.agreed_hours)),
        "pct": conditional_escape(localize(a.percent_used)),
    }
    if a.frame_state == "over":
        words += format_html(' <span class="badge badge-over">{}</span>', gettext("Over rammen"))
    elif a.frame_state == "near":
        words += format_html(' <span class="badge badge-near">{}</span>', gettext("Nær rammen"))
    return format_html(
        '<svg class="hours-bar" viewBox="0 0 100 6" preserveAspectRatio="none" aria-hidden="true" '
        'focusable="false"><rect class="bg" width="100" height="6"/><rect class="fill {}" width="{}" '
        'height="6"/></svg>\n<span class="small">{}</span>',
        a.frame_state,
        localize(a.bar_percent),
        mark_safe(words),  # noqa: S308 - the translated words, the numbers escaped above
    )
