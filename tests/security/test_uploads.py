"""Uploads are checked by structure: a PDF must parse, an Office file must be a sane zip package."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from applications.services.attachments import _check_attachment
from core.uploads import MAX_INFLATED_BYTES
from tests.applications.factories import pdf_bytes


def _office(members: dict[str, bytes], *, compression=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=compression) as package:
        for name, data in members.items():
            package.writestr(name, data)
    return out.getvalue()


def _refusal(name: str, content: bytes) -> str:
    with pytest.raises(ValidationError) as exc:
        _check_attachment(SimpleUploadedFile(name, content))
    return exc.value.message_dict["file"][0]


def test_a_real_pdf_and_a_real_office_file_pass():
    assert _check_attachment(SimpleUploadedFile("plan.pdf", pdf_bytes(2))) == "pdf"
    docx = _office({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
    assert _check_attachment(SimpleUploadedFile("plan.docx", docx)) == "docx"


@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-1.4\n<html><script>alert(1)</script></html>",
        b"%PDF-",
        b"%PDF-1.7\n" + b"\x00" * 2000,
        pdf_bytes()[:200],  # cut off
    ],
)
def test_pdf_magic_bytes_followed_by_anything_else_are_refused(content):
    assert _refusal("vedtak.pdf", content) == "Filen er ikke en gyldig PDF."


def test_an_office_file_that_inflates_beyond_the_limit_is_refused():
    bomb = _office({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"0" * (MAX_INFLATED_BYTES + 1)})
    assert len(bomb) < 1024 * 1024  # small on the wire
    assert "pakker seg ut til mer enn 100 MB" in _refusal("plan.docx", bomb)


def test_an_office_file_with_an_absurd_compression_ratio_is_refused():
    bomb = _office({"[Content_Types].xml": b"<Types/>", "x.xml": b"0" * (5 * 1024 * 1024)})
    assert "pakker seg ut" in _refusal("plan.xlsx", bomb)


def test_a_zip_that_is_not_an_office_document_is_refused():
    assert _refusal("plan.docx", _office({"evil.exe": b"MZ"})) == "Filen er ikke et Office-dokument."
    assert _refusal("plan.docx", b"PK\x03\x04 not really") == "Filen er skadet eller ikke et Office-dokument."
