from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.pagination import paginate
from core.permissions import require

from . import selectors, services
from .forms import CountyBranchForm, CountyMoveForm, MunicipalityFilterForm, MunicipalityForm
from .models import County, CountyBranch, branch_short_name
from .permissions import can_manage_reference_data, can_view_municipalities

MUNICIPALITIES_PER_PAGE = 50


HISTORY_LENGTH = 10


def _history(user, obj) -> dict:
    """The object's latest audit rows for its page (leadership only, as every page here)."""
    from audit.selectors import entries_for_object

    content_type = ContentType.objects.get_for_model(obj)
    return {
        "log_entries": list(entries_for_object(actor=user, obj=obj)[:HISTORY_LENGTH]),
        "log_url": reverse("audit:object_log", args=[content_type.pk, obj.pk]),
    }


def _save(form, call) -> bool:
    """Run the service; a domain error lands on the form (field-keyed where it can)."""
    try:
        call()
    except ValidationError as exc:
        form.add_error(None, exc)
        return False
    return True


@require(can_manage_reference_data)
def branch_list(request):
    branches = list(selectors.county_branch_list(user=request.user))
    return render(request, "municipalities/branch_list.html", {"branches": branches})


@require(can_manage_reference_data)
@require_http_methods(["GET", "POST"])
def branch_create(request):
    counties = list(County.objects.select_related("branch").order_by("number"))
    form = CountyBranchForm(request.POST or None, counties=counties)
    if request.method == "POST" and form.is_valid():
        if _save(form, lambda: services.county_branch_create(actor=request.user, **form.cleaned_data)):
            moved = form.cleaned_data.get("counties") or []
            if moved:
                messages.success(
                    request,
                    _("Fylkesavdelingen «%(name)s» er opprettet, og %(counties)s er flyttet til den.")
                    % {"name": form.cleaned_data["name"], "counties": ", ".join(c.name for c in moved)},
                )
            else:
                messages.success(
                    request,
                    _("Fylkesavdelingen «%(name)s» er opprettet. Flytt fylker til den fra fylkessiden.")
                    % {"name": form.cleaned_data["name"]},
                )
            return redirect("municipalities:branch_list")
    return render(request, "municipalities/branch_form.html", {"form": form, "branch": None})


@require(can_manage_reference_data)
@require_http_methods(["GET", "POST"])
def branch_update(request, pk: int):
    branch = get_object_or_404(selectors.county_branch_list(user=request.user), pk=pk)
    initial = {"name": branch.name, "email": branch.email, "is_active": branch.is_active}
    form = CountyBranchForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if _save(
            form,
            lambda: services.county_branch_update(actor=request.user, branch=branch, **form.cleaned_data),
        ):
            messages.success(request, _("Endringene er lagret."))
            return redirect("municipalities:branch_list")
    return render(
        request,
        "municipalities/branch_form.html",
        {"form": form, "branch": branch, **_history(request.user, branch)},
    )


@require(can_manage_reference_data)
@require_http_methods(["GET", "POST"])
def county_update(request, pk: int):
    county = get_object_or_404(
        County.objects.select_related("branch").annotate(municipality_count=Count("municipalities")), pk=pk
    )
    form = CountyMoveForm(
        request.POST or None,
        initial={"branch": county.branch_id},
        branches=selectors.county_branch_choices(user=request.user),
    )
    if request.method == "POST" and form.is_valid():
        new_branch: CountyBranch = form.cleaned_data["branch"]
        if _save(
            form,
            lambda: services.county_move(actor=request.user, county=county, branch=new_branch),
        ):
            messages.success(
                request,
                _("%(county)s hører nå til %(branch)s.") % {"county": county.name, "branch": new_branch.name},
            )
            return redirect("municipalities:branch_list")
    return render(
        request,
        "municipalities/county_form.html",
        {"form": form, "county": county, **_history(request.user, county)},
    )


@require(can_view_municipalities)
def municipality_list(request):
    counties = list(selectors.county_list(user=request.user))
    form = MunicipalityFilterForm(request.GET or None, counties=counties)
    filters = form.filters() if request.GET else {}
    rows = selectors.municipality_rows(user=request.user, **filters)
    page = paginate(request, rows, per_page=MUNICIPALITIES_PER_PAGE)
    municipalities = list(page.object_list)
    for row in municipalities:
        row["branch_short_name"] = branch_short_name(row["branch_name"]) if row["branch_name"] else ""
    return render(
        request,
        "municipalities/municipality_list.html",
        {"form": form, "page": page, "municipalities": municipalities},
    )


@require(can_manage_reference_data)
@require_http_methods(["GET", "POST"])
def municipality_update(request, pk: int):
    municipality = selectors.municipality_for_edit(user=request.user, pk=pk)
    if municipality is None:
        raise Http404
    initial = {"is_member": municipality.is_member, "email": municipality.email}
    form = MunicipalityForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if _save(
            form,
            lambda: services.municipality_update(
                actor=request.user, municipality=municipality, **form.cleaned_data
            ),
        ):
            messages.success(request, _("%(name)s er oppdatert.") % {"name": municipality.name})
            return redirect("municipalities:municipality_list")
    return render(
        request,
        "municipalities/municipality_form.html",
        {"form": form, "municipality": municipality, **_history(request.user, municipality)},
    )
