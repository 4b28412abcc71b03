"""The group members an application proposes: add, edit (with draft recovery), remove."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.draft_views import Target, draft_discard, draft_recovered, keeps_drafts
from programs.services.groups import coordinator_current

from .. import selectors, services
from ..forms import GroupMemberForm
from ..permissions import application_is_open_for_changes, speaks_for_application
from .common import (
    _attempt,
    _editable_application,
    _form_error,
    confirm_page,
    coordinator_demoted_message,
    post_only,
)


def members_draft_key(pk: int) -> str:
    return f"applications.group_members:{pk}"


def members_target(person, pk: int, member_id: int | None = None) -> Target | None:
    """A member typed after the session ran out is kept for a person who may still edit the application."""
    application = selectors.application_detail(user=person, pk=pk).first()
    if application is None or not speaks_for_application(person, application):
        return None
    return members_draft_key(pk), services.MEMBER_FIELDS


def _member_form(request, application, member, current) -> GroupMemberForm:
    """A blank or stored member, or the one typed in an expired session (with a notice) for its author."""
    recovered = draft_recovered(
        request,
        form_key=members_draft_key(application.pk),
        fields=services.MEMBER_FIELDS,
        notice=_("Økten din hadde utløpt. Vi har tatt vare på det du skrev: se over og lagre medlemmet."),
    )
    if recovered is not None:
        recovered["is_coordinator"] = recovered.get("is_coordinator") in ("on", "True", "true", "1")
        return GroupMemberForm(initial=recovered, current_coordinator=current)
    if member is not None:
        return GroupMemberForm(initial=GroupMemberForm.initial_from(member), current_coordinator=current)
    return GroupMemberForm(current_coordinator=current)


@keeps_drafts(members_target)
def application_members(request, pk: int, member_id: int | None = None):
    application = _editable_application(request, pk)
    is_open = application_is_open_for_changes(application)
    member = None
    if member_id is not None:
        member = get_object_or_404(application.group_members.all(), pk=member_id)
    current = coordinator_current(application.group_members.all(), member=member)
    if request.method == "POST":
        if not is_open:
            raise Http404
        form = GroupMemberForm(request.POST, current_coordinator=current)
        if form.is_valid():
            try:
                services.application_group_member_save(
                    actor=request.user, application=application, member=member, data=form.cleaned_data
                )
            except ValidationError as exc:
                _form_error(form, exc)
            else:
                draft_discard(request, form_key=members_draft_key(pk))
                messages.success(request, _("Medlemmet er lagret."))
                coordinator_demoted_message(request, current, form.cleaned_data)
                return redirect("applications:members", pk=pk)
    else:
        form = _member_form(request, application, member, current)
    return render(
        request,
        "applications/application_members.html",
        {"application": application, "form": form, "member": member, "is_open": is_open},
    )


@login_required
@post_only("applications:members", "pk")
def application_member_delete(request, pk: int, member_id: int):
    application = _editable_application(request, pk)
    member = get_object_or_404(application.group_members.all(), pk=member_id)
    if request.POST.get("confirm") != "yes":
        return confirm_page(
            request,
            title=_("Fjerne %(name)s fra kommunegruppen?") % {"name": member.name},
            lines=[
                _("%(name)s (%(email)s) blir fjernet fra den foreslåtte kommunegruppen i søknaden.")
                % {"name": member.name, "email": member.email}
            ],
            button=_("Fjern fra gruppen"),
            cancel_url=reverse("applications:members", args=[pk]),
        )
    _attempt(
        request,
        lambda: services.application_group_member_delete(actor=request.user, member=member),
        _("Medlemmet er fjernet."),
    )
    return redirect("applications:members", pk=pk)
