"""Checks for uploaded files (preparation material, hand-in attachments): extension, size, content."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core.uploads import upload_content_check

ALLOWED_EXTENSIONS = {
    "pdf",
    "doc",
    "docx",
    "odt",
    "xls",
    "xlsx",
    "ods",
    "ppt",
    "pptx",
    "odp",
    "txt",
    "jpg",
    "jpeg",
    "png",
}


def max_upload_bytes() -> int:
    return int(getattr(settings, "GATHERINGS_MAX_UPLOAD_MB", 20)) * 1024 * 1024


def check_upload(upload) -> str:
    """The file's display name, or a refusal that says what is allowed."""
    name = (upload.name or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:255] or "fil"
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in ALLOWED_EXTENSIONS:
        raise ValidationError(
            {
                "file": _(
                    "Filtypen er ikke tillatt. Bruk PDF, Word, Excel, PowerPoint, OpenDocument, tekst eller bilder (JPG, PNG)."
                )
            }
        )
    if upload.size > max_upload_bytes():
        raise ValidationError(
            {"file": _("Filen er for stor (høyst %(mb)s MB).") % {"mb": max_upload_bytes() // (1024 * 1024)}}
        )
    if upload.size == 0:
        raise ValidationError({"file": _("Filen er tom.")})
    # the content too, not only the name: a text file called fake.pdf is refused (as for application attachments)
    upload_content_check(upload, ext)
    return name
