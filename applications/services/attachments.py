"""An application's attachments: checked by extension, content (`core.uploads`), size and count limits."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from audit.services import audit_log
from core.uploads import upload_content_check, upload_extension

from ..models import (
    Application,
    ApplicationAttachment,
)
from .drafting import _assert_open

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS = 10
# The extensions taken; what their content must be is `core.uploads`.
ALLOWED_ATTACHMENTS = ("pdf", "doc", "xls", "ppt", "docx", "xlsx", "pptx", "odt", "ods", "odp")


def _check_attachment(upload: UploadedFile) -> str:
    ext = upload_extension(upload)
    if ext not in ALLOWED_ATTACHMENTS:
        raise ValidationError(
            {"file": _("Bare PDF og Office-filer (Word, Excel, PowerPoint, OpenDocument) er tillatt.")}
        )
    if upload.size is None or upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError({"file": _("Filen er større enn 10 MB.")})
    if upload.size == 0:
        raise ValidationError({"file": _("Filen er tom.")})
    upload_content_check(upload, ext)
    return ext


def application_attachment_add(
    *, actor: User, application: Application, upload: UploadedFile
) -> ApplicationAttachment:
    _assert_open(application)
    _check_attachment(upload)
    if application.attachments.count() >= MAX_ATTACHMENTS:
        raise ValidationError({"file": _("En søknad kan ha høyst %(n)s vedlegg.") % {"n": MAX_ATTACHMENTS}})
    with transaction.atomic():
        attachment = ApplicationAttachment(
            application=application,
            original_name=(upload.name or "vedlegg")[-255:],
            size=upload.size or 0,  # checked above: never None here
            uploaded_by=actor,
        )
        attachment.file.save(upload.name or "vedlegg", upload, save=False)
        attachment.save()
        audit_log(
            actor=actor,
            action="applications.attachment.added",
            obj=application,
            details={"file": attachment.original_name, "bytes": attachment.size},
        )
    return attachment


def application_attachment_delete(*, actor: User, attachment: ApplicationAttachment) -> None:
    _assert_open(attachment.application)
    with transaction.atomic():
        audit_log(
            actor=actor,
            action="applications.attachment.removed",
            obj=attachment.application,
            details={"file": attachment.original_name},
        )
        storage, path = attachment.file.storage, attachment.file.name
        attachment.delete()
        transaction.on_commit(lambda: storage.delete(path))
