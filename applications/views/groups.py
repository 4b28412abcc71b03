"""The municipal group of an accepted application and its members."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.permissions import check_or_404
from programs.permissions import can_edit_municipal_group
from programs.services.groups import coordinator_current

from .. import selectors, services
from ..forms import (
    GroupMemberForm,
)
from .common import _form_error, confirm_page, coordinator_demoted_message, post_only

# --- Municipal groups -----------------------------------------------------------------------------------------


@login_required
@require_GET
def group_detail(request, group_id: int):
    # The application that became this group is shown as a link; loaded here so the template asks nothing.
    group = get_object_or_404(
        selectors.municipal_groups_visible_to(request.user).select_related("application"), pk=group_id
    )
    can_edit = can_edit_municipal_group(request.user, group)
    return render(request, "applications/group_detail.html", {"group": group, "can_edit": can_edit})


@login_required
def group_member_edit(request, group_id: int, member_id: int | None = None):
    """The municipality's contact (or its branch board, or leadership) keeps the group up to date."""
    group = get_object_or_404(selectors.municipal_groups_visible_to(request.user), pk=group_id)
    check_or_404(can_edit_municipal_group, request.user, group)
    member = get_object_or_404(group.members.all(), pk=member_id) if member_id is not None else None
    current = coordinator_current(group.members.all(), member=member)
    if request.method == "POST":
        form = GroupMemberForm(request.POST, current_coordinator=current)
        if form.is_valid():
            try:
                services.municipal_group_member_save(
                    actor=request.user, group=group, member=member, data=form.cleaned_data
                )
            except ValidationError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, _("Kommunegruppen er oppdatert."))
                coordinator_demoted_message(request, current, form.cleaned_data)
                return redirect("applications:group", group_id=group.pk)
    elif member is not None:
        form = GroupMemberForm(initial=GroupMemberForm.initial_from(member), current_coordinator=current)
    else:
        form = GroupMemberForm(current_coordinator=current)
    return render(
        request, "applications/group_member_form.html", {"group": group, "member": member, "form": form}
    )


@login_required
@post_only("applications:group", "group_id")
def group_member_delete(request, group_id: int, member_id: int):
    group = get_object_or_404(selectors.municipal_groups_visible_to(request.user), pk=group_id)
    check_or_404(can_edit_municipal_group, request.user, group)
    member = get_object_or_404(group.members.all(), pk=member_id)
    if request.POST.get("confirm") != "yes":
        return confirm_page(
            request,
            title=_("Fjerne %(name)s fra kommunegruppen?") % {"name": member.name},
            lines=[
                _("%(name)s (%(email)s) blir fjernet fra kommunegruppen i %(municipality)s.")
                % {"name": member.name, "email": member.email, "municipality": group.municipality.name}
            ],
            button=_("Fjern fra gruppen"),
            cancel_url=reverse("applications:group", args=[group.pk]),
        )
    services.municipal_group_member_delete(actor=request.user, member=member)
    messages.success(request, _("Medlemmet er fjernet fra kommunegruppen."))
    return redirect("applications:group", group_id=group.pk)
