"""The temperaturmåling: leadership's overview of every branch's answer, filtered, and its CSV/XLSX export."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.permissions import require

from .. import exports, selectors
from ..permissions import can_manage_programs


@require(can_manage_programs)
@require_GET
def temperature(request, pk: int):
    program = selectors.program_get(user=request.user, pk=pk)
    status = request.GET.get("status", "")
    if status not in selectors.TEMPERATURE_STATUS_FILTERS:
        status = ""
    overview = selectors.temperature_overview(
        program=program,
        status=status,
        dialogue=request.GET.get("dialog") == "1",
        q=request.GET.get("q", "")[:100],
    )
    return render(
        request,
        "programs/temperature.html",
        {"program": program, "overview": overview, "status_choices": list(selectors.STATUS_LABELS.items())},
    )


@require(can_manage_programs)
@require_GET
def temperature_export(request, pk: int, fmt: str):
    program = selectors.program_get(user=request.user, pk=pk)
    rows = selectors.interest_registrations_for_export(program=program)
    filename = f"interessemeldinger-{program.slug}"
    if fmt == "csv":
        response = HttpResponse(exports.interest_csv(rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    elif fmt == "xlsx":
        response = HttpResponse(
            exports.interest_xlsx(rows, title=program.name),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    else:
        raise Http404
    return response
