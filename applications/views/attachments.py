"""An application's attachments: upload, download, delete."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .. import selectors, services
from ..forms import (
    AttachmentForm,
)
from ..models import (
    Application,
)
from ..permissions import (
    application_is_open_for_changes,
)
from .common import _attempt, _editable_application, _form_error, post_only


@login_required
def application_attachments(request, pk: int):
    application = _editable_application(request, pk)
    is_open = application_is_open_for_changes(application)
    if request.method == "POST":
        if not is_open:
            raise Http404
        form = AttachmentForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.application_attachment_add(
                    actor=request.user, application=application, upload=form.cleaned_data["file"]
                )
            except ValidationError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, _("Vedlegget er lastet opp."))
                return redirect("applications:attachments", pk=pk)
    else:
        form = AttachmentForm()
    return render(
        request,
        "applications/application_attachments.html",
        {"application": application, "form": form, "is_open": is_open},
    )


@login_required
@require_GET
def attachment_download(request, pk: int, attachment_id: int):
    """Visible to whoever sees the application, and to jury members assigned to it without a conflict."""
    application = Application.objects.filter(pk=pk).first()
    visible = selectors.applications_visible_to(request.user).filter(pk=pk).exists()
    if not visible:
        visible = selectors.jury_reviews_for(user=request.user).filter(application_id=pk).exists()
    if application is None or not visible:
        raise Http404
    attachment = get_object_or_404(application.attachments.all(), pk=attachment_id)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(handle, as_attachment=True, filename=attachment.original_name)


@login_required
@post_only("applications:attachments", "pk")
def attachment_delete(request, pk: int, attachment_id: int):
    application = _editable_application(request, pk)
    attachment = get_object_or_404(application.attachments.all(), pk=attachment_id)
    _attempt(
        request,
        lambda: services.application_attachment_delete(actor=request.user, attachment=attachment),
        _("Vedlegget er slettet."),
    )
    return redirect("applications:attachments", pk=pk)
