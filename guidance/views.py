"""Thin views: scoped selector, form, one service, redirect. Out of scope answers 404."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.permissions import is_leadership
from core.dates import date_display
from core.forms import form_apply_error
from core.pagination import paginate
from core.permissions import check_or_404, require
from programs.exports import export_filename
from programs.models import MunicipalGroupMember, RegionalProgram
from programs.selectors import regional_program_municipalities

from . import exports, selectors, services
from .calendar import advisor_feed_ics
from .forms import (
    AgreementCreateForm,
    AgreementForm,
    DeclineForm,
    PlanCommentForm,
    PlanRevisionForm,
    RegionPeriodForm,
    SessionLogForm,
)
from .models import CalendarFeed, DevelopmentPlanRevision
from .permissions import (
    can_comment_plan,
    can_log_session,
    can_revise_plan,
    can_view_internal,
    has_guidance_role,
    is_guidance_advisor,
)


def _regional_program(pk: int) -> RegionalProgram:
    rp = RegionalProgram.objects.select_related("program").filter(pk=pk).first()
    if rp is None:
        raise Http404
    return rp


def _members_qs(agreement):
    """The municipal group's members, to pick as participants."""
    return MunicipalGroupMember.objects.filter(
        group__regional_program_id=agreement.regional_program_id,
        group__municipality_id=agreement.municipality_id,
    ).order_by("-is_coordinator", "name")


# --- lists ---------------------------------------------------------------------------------------------


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


# --- one agreement ---------------------------------------------------------------------------------------


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
    rp = _regional_program(rp_id)
    taken = rp.guidance_agreements.values_list("municipality_id", flat=True)
    municipalities = regional_program_municipalities(regional_program=rp).exclude(pk__in=taken)
    chosen = _ascii_id(request.GET.get("kommune"))
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
            _warn_beyond_programme(request, rp, agreement.ends_on)
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
            _warn_beyond_programme(request, agreement.regional_program, agreement.ends_on)
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


# --- leadership: one page per region ---------------------------------------------------------------------


def _ascii_id(value) -> int | None:
    """A posted id as an int, or None for anything but 1–18 ASCII digits (no 500 on "²" or a huge number)."""
    text = str(value or "")
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 18 else None


def _warn_beyond_programme(request, rp, ends_on) -> None:
    """A period reaching past the programme's last semester is allowed, but said (non-blocking)."""
    last = selectors.programme_last_day(regional_program=rp)
    if ends_on and last and ends_on > last:
        messages.warning(
            request,
            _(
                "Avtaleperioden varer til %(end)s, men programmets siste semester slutter %(last)s. "
                "Sjekk om perioden er riktig."
            )
            % {"end": date_display(ends_on), "last": date_display(last)},
        )


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
    rp = _regional_program(rp_id)
    advisors = list(selectors.advisors_all())
    agreements = {
        a.municipality_id: selectors.decorate(a)
        for a in selectors.with_hours(selectors.agreements_for(user=request.user).filter(regional_program=rp))
    }
    extra_id = request.POST.get("add_municipality") or request.GET.get("legg_til")
    participants = list(selectors.region_participants(regional_program=rp))
    region_municipalities = regional_program_municipalities(regional_program=rp)
    extra_id = _ascii_id(extra_id)
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
            chosen = [
                by_id[i] for i in map(_ascii_id, request.POST.getlist(f"advisors-{m.pk}")) if i in by_id
            ]
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
                _warn_beyond_programme(request, rp, period.cleaned_data.get("ends_on"))
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
            {i for i in map(_ascii_id, request.POST.getlist(f"advisors-{m.pk}")) if i}
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
    from .models import minutes_to_hours

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


@require(is_leadership)
def overview(request, rp_id: int):
    rp = _regional_program(rp_id)
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
    rp = _regional_program(rp_id)
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


# --- sessions (advisors) ---------------------------------------------------------------------------------


def _over_frame_message(request, result) -> None:
    from .models import minutes_to_hours

    if result.over_frame:
        messages.warning(
            request,
            _(
                "Møtet er lagret, men avtalen er nå over rammen: %(used)s av %(agreed)s timer er brukt. "
                "Ta det opp med programledelsen."
            )
            % {
                "used": number_format(minutes_to_hours(result.used_minutes), 1),
                "agreed": number_format(minutes_to_hours(result.agreed_minutes), 1),
            },
        )


def _revisions_qs(agreement):
    return DevelopmentPlanRevision.objects.filter(
        plan__regional_program_id=agreement.regional_program_id,
        plan__municipality_id=agreement.municipality_id,
    ).order_by("-number")


