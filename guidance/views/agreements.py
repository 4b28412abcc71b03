"""Agreements: the list, one agreement, and leadership's create, change, decline and one page per region that
assigns advisors and hours."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from accounts.permissions import is_leadership
from core.forms import form_apply_error
from core.pagination import paginate
from core.permissions import require
from programs.selectors import regional_program_municipalities

from .. import selectors, services
from ..forms import AgreementCreateForm, AgreementForm, DeclineForm, RegionPeriodForm
from ..permissions import (
    can_log_session,
    can_revise_plan,
    can_view_internal,
    has_guidance_role,
    is_guidance_advisor,
)
from .common import ascii_id, regional_program_or_404, warn_beyond_programme


@require(has_guidance_role)
def home(request):
    page = paginate(request, selectors.agreement_list(user=request.user))
    now = timezone.now()
    for agreement in page:
        selectors.decorate(agreement, now=now)
    context = {
        "page": page,
        "is_leadership": is_leadership(request.user),
        "is_advisor": is_guidance_advisor(request.user),
        "regional_programs": list(selectors.regional_programs_with_agreements())
        if is_leadership(request.user)
        else [],
    }
    return render(request, "guidance/home.html", context)


@require(has_guidance_role)
def agreement_detail(request, pk: int):
    agreement = selectors.agreement_get(user=request.user, pk=pk)
    sessions = paginate(request, selectors.sessions_for(user=request.user, agreement=agreement), per_page=20)
    plan = selectors.plan_for(agreement=agreement)
    _first, current = selectors.plan_first_and_current(plan=plan)
    internal = can_view_internal(request.user, agreement)
    context = {
        "agreement": agreement,
        "page": sessions,
        "plan_current": current,
        "can_log": can_log_session(request.user, agreement),
        "can_manage": is_leadership(request.user),
        "can_revise_plan": can_revise_plan(request.user, agreement),
        "user_id": request.user.pk,
    }
    # Two templates: the municipality's never has the internal note in it at all.
    template = "guidance/agreement_detail.html" if internal else "guidance/agreement_municipality.html"
    return render(request, template, context)


@require(is_leadership)
def agreement_create(request, rp_id: int):
    rp = regional_program_or_404(rp_id)
    taken = rp.guidance_agreements.values_list("municipality_id", flat=True)
    municipalities = regional_program_municipalities(regional_program=rp).exclude(pk__in=taken)
    chosen = ascii_id(request.GET.get("kommune"))
    initial = {"municipality": chosen} if chosen else {}
    form = AgreementCreateForm(
        request.POST or None,
        advisors_qs=selectors.advisors_all(),
        municipalities_qs=municipalities,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            agreement = services.agreement_create(
                actor=request.user,
                regional_program=rp,
                municipality=form.cleaned_data["municipality"],
                data=form.service_data(),
                advisors=form.cleaned_data["advisors"],
            )
        except ValidationError as exc:
            form_apply_error(form, exc)
        else:
            messages.success(request, _("Veiledningsavtalen er opprettet."))
            warn_beyond_programme(request, rp, agreement.ends_on)
            return redirect("guidance:agreement_detail", pk=agreement.pk)
    return render(
        request, "guidance/agreement_form.html", {"form": form, "regional_program": rp, "agreement": None}
    )


@require(is_leadership)
def agreement_update(request, pk: int):
    agreement = selectors.agreement_get(user=request.user, pk=pk)
    form = AgreementForm(request.POST or None, advisors_qs=selectors.advisors_all(), instance=agreement)
    if request.method == "POST" and form.is_valid():
        try:
            services.agreement_update(
                actor=request.user,
                agreement=agreement,
                data=form.service_data(),
                advisors=form.cleaned_data["advisors"],
            )
        except ValidationError as exc:
            form_apply_error(form, exc)
        else:
            messages.success(request, _("Endringene er lagret."))
            warn_beyond_programme(request, agreement.regional_program, agreement.ends_on)
            return redirect("guidance:agreement_detail", pk=agreement.pk)
    return render(
        request,
        "guidance/agreement_form.html",
        {"form": form, "regional_program": agreement.regional_program, "agreement": agreement},
    )


@require(is_leadership)
def agreement_decline(request, pk: int):
    agreement = selectors.agreement_get(user=request.user, pk=pk)
    form = DeclineForm(request.POST or None, initial={"declined_on": timezone.localdate()})
    if request.method == "POST":
        if request.POST.get("undo") == "1":
            services.agreement_decline(actor=request.user, agreement=agreement, declined_on=None)
            messages.success(request, _("Avslaget er fjernet. Avtalen gjelder igjen."))
            return redirect("guidance:agreement_detail", pk=agreement.pk)
        if form.is_valid():
            services.agreement_decline(
                actor=request.user,
                agreement=agreement,
                declined_on=form.cleaned_data["declined_on"],
                note=form.cleaned_data["note"],
            )
            messages.success(request, _("Registrert at kommunen takket nei til veiledning."))
            return redirect("guidance:agreement_detail", pk=agreement.pk)
    return render(request, "guidance/agreement_decline.html", {"form": form, "agreement": agreement})


def _hours_display(value) -> str:
    """Hours as the UI writes them, «12,5» (no thousands separator, so it reads back as typed)."""
    return number_format(value, decimal_pos=1, force_grouping=False)


def _hours_value(raw: str):
    from decimal import Decimal, InvalidOperation

    raw = (raw or "").strip().replace(",", ".").replace("\u00a0", "").replace(" ", "")
    if not raw:
        return Decimal("0")
    try:
        value = Decimal(raw)
    except InvalidOperation:
        return None
    return (
        value
        if Decimal("0") <= value <= Decimal("9999") and value == value.quantize(Decimal("0.1"))
        else None
    )


@require(is_leadership)
def region_assign(request, rp_id: int):
    rp = regional_program_or_404(rp_id)
    advisors = list(selectors.advisors_all())
    agreements = {
        a.municipality_id: selectors.decorate(a)
        for a in selectors.with_hours(selectors.agreements_for(user=request.user).filter(regional_program=rp))
    }
    extra_id = request.POST.get("add_municipality") or request.GET.get("legg_til")
    participants = list(selectors.region_participants(regional_program=rp))
    region_municipalities = regional_program_municipalities(regional_program=rp)
    extra_id = ascii_id(extra_id)
    if extra_id and extra_id not in {m.pk for m in participants}:
        extra = region_municipalities.filter(pk=extra_id).first()
        if extra is not None:
            participants.append(extra)
    addable = region_municipalities.exclude(pk__in=[m.pk for m in participants])
    period = RegionPeriodForm(request.POST or None, addable_qs=addable)
    errors: dict[int, str] = {}
    if request.method == "POST" and "save" in request.POST:
        # Every error in one round: the period's and each row's, together.
        period_ok = period.is_valid()
        by_id = {a.pk: a for a in advisors}
        rows = []
        for m in participants:
            chosen = [by_id[i] for i in map(ascii_id, request.POST.getlist(f"advisors-{m.pk}")) if i in by_id]
            hours = _hours_value(request.POST.get(f"hours-{m.pk}", ""))
            if hours is None:
                errors[m.pk] = _("Timer må være et tall fra 0 til 9999 med høyst én desimal.")
                continue
            if hours > 0 and not chosen:
                errors[m.pk] = _("Velg minst én veileder når kommunen får timer.")
                continue
            rows.append(services.AssignmentRow(municipality=m, advisors=chosen, agreed_hours=hours))
        if period_ok and not errors:
            try:
                touched = services.region_assign(
                    actor=request.user,
                    regional_program=rp,
                    rows=rows,
                    starts_on=period.cleaned_data.get("starts_on"),
                    ends_on=period.cleaned_data.get("ends_on"),
                )
            except ValidationError as exc:
                form_apply_error(period, exc)
            else:
                messages.success(
                    request, _("Lagret. %(n)s avtaler ble opprettet eller endret.") % {"n": touched}
                )
                warn_beyond_programme(request, rp, period.cleaned_data.get("ends_on"))
                return redirect("guidance:region_assign", rp_id=rp.pk)
    # Who has how many, and their hours, across this region.
    load = {a.pk: {"advisor": a, "count": 0, "agreed": 0, "used": 0} for a in advisors}
    for agreement in agreements.values():
        if agreement.declined_on:
            continue
        for person in agreement.advisors.all():
            if person.pk in load:
                load[person.pk]["count"] += 1
                load[person.pk]["agreed"] += agreement.agreed_minutes
    rows = []
    for m in participants:
        agreement = agreements.get(m.pk)
        posted = request.method == "POST" and "save" in request.POST
        chosen = (
            {i for i in map(ascii_id, request.POST.getlist(f"advisors-{m.pk}")) if i}
            if posted
            else ({p.pk for p in agreement.advisors.all()} if agreement else set())
        )
        hours = (
            request.POST.get(f"hours-{m.pk}", "")
            if posted
            else (_hours_display(agreement.agreed_hours) if agreement else "")
        )
        rows.append(
            {
                "municipality": m,
                "agreement": agreement,
                "chosen": chosen,
                "hours": hours,
                "error": errors.get(m.pk),
            }
        )
    from ..models import minutes_to_hours

    load_rows = [
        {**v, "agreed_hours": minutes_to_hours(v["agreed"])}
        for v in sorted(load.values(), key=lambda v: v["advisor"].get_full_name())
    ]
    return render(
        request,
        "guidance/region_assign.html",
        {
            "regional_program": rp,
            "rows": rows,
            "advisors": advisors,
            "load": load_rows,
            "period": period,
            "has_errors": bool(errors),
        },
    )
