"""The municipal group of an accepted application and its members."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.permissions import is_leadership

from .. import selectors, services
from ..forms import (
    GroupMemberForm,
)
from ..permissions import (
    speaks_for_municipality,
)
from .common import post_only

# --- Municipal groups -----------------------------------------------------------------------------------------


@login_required
@require_GET
def group_detail(request, group_id: int):
    group = get_object_or_404(selectors.municipal_groups_visible_to(request.user), pk=group_id)
    can_edit = is_leadership(request.user) or speaks_for_municipality(request.user, group.municipality)
    return render(request, "applications/group_detail.html", {"group": group, "can_edit": can_edit})


@login_required
def group_member_edit(request, group_id: int, member_id: int | None = None):
    """The municipality's contact (or its branch board, or leadership) keeps the group up to date."""
    group = get_object_or_404(selectors.municipal_groups_visible_to(request.user), pk=group_id)
    if not (is_leadership(request.user) or speaks_for_municipality(request.user, group.municipality)):
        raise Http404
    member = get_object_or_404(group.members.all(), pk=member_id) if member_id is not None else None
    if request.method == "POST":
        form = GroupMemberForm(request.POST)
        if form.is_valid():
            try:
                services.municipal_group_member_save(
                    actor=request.user, group=group, member=member, data=form.cleaned_data
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Kommunegruppen er oppdatert."))
                return redirect("applications:group", group_id=group.pk)
    elif member is not None:
        form = GroupMemberForm(initial={k: getattr(member, k) for k in services.MEMBER_FIELDS})
    else:
        form = GroupMemberForm()
    return render(
        request, "applications/group_member_form.html", {"group": group, "member": member, "form": form}
    )


@login_required
@post_only("applications:group", "group_id")
def group_member_delete(request, group_id: int, member_id: int):
    group = get_object_or_404(selectors.municipal_groups_visible_to(request.user), pk=group_id)
    if not (is_leadership(request.user) or speaks_for_municipality(request.user, group.municipality)):
        raise Http404
    member = get_object_or_404(group.members.all(), pk=member_id)
    services.municipal_group_member_delete(actor=request.user, member=member)
    messages.success(request, _("Medlemmet er fjernet fra kommunegruppen."))
    return redirect("applications:group", group_id=group.pk)
