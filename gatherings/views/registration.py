"""Registration (coordinators, pre-gatherings), participants, exports, name tags and attendance."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.permissions import is_leadership, role_scope
from core.forms import form_apply_error
from core.once import saving_once, submits_once
from core.pagination import paginate
from core.permissions import check_or_404, require
from programs.selectors import regional_program_municipalities
from programs.services.groups import municipal_group_member_save

from .. import exports, selectors, services
from ..forms import GroupMemberForm, GroupRegistrationForm, PreRegistrationForm
from ..models import Registration, RegistrationStatus
from ..permissions import (
    can_see_gatherings,
    can_see_participants,
    coordinates_group,
    may_see_needs,
    region_branch_ids,
)
from .common import attempt, post_only, sector_labels


def _group_for(request, gathering, group_id: int):
    """The group, if the user coordinates it (or is leadership); 404 otherwise."""
    group = get_object_or_404(selectors.groups_of(regional_program=gathering.regional_program), pk=group_id)
    if not (is_leadership(request.user) or coordinates_group(request.user, group)):
        raise Http404
    return group


@require(can_see_gatherings)
def register_group(request, pk: int, group_id: int):
    gathering = selectors.gathering_get(user=request.user, pk=pk)
    if gathering.is_pre_gathering:
        return redirect("gatherings:pre_register", pk=pk)
    group = _group_for(request, gathering, group_id)
    members = selectors.group_members(group=group)
    registrations = selectors.registrations_by_member(gathering=gathering, group=group)
    form = GroupRegistrationForm(request.POST or None, members=members, registrations=registrations)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.group_registrations_save(
                actor=request.user, gathering=gathering, group=group, answers=form.answers()
            )
        except ValidationError as exc:
            form_apply_error(form, exc)
        else:
            messages.success(request, _("Svarene er lagret."))
            if result.waitlisted:
                messages.warning(
                    request,
                    _(
                        "Samlingen er full. På ventelisten: %(names)s. Dere får e-post hvis det blir ledig plass."
                    )
                    % {"names": ", ".join(result.waitlisted)},
                )
            if "add_member" in request.POST:
                return redirect("gatherings:member_add", pk=pk, group_id=group.pk)
            return redirect("gatherings:register", pk=pk, group_id=group.pk)
    return render(
        request,
        "gatherings/register_group.html",
        {
            "gathering": gathering,
            "group": group,
            "form": form,
            "registrations": registrations,
            "is_open": gathering.registration_open() or is_leadership(request.user),
            "member_form": GroupMemberForm(),
        },
    )


@require(can_see_gatherings)
@submits_once
def group_member_add(request, pk: int, group_id: int):
    gathering = selectors.gathering_get(user=request.user, pk=pk)
    group = _group_for(request, gathering, group_id)
    form = GroupMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with saving_once(request) as once:
                member = municipal_group_member_save(actor=request.user, group=group, data=form.cleaned_data)
                once.made(reverse("gatherings:register", args=[pk, group.pk]))
        except ValidationError as exc:  # the e-mail is in the group already, or the group is full
            form_apply_error(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s er lagt til i kommunegruppen. Svar for personen nedenfor.")
                % {"name": member.name},
            )
            return redirect("gatherings:register", pk=pk, group_id=group.pk)
    return render(
        request, "gatherings/group_member_form.html", {"gathering": gathering, "group": group, "form": form}
    )


def _pre_municipalities(request, gathering):
    """The region's member municipalities this user may register people from."""
    qs = regional_program_municipalities(regional_program=gathering.regional_program)
    if is_leadership(request.user):
        return qs
    scope = role_scope(request.user)
    branches = scope.branch_ids & region_branch_ids(gathering.regional_program)
    return qs.filter(Q(pk__in=scope.municipality_ids) | Q(county__branch_id__in=branches))


@require(can_see_gatherings)
def pre_register(request, pk: int):
    gathering = selectors.gathering_get(user=request.user, pk=pk)
    if not gathering.is_pre_gathering:
        raise Http404
    municipalities = _pre_municipalities(request, gathering)
    if not municipalities.exists():
        raise Http404
    form = PreRegistrationForm(request.POST or None, municipalities=municipalities)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        municipality = data.pop("municipality")
        try:
            row = services.pre_registration_add(
                actor=request.user, gathering=gathering, municipality=municipality, data=data
            )
        except ValidationError as exc:
            form_apply_error(form, exc)
        else:
            if row.status == RegistrationStatus.WAITLISTED:
                messages.warning(
                    request, _("Presamlingen er full: %(name)s står på ventelisten.") % {"name": row.name}
                )
            else:
                messages.success(request, _("%(name)s er meldt på.") % {"name": row.name})
            return redirect("gatherings:pre_register", pk=pk)
    registrations = paginate(
        request,
        Registration.objects.filter(gathering=gathering, municipality__in=municipalities)
        .select_related("municipality")
        .order_by("municipality__name", "name", "id"),
    )
    return render(
        request,
        "gatherings/pre_register.html",
        {
            "gathering": gathering,
            "form": form,
            "page": registrations,
            "is_open": gathering.registration_open(),
        },
    )


