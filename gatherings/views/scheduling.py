"""Regional programme pages, scheduling, the gathering page, preparation files and the .ics file."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from accounts.permissions import is_leadership, role_scope
from core.draft_views import Target, draft_discard, draft_initial, keeps_drafts
from core.forms import form_apply_error
from core.once import saving_once, submits_once
from core.pagination import paginate
from core.permissions import require
from programs.permissions import can_see_region_report
from programs.selectors import regional_program_municipalities

from .. import selectors, services
from ..calendar import gathering_ics
from ..forms import CancelForm, FileForm, GatheringForm, SemesterForm
from ..models import GatheringStatus, Semester
from ..permissions import (
    advised,
    can_see_gatherings,
    can_see_participants,
    region_branch_ids,
    sees_region_gatherings,
)
from ..services import notices
from ..timeline import timeline
from ..warnings import gathering_warnings, semester_warnings
from .common import attempt, file_response, post_only


@require(can_see_gatherings)
@require_GET
def index(request):
    page = paginate(request, selectors.regional_programs_for(request.user))
    upcoming = selectors.upcoming_gatherings_for(request.user, limit=10)
    cancelled = selectors.cancelled_upcoming_for(request.user, limit=10)
    return render(
        request,
        "gatherings/index.html",
        {
            "page": page,
            "upcoming": upcoming,
            "cancelled": cancelled,
            "coordinates": bool(role_scope(request.user).municipality_ids),
            "waiting": selectors.hand_ins_waiting_for(request.user),
        },
    )


@require(can_see_gatherings)
@require_GET
def program_page(request, rp_id: int):
    """The regional programme: timeline, gatherings with warnings (leadership), and per municipality what it
    registered for, attended and handed in."""
    region = selectors.regional_program_get(user=request.user, pk=rp_id)
    semesters = selectors.semesters_of(regional_program=region)
    gatherings = list(selectors.gatherings_of(regional_program=region, user=request.user))
    leadership = is_leadership(request.user)
    scope = role_scope(request.user)
    sees_overview = (
        leadership
        or any(rp == region.pk for rp, _m in advised(request.user))
        or bool(scope.branch_ids & region_branch_ids(region))
    )
    rows = [(g, gathering_warnings(g, siblings=gatherings) if leadership else []) for g in gatherings]
    overview = paginate(request, selectors.group_overview(regional_program=region)) if sees_overview else None
    own_groups = (
        list(selectors.groups_coordinated_by(request.user, regional_program=region)) if not leadership else []
    )
    return render(
        request,
        "gatherings/program_page.html",
        {
            "region": region,
            "semesters": semesters,
            "semester_warnings": _semester_warning_rows(semesters, gatherings) if leadership else [],
            "rows": rows,
            "timeline": timeline(semesters=semesters, gatherings=gatherings),
            "overview": overview,
            "page": overview,
            "own_groups": own_groups,
            "can_manage": leadership,
            "can_see_report": can_see_region_report(request.user, region),
            "sees_gatherings": sees_region_gatherings(request.user, region),
            "gathering_count": len(gatherings),
        },
    )


def _semester_warning_rows(semesters, gatherings):
    found = semester_warnings(semesters, gatherings)
    return [(s, found[s.pk]) for s in semesters if s.pk in found]


@require(is_leadership)
def semesters(request, rp_id: int, semester_id: int | None = None):
    region = selectors.regional_program_get(user=request.user, pk=rp_id)
    semester = get_object_or_404(Semester, pk=semester_id, regional_program=region) if semester_id else None
    initial = {n: getattr(semester, n) for n in services.SEMESTER_FIELDS} if semester else None
    form = SemesterForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.semester_save(
                actor=request.user, regional_program=region, semester=semester, data=form.cleaned_data
            )
        except ValidationError as exc:
            form_apply_error(form, exc)
        else:
            messages.success(request, _("Semesteret er lagret."))
            return redirect("gatherings:semesters", rp_id=region.pk)
    return render(
        request,
        "gatherings/semesters.html",
        {
            "region": region,
            "semesters": selectors.semesters_of(regional_program=region),
            "form": form,
            "semester": semester,
        },
    )


# What leadership types into a gathering (preparation, between-work…) is kept if the login ran out before saving.
GATHERING_DRAFT_FIELDS = tuple(GatheringForm.base_fields) + ("reason",)


def gathering_new_draft_key(rp_id: int) -> str:
    return f"gatherings.gathering:new:{rp_id}"


def gathering_draft_key(pk: int) -> str:
    return f"gatherings.gathering:{pk}"


def gathering_create_target(person, rp_id: int) -> Target | None:
    if not is_leadership(person):
        return None
    selectors.regional_program_get(user=person, pk=rp_id)
    return gathering_new_draft_key(rp_id), GATHERING_DRAFT_FIELDS


def gathering_edit_target(person, pk: int) -> Target | None:
    if not is_leadership(person):
        return None
    selectors.gathering_get(user=person, pk=pk)
    return gathering_draft_key(pk), GATHERING_DRAFT_FIELDS


def _gathering_form(request, region, *, draft_key: str, initial=None, with_reason=False):
    if request.method != "POST":
        initial = draft_initial(request, initial or {}, form_key=draft_key, fields=GATHERING_DRAFT_FIELDS)
    return GatheringForm(
        request.POST or None,
        initial=initial,
        semesters=Semester.objects.filter(regional_program=region).order_by("starts_on"),
        municipalities=regional_program_municipalities(regional_program=region, members_only=False),
        with_reason=with_reason,
        new=not with_reason,
    )


# The create form's second button: saves despite the warnings it was shown (their codes are its value, so a
# warning that was not shown yet stops the save once more).
CONFIRM_FIELD = "lagre_likevel"


def _warning_codes(warnings) -> str:
    return ",".join(sorted({w.code for w in warnings}))


def _warnings_so_far(form, region) -> list:
    """For a new gathering whose form has errors: the warnings of what is valid in it, so leadership sees them
    with the errors instead of on the next submit. Every warning hangs on the start (a past or missing one gives
    none); an end with an error is taken as the start, a field with an error as left empty."""
    data = {name: form.cleaned_data[name] for name in services.GATHERING_FIELDS if name in form.cleaned_data}
    starts = data.get("starts_at")
    if starts is None:
        return []
    data.setdefault("ends_at", starts)
    draft = services.gathering_draft(regional_program=region, data=data)
    return gathering_warnings(draft, siblings=list(selectors.gatherings_of(regional_program=region)))


@keeps_drafts(gathering_create_target)
@require(is_leadership)
@submits_once
def gathering_create(request, rp_id: int):
    """One step, or two when the new gathering has warnings: they are shown on the form, with everything typed,
    before anything is saved or anyone invited; «Lagre likevel» then saves. A form with errors shows the
    warnings of its valid fields too, with «Lagre likevel», so fixing the errors and confirming is one step."""
    region = selectors.regional_program_get(user=request.user, pk=rp_id)
    form = _gathering_form(
        request, region, draft_key=gathering_new_draft_key(rp_id), initial={"kind": "gathering"}
    )
    warnings: list = []
    if request.method == "POST":
        if form.is_valid():
            draft = services.gathering_draft(regional_program=region, data=form.service_data())
            warnings = gathering_warnings(
                draft, siblings=list(selectors.gatherings_of(regional_program=region))
            )
            if not warnings or request.POST.get(CONFIRM_FIELD) == _warning_codes(warnings):
                try:
                    with saving_once(request) as once:
                        gathering = services.gathering_schedule(
                            actor=request.user, regional_program=region, data=form.service_data()
                        )
                        once.made(reverse("gatherings:detail", args=[gathering.pk]))
                except ValidationError as exc:
                    form_apply_error(form, exc)
                else:
                    draft_discard(request, form_key=gathering_new_draft_key(rp_id))
                    messages.success(request, _scheduled_text(gathering, region))
                    return redirect("gatherings:detail", pk=gathering.pk)
        if form.errors:
            warnings = _warnings_so_far(form, region)
    context = {"region": region, "form": form, "gathering": None, "warnings": warnings}
    if warnings:
        context.update(confirm_field=CONFIRM_FIELD, confirm_codes=_warning_codes(warnings))
    return render(request, "gatherings/gathering_form.html", context)


@keeps_drafts(gathering_edit_target)
@require(is_leadership)
def gathering_edit(request, pk: int):
    gathering = selectors.gathering_get(user=request.user, pk=pk)
    if gathering.is_cancelled:
        messages.info(request, _("Samlingen er avlyst og kan ikke endres."))
        return redirect("gatherings:detail", pk=pk)
    region = gathering.regional_program
    initial = {n: getattr(gathering, n) for n in services.GATHERING_FIELDS}
    form = _gathering_form(
        request, region, draft_key=gathering_draft_key(pk), initial=initial, with_reason=True
    )
    if request.method == "POST" and form.is_valid():
        try:
            updated = services.gathering_update(
                actor=request.user,
                gathering=gathering,
                data=form.service_data(),
                reason=form.cleaned_data.get("reason", ""),
            )
        except ValidationError as exc:
            form_apply_error(form, exc)
        else:
            draft_discard(request, form_key=gathering_draft_key(pk))
            messages.success(request, _saved_text(updated, chosen=form.cleaned_data.get("semester")))
            return redirect("gatherings:detail", pk=pk)
    siblings = list(selectors.gatherings_of(regional_program=region))
    return render(
        request,
        "gatherings/gathering_form.html",
        {
            "region": region,
            "form": form,
            "gathering": gathering,
            "change_notice_help": _change_notice_help(),
            "warnings": gathering_warnings(gathering, siblings=siblings, past=True),
        },
    )


def _scheduled_text(gathering, region) -> str:
    """The confirmation of a new gathering, true to who was invited."""
    if gathering.notified:
        return ngettext(
            "Samlingen er lagt inn, og invitasjonen er sendt til %(count)d person.",
            "Samlingen er lagt inn, og invitasjonen er sendt til %(count)d personer.",
            gathering.notified,
        ) % {"count": gathering.notified}
    if not gathering.is_pre_gathering and not selectors.groups_of(regional_program=region).exists():
        return _("Samlingen er lagt inn. Ingen er invitert ennå: programmet har ingen kommunegrupper.")
    return _("Samlingen er lagt inn. Ingen er invitert: ingen av mottakerne har e-postadresse.")


def _saved_text(gathering, *, chosen) -> str:
    """The confirmation after a change: saved, the semester it followed its date into, and who was told."""
    parts = [_("Endringene er lagret.")]
    if gathering.semester is not None and gathering.semester != chosen:
        parts.append(
            _("Den nye datoen ligger i %(semester)s, så samlingen er flyttet dit.")
            % {"semester": gathering.semester.name}
        )
    if gathering.notice_withdrawn and not gathering.notified:
        parts.append(
            _("Samlingen er igjen slik mottakerne sist fikk beskjed om, så endringsvarselet sendes ikke.")
        )
    elif gathering.notified and gathering.notice_due_at is not None:
        parts.append(_notice_waits_text(gathering.notified))
    elif gathering.notified is not None:
        parts.append(_notified_text(gathering.notified))
    return " ".join(parts)


def _notice_delay_text() -> str:
    """How long a change notice waits (GATHERING_CHANGE_NOTICE_DELAY_SECONDS), e.g. «5 minutter»."""
    minutes = max(1, round(notices.change_notice_delay().total_seconds() / 60))
    return ngettext("%(n)d minutt", "%(n)d minutter", minutes) % {"n": minutes}


def _change_notice_help() -> str:
    """The edit page's promise about the change notice, true to the setting: it waits, and changes combine."""
    if not notices.change_notice_delay():
        return _(
            "Endrer du tid eller sted, får alle påmeldte og alle inviterte kommunegrupper beskjed med en "
            "oppdatert kalenderoppføring med en gang."
        )
    return _(
        "Endrer du tid eller sted, får alle påmeldte og alle inviterte kommunegrupper beskjed med en oppdatert "
        "kalenderoppføring etter %(when)s. Endrer du mer før det, kommer alt i én melding."
    ) % {"when": _notice_delay_text()}


