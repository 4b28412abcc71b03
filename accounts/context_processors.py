from functools import cache
from importlib import import_module

from django.apps import apps

from .permissions import role_scope


@cache
def _template_flags() -> tuple[tuple[str, object], ...]:
    """`TEMPLATE_FLAGS` of every installed app's `permissions` module: flag name → predicate(user)."""
    flags: dict[str, object] = {}
    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.permissions")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.permissions":
                raise
            continue
        for name, predicate in getattr(module, "TEMPLATE_FLAGS", {}).items():
            if name in flags and flags[name] is not predicate:
                raise ValueError(f"two apps declare the template flag {name!r}")
            flags[name] = predicate
    return tuple(flags.items())


def roles(request):
    """The signed-in person's role assignments (for the header) and the `can_…` flags the templates ask."""
    user = getattr(request, "user", None)
    scope = role_scope(user)
    context: dict[str, object] = {"role_assignments": scope.assignments}
    for name, predicate in _template_flags():
        context[name] = bool(predicate(user))  # type: ignore[operator]
    return context
