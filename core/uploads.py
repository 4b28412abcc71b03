"""What an uploaded file's content must look like for its extension, for every app that takes files (application
attachments, gathering preparation material, hand-in attachments). The owning app decides which extensions,
sizes and counts it takes; this checks that the bytes are what the name says: a PDF parses, an Office file is a
sane zip package (no zip bomb) or an OLE2 file, an image starts like one, a text file is text."""

from __future__ import annotations

import logging
import zipfile

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

# An Office file is a zip: what it would inflate to, and how many parts it may have (zip bombs).
MAX_INFLATED_BYTES = 100 * 1024 * 1024
MAX_ZIP_MEMBERS = 2000
MAX_COMPRESSION_RATIO = 200
# Extension → the signatures its content may start with. Office's legacy formats are OLE2 files, the
# modern ones (and OpenDocument) are zip packages.
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP = b"PK\x03\x04"
SIGNATURES: dict[str, tuple[bytes, ...]] = {
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
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
}
# Plain text has no signature: it is read (up to this much) and must be text.
TEXT_EXTENSIONS = {"txt"}
TEXT_SAMPLE_BYTES = 64 * 1024


def _refuse(message: str) -> ValidationError:
    return ValidationError({"file": message})


def upload_extension(upload: UploadedFile) -> str:
    name = upload.name or ""
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def upload_content_check(upload: UploadedFile, ext: str) -> None:
    """Refuse (on the form's `file` field) an upload whose content does not match its extension `ext`, which the
    caller has already allowed. Leaves the file at its start."""
    if ext in TEXT_EXTENSIONS:
        _check_text(upload, ext)
        return
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if not any(head.startswith(sig) for sig in SIGNATURES.get(ext, ())):
        raise _refuse(_("Innholdet i filen stemmer ikke med filtypen .%(ext)s.") % {"ext": ext})
    if head.startswith(ZIP):
        _check_office_package(upload)
    elif ext == "pdf":
        _check_pdf(upload)


def _check_text(upload: UploadedFile, ext: str) -> None:
    upload.seek(0)
    sample = upload.read(TEXT_SAMPLE_BYTES)
    upload.seek(0)
    if b"\x00" in sample or any(sample.startswith(sig) for sigs in SIGNATURES.values() for sig in sigs):
        raise _refuse(_("Innholdet i filen stemmer ikke med filtypen .%(ext)s.") % {"ext": ext})


def _check_office_package(upload: UploadedFile) -> None:
    """A zip whose parts and inflated size are within limits, with an Office or OpenDocument manifest."""
    try:
        with zipfile.ZipFile(upload) as package:
            members = package.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise _refuse(_("Filen er skadet eller ikke et Office-dokument.")) from exc
    finally:
        upload.seek(0)
    inflated = sum(m.file_size for m in members)
    if (
        len(members) > MAX_ZIP_MEMBERS
        or inflated > MAX_INFLATED_BYTES
        or any(m.file_size > MAX_COMPRESSION_RATIO * max(m.compress_size, 1) for m in members)
    ):
        raise _refuse(
            _("Filen pakker seg ut til mer enn %(mb)s MB og tas ikke imot.")
            % {"mb": MAX_INFLATED_BYTES // 2**20}
        )
    names = {m.filename for m in members}
    if "[Content_Types].xml" not in names and "mimetype" not in names:
        raise _refuse(_("Filen er ikke et Office-dokument."))


def _check_pdf(upload: UploadedFile) -> None:
    """A PDF that a PDF reader can open, with at least one page (not just the first five bytes)."""
    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        pages = len(PdfReader(upload, strict=False).pages)
    except Exception as exc:  # noqa: BLE001 - pypdf raises many kinds for a broken file; all mean "not a PDF"
        raise _refuse(_("Filen er ikke en gyldig PDF.")) from exc
    finally:
        upload.seek(0)
    if pages < 1:
        raise _refuse(_("PDF-filen har ingen sider."))
