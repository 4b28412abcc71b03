"""The confirmation step of a destructive one-click action (templates/confirm.html).

The button posts without `confirm`; the view answers with this page, whose button posts the same fields
again with `confirm=yes`. Nothing is written until then, and "Avbryt" goes back without a change.
`form`: fields the person fills in on the confirmation page itself (e.g. a required reason); bound and
invalid, it shows its Norwegian errors and keeps what was typed."""

from __future__ import annotations

from django.shortcuts import render


def confirm_requested(request) -> bool:
    return request.POST.get("confirm") == "yes"


def confirm_page(
    request,
    *,
    title: str,
    lines: list[str],
    button: str,
    cancel_url: str,
    fields: dict[str, str] | None = None,
    danger: bool = True,
    form=None,
):
    return render(
        request,
        "confirm.html",
        {
            "confirm": {
                "title": title,
                "lines": lines,
                "action": request.path,
                "fields": fields or {},
                "button": button,
                "danger": danger,
                "cancel_url": cancel_url,
                "form": form,
            }
        },
    )
