"""Leadership's overview of a region: hours agreed and used per municipality and theme, and its export."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.permissions import is_leadership
from core.permissions import require
from programs.exports import export_filename

from .. import exports, selectors
from .common import regional_program_or_404


@require(is_leadership)
def overview(request, rp_id: int):
    rp = regional_program_or_404(rp_id)
    ov = selectors.overview(regional_program=rp)
    chart_max = ov.chart_max_minutes
    bars = []
    for index, a in enumerate(ov.municipalities):
        # Bars in SVG user units: 400 wide for the largest frame or use, labels left of x=170.
        agreed_w = a.agreed_minutes * 400 / chart_max
        used_w = a.used_minutes * 400 / chart_max
        bars.append(
            {
                "agreement": a,
                "agreed_w": agreed_w,
                "used_w": used_w,
                "label_x": 175 + max(agreed_w, used_w),
                "y": index * 34,
            }
        )
    return render(
        request,
        "guidance/overview.html",
        {
            "regional_program": rp,
            "ov": ov,
            "bars": bars,
            "chart_height": max(len(bars), 1) * 34 + 10,
            "near_percent": selectors.near_frame_percent(),
        },
    )


@require(is_leadership)
@require_GET
def overview_export(request, rp_id: int, fmt: str):
    rp = regional_program_or_404(rp_id)
    ov = selectors.overview(regional_program=rp)
    stamp = timezone.localdate().isoformat()
    if fmt == "csv":
        response = HttpResponse(exports.overview_csv(ov), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(
            exports.overview_xlsx(ov, title=_("Veiledning – %(rp)s") % {"rp": rp.name}),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        raise Http404
    name = export_filename(_("veiledning"), rp.name, stamp, ext=fmt)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