@require(is_guidance_advisor)
def session_create(request, pk: int):
    agreement = selectors.agreement_get(user=request.user, pk=pk)
    check_or_404(can_log_session, request.user, agreement)
    form = SessionLogForm(
        request.POST or None,
        members_qs=_members_qs(agreement),
        revisions_qs=_revisions_qs(agreement),
        initial={"held_on": min(max(timezone.localdate(), agreement.starts_on), agreement.ends_on)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            result = services.session_create(actor=request.user, agreement=agreement, **form.service_kwargs())
        except ValidationError as exc:
            form_apply_error(form, exc, {"next_session_at": "next_date"})
        else:
            messages.success(request, _("Veiledningsmøtet er ført."))
            _over_frame_message(request, result)
            _next_after_end_message(request, result.session, agreement)
            return redirect("guidance:agreement_detail", pk=agreement.pk)
    return render(
        request, "guidance/session_form.html", {"form": form, "agreement": agreement, "session": None}
    )


def _next_after_end_message(request, session, agreement) -> None:
    """A next meeting after the agreement ends is saved, but said (the agreement may need extending)."""
    if session.next_session_at and timezone.localdate(session.next_session_at) > agreement.ends_on:
        messages.warning(
            request,
            _(
                "Neste møte (%(next)s) er etter at avtalen slutter %(end)s. Avtalen må forlenges, "
                "ellers kan møtet ikke føres."
            )
            % {"next": date_display(session.next_session_at), "end": date_display(agreement.ends_on)},
        )


@require(is_guidance_advisor)
def session_update(request, pk: int):
    session = selectors.session_get_for_change(user=request.user, pk=pk)
    agreement = selectors.agreement_get(user=request.user, pk=session.agreement_id)
    form = SessionLogForm(
        request.POST or None,
        members_qs=_members_qs(agreement),
        revisions_qs=_revisions_qs(agreement),
        initial=SessionLogForm.initial_from(session),
    )
    if request.method == "POST" and form.is_valid():
        try:
            result = services.session_update(actor=request.user, session=session, **form.service_kwargs())
        except ValidationError as exc:
            form_apply_error(form, exc, {"next_session_at": "next_date"})
        else:
            messages.success(request, _("Endringene er lagret."))
            _over_frame_message(request, result)
            _next_after_end_message(request, result.session, agreement)
            return redirect("guidance:agreement_detail", pk=agreement.pk)
    return render(
        request, "guidance/session_form.html", {"form": form, "agreement": agreement, "session": session}
    )


@require(is_guidance_advisor)
def session_delete(request, pk: int):
    session = selectors.session_get_for_change(user=request.user, pk=pk)
    if request.method == "POST":
        agreement_id = session.agreement_id
        services.session_delete(actor=request.user, session=session)
        messages.success(request, _("Veiledningsmøtet er slettet."))
        return redirect("guidance:agreement_detail", pk=agreement_id)
    return render(request, "guidance/session_confirm_delete.html", {"session": session})


# --- the development plan --------------------------------------------------------------------------------


@require(has_guidance_role)
def plan_detail(request, pk: int):
    agreement = selectors.agreement_get(user=request.user, pk=pk)
    plan = selectors.plan_for(agreement=agreement)
    first, current = selectors.plan_first_and_current(plan=plan)
    page = paginate(request, selectors.plan_revisions(plan=plan), per_page=10)
    return render(
        request,
        "guidance/plan_detail.html",
        {
            "agreement": agreement,
            "plan": plan,
            "first": first,
            "current": current,
            "page": page,
            "can_revise": can_revise_plan(request.user, agreement),
            "can_comment": can_comment_plan(request.user, agreement),
            "comment_form": PlanCommentForm(),
        },
    )


@require(has_guidance_role)
def plan_revise(request, pk: int):
    agreement = selectors.agreement_get(user=request.user, pk=pk)
    check_or_404(can_revise_plan, request.user, agreement)
    _first, current = selectors.plan_first_and_current(plan=selectors.plan_for(agreement=agreement))
    initial = {}
    if current is not None:
        initial = {name: getattr(current, name) for name in services.PLAN_FIELDS if name != "change_note"}
    form = PlanRevisionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_revise(actor=request.user, agreement=agreement, data=form.cleaned_data)
        except ValidationError as exc:
            form_apply_error(form, exc)
        else:
            messages.success(
                request,
                _("Utviklingsplanen er lagret som en ny versjon. Tidligere versjoner er tatt vare på."),
            )
            return redirect("guidance:plan_detail", pk=agreement.pk)
    return render(
        request, "guidance/plan_form.html", {"form": form, "agreement": agreement, "current": current}
    )


@require(has_guidance_role)
@require_POST
def plan_comment(request, pk: int, revision_id: int):
    agreement = selectors.agreement_get(user=request.user, pk=pk)
    check_or_404(can_comment_plan, request.user, agreement)
    revision = _revisions_qs(agreement).filter(pk=revision_id).select_related("plan").first()
    if revision is None:
        raise Http404
    form = PlanCommentForm(request.POST)
    if form.is_valid():
        services.plan_comment_add(
            actor=request.user, agreement=agreement, revision=revision, text=form.cleaned_data["text"]
        )
        messages.success(request, _("Kommentaren er lagret."))
    else:
        messages.error(request, _("Kommentaren kan ikke være tom eller lengre enn 4000 tegn."))
    return redirect(reverse("guidance:plan_detail", args=[agreement.pk]) + f"#versjon-{revision.number}")


# --- the advisor's calendar feed -------------------------------------------------------------------------


@require(is_guidance_advisor)
def calendar_settings(request):
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            services.calendar_feed_revoke(actor=request.user)
            messages.success(
                request, _("Kalenderadressen er slettet. Den gamle adressen virker ikke lenger.")
            )
        else:
            services.calendar_feed_renew(actor=request.user)
            messages.success(
                request,
                _("Du har fått en ny kalenderadresse. En eventuell gammel adresse virker ikke lenger."),
            )
        return redirect("guidance:calendar_settings")
    feed = CalendarFeed.objects.filter(user=request.user).first()
    url = request.build_absolute_uri(reverse("guidance:calendar_feed", args=[feed.token])) if feed else ""
    return render(request, "guidance/calendar_settings.html", {"feed": feed, "feed_url": url})


@require_GET
def calendar_feed(request, token: str):
    """The secret address a calendar app subscribes to; no login, so the token is the only key."""
    feed = selectors.feed_by_token(token)
    if feed is None:
        raise Http404
    sessions = selectors.planned_sessions_for_feed(user=feed.user)
    body = advisor_feed_ics(
        sessions, name=_("Veiledningsmøter – %(name)s") % {"name": feed.user.get_full_name()}
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response
