"""The main menu, rendered once per process for each combination of what it depends on.

Rendering the menu's partials (one per app, `templates/partials/nav_items.html`) cost about 0.35 ms of every
signed-in page; the HTML depends only on the person's roles and `can_…` flags, the page (the app and URL name
that mark the active entry) and the language, so it is kept per combination of those and nothing else: never
per person. Everything in the key is read from the request being rendered, so a role taken away changes the
key (and the menu) on the next request.
"""

from __future__ import annotations

from django import template
from django.conf import settings
from django.urls import get_script_prefix, get_urlconf
from django.utils import translation

from accounts.context_processors import _template_flags
from accounts.permissions import role_scope

register = template.Library()

MENU_TEMPLATE = "partials/nav_items.html"
_MENUS: dict[tuple, str] = {}


def menu_key(context) -> tuple | None:
    """What the menu's HTML depends on, or None when it cannot be told (no request): then it is not kept."""
    request = context.get("request")
    if request is None:
        return None
    match = getattr(request, "resolver_match", None)
    return (
        translation.get_language(),
        get_script_prefix(),
        get_urlconf(),
        settings.ROOT_URLCONF,
        getattr(match, "app_name", None),
        getattr(match, "url_name", None),
        tuple(sorted(role_scope(getattr(request, "user", None)).roles)),
        tuple(bool(context.get(name)) for name, _ in _template_flags()),
    )


@register.simple_tag(takes_context=True)
def main_menu(context) -> str:
    """`{% main_menu %}` == `{% include "partials/nav_items.html" %}`, rendered once per key (see above)."""
    key = menu_key(context)
    html = _MENUS.get(key) if key is not None else None
    if html is None:
        html = context.template.engine.get_template(MENU_TEMPLATE).render(context)
        if key is not None:
            if len(_MENUS) > 5_000:  # pages × role combinations × languages: bound the memory anyway
                _MENUS.clear()
            _MENUS[key] = html
    return html
