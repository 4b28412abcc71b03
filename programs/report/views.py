"""The report pages and their XLSX: leadership for an edition, leadership and the region's board for a region."""

from __future__ import annotations

from types import SimpleNamespace

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from core.permissions import check_or_404, require
from gatherings.timeline import timeline

from .. import selectors as program_selectors
from ..permissions import (
    can_read_report_texts,
    can_see_edition_report,
    can_see_region_report,
    can_see_reports,
)
from . import charts, exports
from .forms import ReportFilterForm
from .selectors import report_build, report_regions, report_semesters, semester_choices

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _report(request, *, program, regions, edition: bool, texts: bool = True, export: bool = False):
    semesters = report_semesters(regions=regions)
    branches = (
        sorted({b for r in regions for b in r.branches.all()}, key=lambda b: b.name) if edition else None
    )
    form = ReportFilterForm(request.GET or None, semesters=semester_choices(semesters), branches=branches)
    report = report_build(
        program=program,
        regions=regions,
        semesters=semesters,
        period=form.period(),
        branch=form.branch(),
        all_texts=bool(can_read_report_texts(request.user)),
        texts=texts,
        export=export,
    )
    return form, report


def _context(form, report, *, region=None) -> dict:
    guidance_rows = [
        {**r, "label": r["municipality"] if region else f"{r['municipality']} ({g['region'].name})"}
        for g in report.guidance["regions"]
        for r in g["rows"]
        if r["state"] != "declined"
    ]
    return {
        "form": form,
        "report": report,
        "program": report.program,
        "region": region,
        "funnel": charts.funnel(report.participation["totals"]),
        "hours_chart": charts.hours_bars(guidance_rows),
        "month_chart": charts.month_columns(report.guidance["months"]),
        "query": form.data.urlencode() if form.is_bound else "",
        # One region: the gatherings app's timeline picture above the dated list.
        "timeline": timeline(
            semesters=[SimpleNamespace(**s) for s in report.semesters], gatherings=report.gatherings
        )
        if region
        else None,
    }


def _region(request, rp_id: int):
    regions = report_regions(region_id=rp_id)
    if not regions:
        raise Http404
    check_or_404(can_see_region_report, request.user, regions[0])
    return regions


@require_GET
@require(can_see_reports)
def region_report(request, rp_id: int):
    regions = _region(request, rp_id)
    form, report = _report(request, program=regions[0].program, regions=regions, edition=False)
    return render(request, "programs/report.html", _context(form, report, region=regions[0]))


@require_GET
@require(can_see_reports)
def region_report_export(request, rp_id: int):
    regions = _region(request, rp_id)
    _form, report = _report(request, program=regions[0].program, regions=regions, edition=False, export=True)
    return _xlsx(report, title=f"{regions[0].program.name} – {regions[0].name}", name=regions[0].name)


@require_GET
@require(can_see_edition_report)
def edition_report(request, pk: int):
    program = program_selectors.program_get(user=request.user, pk=pk)
    # The edition's page shows the hand-ins and plans as counts and versions; their texts are in the export.
    form, report = _report(
        request, program=program, regions=report_regions(program=program), edition=True, texts=False
    )
    return render(request, "programs/report.html", _context(form, report))


@require_GET
@require(can_see_edition_report)
def edition_report_export(request, pk: int):
    program = program_selectors.program_get(user=request.user, pk=pk)
    _form, report = _report(
        request, program=program, regions=report_regions(program=program), edition=True, export=True
    )
    return _xlsx(report, title=program.name, name=program.slug)


def _xlsx(report, *, title: str, name: str) -> HttpResponse:
    response = HttpResponse(exports.report_xlsx(report, title=title), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="rapport-{slugify(name)}.xlsx"'
    return response
