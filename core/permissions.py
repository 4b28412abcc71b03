"""The one way a view checks access. Predicates are named `rules` predicates in each app's `permissions.py`;
anything out of scope answers 404, so that ids of other parties' objects leak nothing.

The superuser flag is deliberately ignored here: it grants the Django admin and nothing in the app.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404


def require(predicate):
    """View decorator: login required, then `predicate(user)` must hold, otherwise 404."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not predicate(request.user):
                raise Http404
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def check_or_404(predicate, user, obj=None) -> None:
    """Raise 404 unless `predicate(user, obj)` (or `predicate(user)` without an object) holds."""
    allowed = predicate(user) if obj is None else predicate(user, obj)
    if not allowed:
        raise Http404


def get_or_404(queryset, predicate=None, user=None, **lookup):
    """One object from an already scoped queryset (404 if absent), optionally checked against a predicate."""
    obj = get_object_or_404(queryset, **lookup)
    if predicate is not None:
        check_or_404(predicate, user, obj)
    return obj
