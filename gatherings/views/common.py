"""Helpers shared by the gatherings views."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect

from programs.models import Sector


def post_only(url_name: str, *arg_names: str):
    """For URLs that only act on POST: a GET goes to the page the action belongs to (which does its own
    scoping) instead of an empty 405; nothing is ever written on GET."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method != "POST":
                return redirect(url_name, *[kwargs[name] for name in arg_names])
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def attempt(request, call: Callable[[], object], success: str) -> bool:
    try:
        call()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return False
    messages.success(request, success)
    return True


def sector_labels() -> dict:
    return dict(Sector.choices)


def file_response(row) -> FileResponse:
    try:
        handle = row.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=row.original_name)
