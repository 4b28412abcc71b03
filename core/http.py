"""Answers for the methods a URL does not act on."""

from __future__ import annotations

from functools import wraps

from django.shortcuts import redirect


def post_only(url_name: str, *arg_names: str):
    """For URLs that only act on POST: a GET (a bookmark, a reload, the back button, a pasted link) goes to the
    page the action belongs to instead of an empty 405; nothing is ever written on GET. `arg_names`: the view's
    URL kwargs that the page's URL takes, in order. Put it inside the access check (`require`), so that someone
    without access still gets the login page or a 404, and the page itself scopes the object."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method != "POST":
                return redirect(url_name, *[kwargs[name] for name in arg_names])
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
