"""Between-work hand-ins: the group's own page (edit) and the region's page of shared hand-ins."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.permissions import is_leadership
from core.draft_views import Target, draft_discard, draft_recovered, keeps_drafts
from core.forms import form_apply_error
from core.pagination import paginate
from core.permissions import check_or_404, require

from .. import selectors, services
from ..forms import FileForm, HandInForm
from ..permissions import (
    can_read_every_hand_in,
    can_read_hand_in_of_group,
    can_see_gatherings,
    coordinates_group,
    sees_region_gatherings,
)
from .common import attempt, file_response, post_only


def _hand_in_context(user, pk: int, group_id: int):
    gathering = selectors.gathering_get(user=user, pk=pk)
    if gathering.is_pre_gathering:
        raise Http404
    group = get_object_or_404(selectors.groups_of(regional_program=gathering.regional_program), pk=group_id)
    may_edit = coordinates_group(user, group) or is_leadership(user)
    hand_in = selectors.hand_in_for(gathering=gathering, group=group)
    may_read = (
        may_edit
        or can_read_hand_in_of_group(user, group)
        or (hand_in is not None and hand_in.is_submitted and hand_in.shared_with_region)
    )
    if not may_read:
        raise Http404
    return gathering, group, hand_in, may_edit and not gathering.is_cancelled


def hand_in_target(person, pk: int, group_id: int) -> Target | None:
    """A hand-in posted after the session ran out is kept for a person who may still edit it."""
    if not can_see_gatherings(person):
        return None
    _gathering, _group, _hand_in, may_edit = _hand_in_context(person, pk, group_id)
    if not may_edit:
        return None
    return services.hand_in_draft_key(gathering_id=pk, group_id=group_id), services.DRAFT_FIELDS


def _hand_in_form(request, gathering, group, hand_in) -> HandInForm:
    """The stored hand-in, or the text kept from an expired session (with a notice) for its author."""
    initial = (
        {n: getattr(hand_in, n) for n in (*services.TEXT_FIELDS, "shared_with_region")} if hand_in else {}
    )
    initial["version"] = hand_in.version if hand_in else 1
    recovered = draft_recovered(
        request,
        form_key=services.hand_in_draft_key(gathering_id=gathering.pk, group_id=group.pk),
        fields=services.DRAFT_FIELDS,
    )
    if recovered is not None:
        recovered["shared_with_region"] = recovered.get("shared_with_region") in ("on", "True", "true", "1")
        initial.update(recovered)
    return HandInForm(initial=initial)


@keeps_drafts(hand_in_target)
@require(can_see_gatherings)
def hand_in(request, pk: int, group_id: int):
    gathering, group, hand_in, may_edit = _hand_in_context(request.user, pk, group_id)
    if not may_edit:
        return render(
            request,
            "gatherings/hand_in_detail.html",
            {"gathering": gathering, "group": group, "hand_in": hand_in},
        )
    version = hand_in.version if hand_in else 1
    conflict = False
    if request.method == "POST":
        form = HandInForm(request.POST)
        form.is_valid()
        # store every valid field, also when another is not: nothing typed is lost
        good = {n: v for n, v in form.cleaned_data.items() if n not in form.errors and n != "version"}
        # a field with an error (e.g. too long) is not stored and nothing is handed in; its text stays in the form
        invalid = bool(form.errors)
        # «Last opp» is a button of this form: the text typed is saved (as «Lagre utkast» / «Lagre endringene»
        # would, never handed in) and the file attached, so typing and then attaching loses nothing.
        upload = "upload" in request.POST
        submit = "submit" in request.POST and not invalid and not upload
        was_submitted = hand_in is not None and hand_in.is_submitted
        saved = False
        try:
            hand_in = services.hand_in_save(
                actor=request.user,
                gathering=gathering,
                group=group,
                data=good,
                expected_version=form.cleaned_data.get("version") or version,
                submit=submit,
            )
        except services.HandInConflict as exc:
            conflict = True
            form.add_error(None, exc.messages)
            hand_in = exc.current
        except ValidationError as exc:
            form_apply_error(form, exc)
            hand_in = selectors.hand_in_for(gathering=gathering, group=group)
            if hasattr(exc, "error_dict"):
                messages.warning(
                    request,
                    _(
                        "Ingenting er lagret, og mellomarbeidet er fortsatt levert. Fyll ut feltene som er merket."
                    )
                    if was_submitted
                    else _("Utkastet er lagret, men ikke levert. Fyll ut feltene som er merket."),
                )
        else:
            saved = True
        if upload:
            # the file goes with the hand-in whatever became of the text (which, if refused, stays in the form)
            hand_in = _attach(request, gathering, group, hand_in, text_saved=saved and not invalid)
        if saved and invalid:
            messages.warning(
                request,
                _(
                    "Feltene som er merket er ikke lagret, og ingenting er levert. Teksten din står i "
                    "skjemaet: rett den og lagre igjen."
                ),
            )
        elif saved:
            if upload:
                pass  # said by `_attach`
            elif submit and not was_submitted:
                messages.success(
                    request,
                    _("Mellomarbeidet er levert.")
                    if not hand_in.is_late
                    else _("Mellomarbeidet er levert etter fristen."),
                )
            else:
                messages.success(
                    request,
                    _("Utkastet er lagret. Det er ikke levert ennå.")
                    if not hand_in.is_submitted
                    else _("Endringene er lagret. Mellomarbeidet er fortsatt levert."),
                )
            draft_discard(request, form_key=services.hand_in_draft_key(gathering_id=pk, group_id=group.pk))
            return redirect("gatherings:hand_in", pk=pk, group_id=group.pk)
        form.data = form.data.copy()
        form.data["version"] = str(hand_in.version if hand_in else 1)
    else:
        form = _hand_in_form(request, gathering, group, hand_in)
    return render(
        request,
        "gatherings/hand_in_form.html",
        {
            "gathering": gathering,
            "group": group,
            "hand_in": hand_in,
            "form": form,
            "conflict": conflict,
            "file_form": FileForm(),
            "now": timezone.now(),
        },
    )


def _attach(request, gathering, group, hand_in, *, text_saved: bool):
    """«Last opp» on the hand-in form: attach the chosen file (to a hand-in made now if there is none) and say
    what became of the text as well. Returns the hand-in."""
    form = FileForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(
            request,
            _("Teksten er lagret, men ingen fil er lagt ved: velg en fil.")
            if text_saved
            else _("Ingen fil er lagt ved: velg en fil."),
        )
        return hand_in
    if hand_in is None:
        hand_in = services.hand_in_save(
            actor=request.user, gathering=gathering, group=group, data={}, expected_version=None
        )
    attempt(
        request,
        lambda: services.hand_in_file_add(
            actor=request.user, hand_in=hand_in, upload=form.cleaned_data["file"]
        ),
        _("Teksten er lagret, og filen er lagt ved.") if text_saved else _("Filen er lagt ved."),
    )
    return hand_in


@require(can_see_gatherings)
@post_only("gatherings:hand_in", "pk", "group_id")
def hand_in_file_add(request, pk: int, group_id: int):
    gathering, group, hand_in, may_edit = _hand_in_context(request.user, pk, group_id)
    if not may_edit:
        raise Http404
    _attach(
        request, gathering, group, hand_in, text_saved=False
    )  # a page loaded before «Last opp» joined the form
    return redirect("gatherings:hand_in", pk=pk, group_id=group_id)


@require(can_see_gatherings)
@post_only("gatherings:hand_in", "pk", "group_id")
def hand_in_file_delete(request, pk: int, group_id: int, file_id: int):
    gathering, group, hand_in, may_edit = _hand_in_context(request.user, pk, group_id)
    if not may_edit or hand_in is None:
        raise Http404
    row = get_object_or_404(hand_in.files.all(), pk=file_id)
    services.hand_in_file_delete(actor=request.user, file=row)
    messages.success(request, _("Filen er fjernet."))
    return redirect("gatherings:hand_in", pk=pk, group_id=group_id)


@require(can_see_gatherings)
@require_GET
def hand_in_file_download(request, pk: int, group_id: int, file_id: int):
    _gathering, _group, hand_in, _may_edit = _hand_in_context(request.user, pk, group_id)
    if hand_in is None:
        raise Http404
    return file_response(get_object_or_404(hand_in.files.all(), pk=file_id))


@require(can_see_gatherings)
@require_GET
def region_hand_ins(request, rp_id: int):
    region = selectors.regional_program_get(user=request.user, pk=rp_id)
    check_or_404(
        sees_region_gatherings, request.user, region
    )  # not for those who see its pre-gatherings only
    page = paginate(
        request, selectors.hand_ins_visible_to(request.user, regional_program=region), per_page=30
    )
    return render(
        request,
        "gatherings/region_hand_ins.html",
        {"region": region, "page": page, "sees_all": can_read_every_hand_in(request.user)},
    )
