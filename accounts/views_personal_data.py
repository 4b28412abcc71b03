"""Leadership's pages for one person's data: a readable export, its JSON download and the erasure.

Built on the hooks every app declares in `<app>/personal_data.py` (see `accounts.privacy`).
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.http import post_only
from core.permissions import get_or_404, require

from . import privacy, selectors
from .permissions import is_leadership


def _person(request, pk: int):
    return get_or_404(selectors.person_detail_qs(actor=request.user), pk=pk)


def _sections(data: dict) -> list[dict]:
    """The export as the page shows it: per app, per kind, rows of (label, value) pairs."""
    sections = []
    for part in data.values():
        kinds = []
        for kind, value in part["data"].items():
            rows = value if isinstance(value, list) else [value]
            kinds.append({"name": kind, "rows": [_pairs(row) for row in rows]})
        sections.append({"label": part["label"], "kinds": kinds, "empty": not any(k["rows"] for k in kinds)})
    return sections


def _pairs(row) -> list[tuple[str, str]]:
    if isinstance(row, dict):
        return [(str(k), _text(v)) for k, v in row.items()]
    return [("", _text(row))]


def _text(value) -> str:
    if value is None or value == "":
        return "–"
    if value is True:
        return _("ja")
    if value is False:
        return _("nei")
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_text(v)}" for k, v in value.items())
    return str(value)


@require(is_leadership)
def person_data_export(request, pk: int):
    person = _person(request, pk)
    data = privacy.person_export(person)
    return render(
        request,
        "accounts/person_data_export.html",
        {"person": person, "sections": _sections(data)},
    )


@require(is_leadership)
@post_only("accounts:person_data_export", "pk")
def person_data_download(request, pk: int):
    """The same export as JSON; a download takes the data out of the system, so it is logged."""
    person = _person(request, pk)
    data = privacy.person_export(person)
    privacy.person_export_audit(actor=request.user, user=person, fmt="json")
    body = json.dumps(
        {"person": person.pk, "apper": data}, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2
    )
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    name = slugify(person.full_name or f"person-{person.pk}") or f"person-{person.pk}"
    response["Content-Disposition"] = f'attachment; filename="personopplysninger-{name}.json"'
    return response


@require(is_leadership)
def person_erase(request, pk: int):
    """GET: what will happen, and a confirmation form; POST: anonymise the person in every app."""
    person = _person(request, pk)
    is_self = person.pk == request.user.pk
    if request.method == "POST" and not is_self:
        if request.POST.get("confirm") != "yes":
            messages.error(request, _("Kryss av for at du vil anonymisere personen."))
            return redirect("accounts:person_erase", pk=person.pk)
        try:
            changed = privacy.person_erase(actor=request.user, user=person)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _(
                    "Personen er anonymisert. %(rows)s rader ble endret; loggen er beholdt uten navn og e-post."
                )
                % {"rows": sum(changed.values())},
            )
        return redirect("accounts:person_detail", pk=person.pk)
    return render(
        request,
        "accounts/person_erase.html",
        {"person": person, "is_self": is_self, "apps": [str(h.label) for h in privacy.hooks()]},
    )
