"""An application's attachments: checked by extension and content signature, size and count limits."""

from __future__ import annotations

import zipfile

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from audit.services import audit_log

from ..models import (
    Application,
    ApplicationAttachment,
)
from .drafting import _assert_open

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS = 10
# An Office file is a zip: what it would inflate to, and how many parts it may have (zip bombs).
MAX_INFLATED_BYTES = 100 * 1024 * 1024
MAX_ZIP_MEMBERS = 2000
MAX_COMPRESSION_RATIO = 200
# Extension → the signatures its content may start with. Office's legacy formats are OLE2 files, the
# modern ones (and OpenDocument) are zip packages.
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP = b"PK\x03\x04"
ALLOWED_ATTACHMENTS = {
    "pdf": (b"%PDF-",),
    "doc": (OLE2,),
    "xls": (OLE2,),
    "ppt": (OLE2,),
    "docx": (ZIP,),
    "xlsx": (ZIP,),
    "pptx": (ZIP,),
    "odt": (ZIP,),
    "ods": (ZIP,),
    "odp": (ZIP,),
}


def _check_attachment(upload: UploadedFile) -> str:
    name = upload.name or ""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in ALLOWED_ATTACHMENTS:
        raise ValidationError(
            {"file": _("Bare PDF og Office-filer (Word, Excel, PowerPoint, OpenDocument) er tillatt.")}
        )
    if upload.size is None or upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError({"file": _("Filen er større enn 10 MB.")})
    if upload.size == 0:
        raise ValidationError({"file": _("Filen er tom.")})
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not any(head.startswith(sig) for sig in ALLOWED_ATTACHMENTS[ext]):
        raise ValidationError(
            {"file": _("Innholdet i filen stemmer ikke med filtypen .%(ext)s.") % {"ext": ext}}
        )
    if head.startswith(ZIP):
        _check_office_package(upload)
    elif ext == "pdf":
        _check_pdf(upload)
    return ext


def _check_office_package(upload: UploadedFile) -> None:
    """A zip whose parts and inflated size are within limits, with an Office or OpenDocument manifest."""
    try:
        with zipfile.ZipFile(upload) as package:
            members = package.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise ValidationError({"file": _("Filen er skadet eller ikke et Office-dokument.")}) from exc
    finally:
        upload.seek(0)
    inflated = sum(m.file_size for m in members)
    if (
        len(members) > MAX_ZIP_MEMBERS
        or inflated > MAX_INFLATED_BYTES
        or any(m.file_size > MAX_COMPRESSION_RATIO * max(m.compress_size, 1) for m in members)
    ):
        raise ValidationError(
            {
                "file": _("Filen pakker seg ut til mer enn %(mb)s MB og tas ikke imot.")
                % {"mb": MAX_INFLATED_BYTES // 2**20}
            }
        )
    names = {m.filename for m in members}
    if "[Content_Types].xml" not in names and "mimetype" not in names:
        raise ValidationError({"file": _("Filen er ikke et Office-dokument.")})


def _check_pdf(upload: UploadedFile) -> None:
    """A PDF that a PDF reader can open, with at least one page (not just the first five bytes)."""
    import logging

    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        pages = len(PdfReader(upload, strict=False).pages)
    except Exception as exc:  # noqa: BLE001 - pypdf raises many kinds for a broken file; all mean "not a PDF"
        raise ValidationError({"file": _("Filen er ikke en gyldig PDF.")}) from exc
    finally:
        upload.seek(0)
    if pages < 1:
        raise ValidationError({"file": _("PDF-filen har ingen sider.")})


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
