"""Helpers shared by the gatherings views."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404

from core.http import post_only  # noqa: F401  (re-exported for the views of this app)
from programs.models import Sector


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