def _notice_waits_text(count: int) -> str:
    when = _notice_delay_text()
    return ngettext(
        "Endringsvarsel sendes til %(count)d person om %(when)s. Flere endringer før det samles i ett varsel.",
        "Endringsvarsel sendes til %(count)d personer om %(when)s. Flere endringer før det samles i ett varsel.",
        count,
    ) % {"count": count, "when": when}


def _notified_text(count: int) -> str:
    if not count:
        return _("Ingen hadde e-postadresse, så ingen fikk e-post.")
    return ngettext(
        "%(count)d person får e-post om det nå.",
        "%(count)d personer får e-post om det nå.",
        count,
    ) % {"count": count}


@require(is_leadership)
def gathering_cancel(request, pk: int):
    gathering = selectors.gathering_get(user=request.user, pk=pk)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cancelled = services.gathering_cancel(
                actor=request.user, gathering=gathering, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            form_apply_error(form, exc)
        else:
            messages.success(
                request, " ".join([_("Samlingen er avlyst."), _notified_text(cancelled.notified or 0)])
            )
            return redirect("gatherings:detail", pk=pk)
    audience = 0 if gathering.is_cancelled else notices.cancellation_audience_size(gathering)
    return render(
        request,
        "gatherings/gathering_cancel.html",
        {"gathering": gathering, "form": form, "audience": audience},
    )


@require(can_see_gatherings)
@require_GET
def gathering_detail(request, pk: int):
    gathering = selectors.gathering_get(user=request.user, pk=pk)
    leadership = is_leadership(request.user)
    region = gathering.regional_program
    # leadership: every group of the region with its answer; a coordinator: their own group(s)
    groups = list(selectors.groups_coordinated_by(request.user, regional_program=region))
    answered = selectors.groups_answered(gathering=gathering, groups=groups)
    warnings = []
    if leadership:
        warnings = gathering_warnings(
            gathering, siblings=list(selectors.gatherings_of(regional_program=region))
        )
    scope = role_scope(request.user)
    may_pre_register = (
        gathering.is_pre_gathering
        and not gathering.is_cancelled
        and (leadership or bool(scope.municipality_ids) or bool(scope.branch_ids & region_branch_ids(region)))
    )
    return render(
        request,
        "gatherings/gathering_detail.html",
        {
            "gathering": gathering,
            "region": region,
            "files": list(gathering.files.all()),
            "groups": [(g, answered.get(g.pk)) for g in groups],
            "can_manage": leadership,
            "can_see_participants": can_see_participants(request.user, gathering),
            "warnings": warnings,
            "may_pre_register": may_pre_register,
            "registration_open": gathering.registration_open(),
            "file_form": FileForm() if leadership and not gathering.is_cancelled else None,
            "is_scheduled": gathering.status == GatheringStatus.SCHEDULED,
        },
    )


@require(is_leadership)
@post_only("gatherings:detail", "pk")
def gathering_file_add(request, pk: int):
    gathering = selectors.gathering_get(user=request.user, pk=pk)
    form = FileForm(request.POST, request.FILES)
    if form.is_valid():
        attempt(
            request,
            lambda: services.gathering_file_add(
                actor=request.user, gathering=gathering, upload=form.cleaned_data["file"]
            ),
            _("Filen er lagt til forberedelsene."),
        )
    else:
        messages.error(request, _("Velg en fil."))
    return redirect("gatherings:detail", pk=pk)


@require(is_leadership)
@post_only("gatherings:detail", "pk")
def gathering_file_delete(request, pk: int, file_id: int):
    gathering = selectors.gathering_get(user=request.user, pk=pk)
    row = get_object_or_404(gathering.files.all(), pk=file_id)
    services.gathering_file_delete(actor=request.user, file=row)
    messages.success(request, _("Filen er fjernet."))
    return redirect("gatherings:detail", pk=pk)


@require(can_see_gatherings)
@require_GET
def gathering_file_download(request, pk: int, file_id: int):
    gathering = selectors.gathering_get(user=request.user, pk=pk)
    return file_response(get_object_or_404(gathering.files.all(), pk=file_id))


@require(can_see_gatherings)
@require_GET
def gathering_calendar(request, pk: int):
    gathering = selectors.gathering_get(user=request.user, pk=pk)
    response = HttpResponse(gathering_ics(gathering), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="samling-{gathering.pk}.ics"'
    return response
