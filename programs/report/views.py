"""The report pages and their XLSX: leadership for an edition, leadership and the region's board for a region."""

from __future__ import annotations

from types import SimpleNamespace

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from core.permissions import check_or_404, require
from gatherings.timeline import timeline

from .. import selectors as program_selectors
from ..forms import name_slug
from ..permissions import (
    can_read_report_texts,
    can_see_edition_report,
    can_see_region_report,
    can_see_reports,
)
from . import cache as report_cache
from . import charts, exports
from .forms import ReportFilterForm
from .selectors import report_build, report_regions, report_semesters, semester_choices

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Norwegian letters a file name keeps readable (slugify drops what does not decompose: «høst» → «hst»).
_LETTERS = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "Æ": "Ae", "Ø": "O", "Å": "A"})


def _file_name(name: str, *, semester: str, period, branch) -> str:
    """`rapport-<scope>[-<branch>][-<period>].xlsx`: a filtered file never has the unfiltered one's name. A
    semester by its name («høst 2026» → «host-2026»), a from–to range by its ISO days."""
    parts = [name]
    if branch is not None:
        parts.append(branch.short_name)
    if semester:
        parts.append(semester)
    elif period.start is not None and period.end is not None:
        parts.append(f"{period.start.isoformat()} til {period.end.isoformat()}")
    elif period.start is not None:
        parts.append(f"fra {period.start.isoformat()}")
    elif period.end is not None:
        parts.append(f"til {period.end.isoformat()}")
    slug = "-".join(name_slug(p.translate(_LETTERS)) for p in parts)
    return f"rapport-{slug}.xlsx"


def _form(request, *, regions, edition: bool):
    semesters = report_semesters(regions=regions)
    branches = (
        sorted({b for r in regions for b in r.branches.all()}, key=lambda b: b.name) if edition else None
    )
    form = ReportFilterForm(request.GET or None, semesters=semester_choices(semesters), branches=branches)
    return form, semesters


def _export(request, *, program, regions, region=None, title: str, name: str) -> HttpResponse:
    """The XLSX, from the cache like the page's body (same key, its own scope) when nothing has changed."""
    form, semesters = _form(request, regions=regions, edition=region is None)
    period, branch = form.period(), form.branch()
    all_texts = bool(can_read_report_texts(request.user))
    key = report_cache.report_key(
        scope="region-xlsx" if region is not None else "edition-xlsx",
        scope_id=region.pk if region is not None else program.pk,
        period=period,
        branch=branch,
        query="",  # the file shows the filter, not the link it came from
        all_texts=all_texts,
    )
    stamp = report_cache.report_stamp()  # before the build: a change meanwhile makes the next one build

    def build() -> bytes:
        report = report_build(
            program=program,
            regions=regions,
            semesters=semesters,
            period=period,
            branch=branch,
            all_texts=all_texts,
            export=True,
        )
        return exports.report_xlsx(report, title=title)

    response = HttpResponse(report_cache.cached_report(key, stamp, build), content_type=XLSX)
    semester = form.cleaned_data.get("semester", "") if form.is_valid() else ""
    response["Content-Disposition"] = (
        f'attachment; filename="{_file_name(name, semester=semester, period=period, branch=branch)}"'
    )
    return response


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
        # The frame per municipality: all the agreement's hours against the agreed ones, whatever the period.
        "hours_chart": charts.hours_bars(
            [{**r, "used_minutes": r["total_minutes"], "used_hours": r["total_hours"]} for r in guidance_rows]
        ),
        "month_chart": charts.month_columns(report.guidance["months"]),
        "query": form.data.urlencode() if form.is_bound else "",
        # One region: the gatherings app's timeline picture above the dated list.
        "timeline": timeline(
            semesters=[SimpleNamespace(**s) for s in report.semesters], gatherings=report.gatherings
        )
        if region
        else None,
    }


def _page(request, *, program, regions, region=None, texts: bool = True):
    """The report page: its body from the cache when nothing has changed since it was rendered (see
    `cache`), the page around it (menu, breadcrumb, the filter form) for this request."""
    form, semesters = _form(request, regions=regions, edition=region is None)
    period, branch = form.period(), form.branch()
    all_texts = bool(can_read_report_texts(request.user))
    query = form.data.urlencode() if form.is_bound else ""
    key = report_cache.report_key(
        scope="region" if region is not None else "edition",
        scope_id=region.pk if region is not None else program.pk,
        period=period,
        branch=branch,
        query=query,
        all_texts=all_texts,
    )
    stamp = report_cache.report_stamp()  # before the build: a change meanwhile makes the next one build

    def render_parts() -> dict[str, str]:
        report = report_build(
            program=program,
            regions=regions,
            semesters=semesters,
            period=period,
            branch=branch,
            all_texts=all_texts,
            texts=texts,
        )
        # No request: the body is the same for everyone with this key (no menu, role flag or token in it).
        context = _context(form, report, region=region)
        return {
            "header": render_to_string("programs/report/header.html", context),
            "body": render_to_string("programs/report/body.html", context),
        }

    parts = report_cache.cached_report(key, stamp, render_parts)
    return render(
        request,
        "programs/report.html",
        {
            "form": form,
            "program": program,
            "region": region,
            "parts": {name: mark_safe(html) for name, html in parts.items()},  # noqa: S308 - rendered above
        },
    )


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
    return _page(request, program=regions[0].program, regions=regions, region=regions[0])


@require_GET
@require(can_see_reports)
def region_report_export(request, rp_id: int):
    regions = _region(request, rp_id)
    return _export(
        request,
        program=regions[0].program,
        regions=regions,
        region=regions[0],
        title=f"{regions[0].program.name} – {regions[0].name}",
        name=regions[0].name,
    )


@require_GET
@require(can_see_edition_report)
def edition_report(request, pk: int):
    program = program_selectors.program_get(user=request.user, pk=pk)
    # The edition's page shows the hand-ins and plans as counts and versions; their texts are in the export.
    return _page(request, program=program, regions=report_regions(program=program), texts=False)


@require_GET
@require(can_see_edition_report)
def edition_report_export(request, pk: int):
    program = program_selectors.program_get(user=request.user, pk=pk)
    return _export(
        request,
        program=program,
        regions=report_regions(program=program),
        title=program.name,
        name=program.slug,
    )
