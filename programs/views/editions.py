"""Editions (programperioder): the list, the public invitation page, creating, editing and publishing (with a
confirmation page that says what publishing sends)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.forms import form_apply_error
from core.permissions import require

from .. import selectors, services
from ..forms import ProgramForm
from ..permissions import can_manage_programs, can_see_programs
from ..reminders import EDITION_INVITATION
from ..timing import deadline_is_open


@require(can_see_programs)
def program_list(request):
    programs = list(selectors.program_list(user=request.user))
    return render(
        request,
        "programs/program_list.html",
        {"programs": programs, "branch_count": selectors.active_branch_count()},
    )


def program_public(request, slug: str):
    """The published edition's invitation and timeline; no login, so branches can link to it."""
    program = selectors.published_program_by_slug(slug=slug)
    return render(
        request,
        "programs/program_public.html",
        {"program": program, "is_open": deadline_is_open(program.interest_deadline)},
    )


@require(can_manage_programs)
def program_create(request):
    form = ProgramForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            program = services.program_create(actor=request.user, data=form.service_data())
        except ValidationError as exc:
            form_apply_error(form, exc)
        else:
            messages.success(request, _("Programperioden er opprettet. Den er ikke publisert ennå."))
            return redirect("programs:program_detail", pk=program.pk)
    return render(request, "programs/program_form.html", {"form": form, "program": None})


@require(can_see_programs)
def program_detail(request, pk: int):
    program = selectors.program_get(user=request.user, pk=pk)
    if not can_manage_programs(request.user):
        branches = list(selectors.branches_for_user(user=request.user))
        if not branches:
            raise Http404
        if len(branches) == 1:
            return redirect("programs:interest_registration", pk=program.pk, branch_id=branches[0].pk)
        return render(request, "programs/program_branches.html", {"program": program, "branches": branches})
    return render(
        request,
        "programs/program_detail.html",
        {
            "program": program,
            "is_open": deadline_is_open(program.interest_deadline),
            "regional_programs": list(selectors.regional_programs_for(program=program)),
        },
    )


@require(can_manage_programs)
def program_update(request, pk: int):
    program = selectors.program_get(user=request.user, pk=pk)
    form = ProgramForm(request.POST or None, instance=program)
    if request.method == "POST" and form.is_valid():
        try:
            services.program_update(actor=request.user, program=program, data=form.service_data())
        except ValidationError as exc:
            form_apply_error(form, exc, {"interest_deadline": "deadline_date"})
        else:
            messages.success(request, _("Endringene er lagret."))
            return redirect("programs:program_detail", pk=program.pk)
    return render(request, "programs/program_form.html", {"form": form, "program": program})


def _publish_confirmation(program, publish: bool) -> dict:
    """What publishing (the invitation goes out) or unpublishing (the page and the reminders stop) does."""
    if publish:
        already, count = EDITION_INVITATION.reach(program=program)
        lines = [
            _(
                "Programperioden blir synlig for fylkesstyrene, og den offentlige siden med invitasjonen åpnes."
            ),
            _("Invitasjonen er sendt tidligere og sendes ikke på nytt.")
            if already
            else ngettext(
                "Invitasjonen sendes nå på e-post til %(n)s mottaker (fylkesavdelingenes adresser og fylkesstyrene).",
                "Invitasjonen sendes nå på e-post til %(n)s mottakere (fylkesavdelingenes adresser og fylkesstyrene).",
                count,
            )
            % {"n": count},
        ]
        title, button, danger = _("Publisere «%(name)s»?") % {"name": program.name}, _("Publiser"), False
    else:
        lines = [
            _(
                "Den offentlige siden forsvinner, fylkesstyrene ser ikke lenger programperioden, og planlagte "
                "påminnelser om interessemelding stoppes. Interessemeldinger som er sendt, beholdes."
            ),
            _("Du kan publisere igjen senere; invitasjonen sendes ikke to ganger."),
        ]
        title, button, danger = _("Avpublisere «%(name)s»?") % {"name": program.name}, _("Avpubliser"), True
    return {
        "title": title,
        "lines": lines,
        "action": reverse("programs:program_publish", kwargs={"pk": program.pk}),
        "fields": {"publish": "1" if publish else "0"},
        "button": button,
        "danger": danger,
        "cancel_url": reverse("programs:program_detail", kwargs={"pk": program.pk}),
    }


@require(can_manage_programs)
@require_POST
def program_publish(request, pk: int):
    program = selectors.program_get(user=request.user, pk=pk)
    publish = request.POST.get("publish") == "1"
    if request.POST.get("confirm") != "yes":
        return render(request, "confirm.html", {"confirm": _publish_confirmation(program, publish)})
    services.program_publish(actor=request.user, program=program, publish=publish)
    messages.success(
        request,
        _("Programperioden er publisert.") if publish else _("Programperioden er ikke lenger publisert."),
    )
    return redirect("programs:program_detail", pk=program.pk)
