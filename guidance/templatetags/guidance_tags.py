from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.permissions import is_leadership, is_municipal_contact
from core.html import escaped, figures
from core.html import text as _v
from core.links import url_for_id
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


# The guidance page's long lists, written in Python: node by node, the template engine spent more on a row
# than its query did. Same markup, escaped the same way.


def _hours_bar(a, labels: dict[str, str], text: str, figure=_v) -> str:
    """`text` is the translated "%(used)s av %(agreed)s timer (%(pct)s %%)"; `figure` writes a number as `_v`."""
    state = a.frame_state
    badge = labels.get(state, "")
    text = text % {
        "used": figure(a.used_hours),
        "agreed": figure(a.agreed_hours),
        "pct": figure(a.percent_used),
    }
    return (
        '\n<svg class="hours-bar" viewBox="0 0 100 6" preserveAspectRatio="none" aria-hidden="true" '
        f'focusable="false"><rect class="bg" width="100" height="6"/><rect class="fill {_v(state)}" '
        f'width="{figure(a.bar_percent)}" height="6"/></svg>\n<span class="small">{text}{badge}</span>\n'
    )


def _hours_text() -> str:
    return _("%(used)s av %(agreed)s timer (%(pct)s %%)")


def _badges() -> dict[str, str]:
    return {
        "over": f' <span class="badge badge-over">{_v(_("Over rammen"))}</span>',
        "near": f' <span class="badge badge-near">{_v(_("Nær rammen"))}</span>',
    }


@register.simple_tag
def hours_bar(agreement) -> SafeString:
    """Hours used against the frame: `agreement` decorated by guidance.selectors.decorate."""
    return mark_safe(_hours_bar(agreement, _badges(), _hours_text()))  # noqa: S308 - every value is escaped


@register.simple_tag
def agreement_rows(agreements) -> SafeString:
    """The agreements table of the guidance page: `selectors.agreement_list`'s rows, decorated."""
    detail = url_for_id("guidance:agreement_detail")
    declined = f' <span class="badge text-bg-secondary">{_v(_("Takket nei"))}</span>'
    badges, text, figure, name = _badges(), _hours_text(), figures(), escaped
    out = []
    for a in agreements:
        advisors = ", ".join(name(n) for n in a.advisor_names) or "–"
        out.append(
            f'\n      <tr><th scope="row"><a href="{detail(a.pk)}">{name(a.municipality_name)}</a>'
            f"{declined if a.declined_on else ''}</th>"
            f"\n        <td>{name(a.regional_program_name)}</td>"
            f"\n        <td>{advisors}</td>"
            f"\n        <td>{_hours_bar(a, badges, text, figure)}</td></tr>\n    "
        )
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped


@register.simple_tag
def guidance_region_items(regional_programs) -> SafeString:
    """Leadership's regional programmes on the guidance page, each with its two links."""
    assign = url_for_id("guidance:region_assign")
    overview = url_for_id("guidance:overview")
    assign_label, overview_label = _v(_("Tildel veiledere")), _v(_("Timer og oversikt"))
    out = []
    for rp in regional_programs:
        name, program = _v(rp["name"]), _v(rp["program_name"])
        n = rp["agreement_count"]
        count = ngettext("%(n)s avtale", "%(n)s avtaler", n) % {"n": _v(n)}
        hidden = f'<span class="visually-hidden"> – {name}, {program}</span>'
        out.append(
            f"\n    <li><strong>{name}</strong> ({program}) –\n      {count}:"
            f'\n      <a href="{assign(rp["pk"])}">{assign_label}{hidden}</a> ·'
            f'\n      <a href="{overview(rp["pk"])}">{overview_label}{hidden}</a></li>\n  '
        )
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped
