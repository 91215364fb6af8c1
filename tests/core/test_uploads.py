"""Uploads: checked by content against an allowlist and a size cap, stored under server-chosen names."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from core.uploads import UploadTo, detect_kind, validate_upload
from tests.factories import PDF_BYTES

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64


def xlsx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "kind"),
    [(PDF_BYTES, "pdf"), (PNG, "png"), (JPEG, "jpg"), (xlsx_bytes(), "xlsx")],
    ids=["pdf", "png", "jpeg", "xlsx"],
)
def test_allowed_kinds_are_recognised_by_content(content, kind):
    assert detect_kind(content) == kind
    validate_upload(SimpleUploadedFile("anything.bin", content))


@pytest.mark.parametrize(
    "content",
    [
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        b"<!doctype html><html><script>alert(1)</script></html>",
        b"\xef\xbb\xbf<html></html>",
        b"MZ\x90\x00\x03" + b"\x00" * 60,  # a Windows executable
        b"plain text pretending to be a pdf",
        b"",
    ],
    ids=["svg", "html", "html-with-bom", "exe", "text", "empty"],
)
def test_other_content_is_refused_whatever_the_name(content):
    with pytest.raises(ValidationError) as excinfo:
        validate_upload(SimpleUploadedFile("certificate.pdf", content, content_type="application/pdf"))
    assert excinfo.value.code == "file_type"


def test_files_over_the_size_cap_are_refused(settings):
    settings.FILE_UPLOAD_MAX_BYTES = 1024
    with pytest.raises(ValidationError) as excinfo:
        validate_upload(SimpleUploadedFile("big.pdf", PDF_BYTES + b"0" * 2048))
    assert excinfo.value.code == "file_too_large"


def test_stored_names_are_chosen_by_the_server():
    name = UploadTo("certifications")(None, "../../etc/passwd<script>.PDF")
    folder, year, month, filename = name.split("/")
    assert folder == "certifications" and year.isdigit() and month.isdigit()
    stem, ext = filename.split(".")
    assert len(stem) == 32 and ext == "pdf"