@require(can_see_gatherings)
@post_only("gatherings:pre_register", "pk")
def registration_withdraw(request, pk: int, registration_id: int):
    gathering = selectors.gathering_get(user=request.user, pk=pk)
    row = get_object_or_404(
        Registration.objects.filter(
            gathering=gathering, municipality__in=_pre_municipalities(request, gathering)
        ),
        pk=registration_id,
    )
    attempt(
        request,
        lambda: services.registration_withdraw(actor=request.user, registration=row),
        _("%(name)s er meldt av.") % {"name": row.name},
    )
    return redirect("gatherings:pre_register", pk=pk)


# --- leadership: participants, export, name tags, attendance -------------------------------------------


@require(can_see_gatherings)
@require_GET
def participants(request, pk: int):
    gathering = selectors.gathering_for_people_lists_get(user=request.user, pk=pk)
    check_or_404(can_see_participants, request.user, gathering)
    leadership = is_leadership(request.user)
    page = paginate(
        request,
        selectors.registration_rows(
            gathering=gathering, statuses=[RegistrationStatus.ATTENDING, RegistrationStatus.WAITLISTED]
        ),
        per_page=100,
    )
    # the page's rows come registered first, then the waiting list in its order: shown as two tables
    rows = list(page.object_list)
    return render(
        request,
        "gatherings/participants.html",
        {
            "gathering": gathering,
            "page": page,
            "registered": [r for r in rows if r["status"] != RegistrationStatus.WAITLISTED],
            "waiting": [r for r in rows if r["status"] == RegistrationStatus.WAITLISTED],
            "totals": selectors.participant_totals(gathering=gathering),
            "sectors": sector_labels(),
            "can_see_needs": may_see_needs(request.user),
            "can_manage": leadership,
        },
    )


@require(is_leadership)
@require_GET
def participants_export(request, pk: int, fmt: str):
    gathering = selectors.gathering_get(user=request.user, pk=pk)
    rows = selectors.registrations_of(gathering=gathering).exclude(status=RegistrationStatus.NOT_ATTENDING)
    if fmt == "csv":
        body = exports.participants_csv(rows, gathering=gathering, sectors=sector_labels(), with_needs=True)
        response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        body = exports.participants_xlsx(rows, gathering=gathering, sectors=sector_labels(), with_needs=True)
        response = HttpResponse(
            body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    else:
        raise Http404
    response["Content-Disposition"] = (
        f'attachment; filename="{exports.participants_filename(gathering, fmt)}"'
    )
    return response


@require(is_leadership)
@require_GET
def name_tags(request, pk: int):
    gathering = selectors.gathering_get(user=request.user, pk=pk)
    if gathering.is_cancelled:
        raise Http404
    rows = selectors.registrations_of(gathering=gathering).filter(status=RegistrationStatus.ATTENDING)
    return render(
        request,
        "gatherings/name_tags.html",
        {"gathering": gathering, "registrations": rows, "sectors": sector_labels()},
    )


@require(is_leadership)
@require_GET
def attendance(request, pk: int):
    gathering = selectors.gathering_for_people_lists_get(user=request.user, pk=pk)
    page = paginate(
        request,
        selectors.registration_rows(gathering=gathering, statuses=[RegistrationStatus.ATTENDING]),
        per_page=100,
    )
    return render(
        request,
        "gatherings/attendance.html",
        {"gathering": gathering, "page": page, "attendance_open": gathering.attendance_is_open()},
    )


@require(is_leadership)
@post_only("gatherings:attendance", "pk")
def attendance_mark(request, pk: int, registration_id: int):
    gathering = selectors.gathering_get(user=request.user, pk=pk)
    row = get_object_or_404(Registration.objects.filter(gathering=gathering), pk=registration_id)
    value = {"1": True, "0": False, "": None}.get(request.POST.get("attended", ""), None)
    try:
        services.attendance_mark(actor=request.user, registration=row, attended=value)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    side = request.POST.get("side", "")
    target = redirect("gatherings:attendance", pk=pk)
    if side.isascii() and side.isdigit():
        target["Location"] += f"?side={side}"
    target["Location"] += f"#r{row.pk}"
    return target
