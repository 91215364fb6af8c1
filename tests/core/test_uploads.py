"""Uploads: checked by content against an allowlist and a size cap, stored under server-chosen names."""

import io
import os
import zipfile
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from core import uploads
from core.uploads import UploadTo, detect_kind, validate_upload
from suppliers.models import Certification
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


@pytest.mark.parametrize(
    ("content", "uploaded_as", "stored_as"),
    [
        (PDF_BYTES, "../../etc/passwd<script>.html", "pdf"),
        (PNG, "photo.PDF", "png"),
        (xlsx_bytes(), "a", "xlsx"),
    ],
    ids=["pdf-named-html", "png-named-pdf", "xlsx-without-extension"],
)
def test_stored_names_are_chosen_by_the_server_with_the_sniffed_extension(content, uploaded_as, stored_as):
    certification = Certification(document=SimpleUploadedFile(uploaded_as, content))
    name = UploadTo("certifications")(certification, uploaded_as)
    folder, year, month, filename = name.split("/")
    assert folder == "certifications" and year.isdigit() and month.isdigit()
    stem, ext = filename.split(".")
    assert len(stem) == 32 and ext == stored_as


@pytest.mark.parametrize(
    "name", ["../../evil.pdf", "..\\evil.pdf", "/etc/passwd", "docs/cert.pdf", "cert\x00.pdf", "a\nb.pdf"]
)
def test_an_uploaders_name_that_names_a_folder_is_refused(name):
    with pytest.raises(ValidationError) as excinfo:
        validate_upload(_named(name))
    assert excinfo.value.code == "file_name"


def _named(name: str) -> SimpleUploadedFile:
    upload = SimpleUploadedFile("x.pdf", PDF_BYTES)
    upload._name = name  # bypass Django's own basename, as a script calling a service directly could
    return upload


def zip_with(members: dict[str, bytes], *, compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_spreadsheet_that_inflates_absurdly_is_refused():
    bomb = zip_with({"xl/workbook.xml": b"<workbook/>", "xl/worksheets/sheet1.xml": b"\0" * 5_000_000})
    assert detect_kind(bomb) == "xlsx" and len(bomb) < 20_000
    with pytest.raises(ValidationError) as excinfo:
        validate_upload(SimpleUploadedFile("sheet.xlsx", bomb))
    assert excinfo.value.code == "file_zip_bomb"


def test_a_spreadsheet_whose_members_declare_more_than_the_cap_is_refused(monkeypatch):
    # Incompressible content (stored), so only the declared size can trip the check.
    members = {"xl/workbook.xml": b"<workbook/>", "xl/media/a.bin": os.urandom(300_000)}
    document = zip_with(members, compression=zipfile.ZIP_STORED)
    validate_upload(SimpleUploadedFile("sheet.xlsx", document))
    monkeypatch.setattr(uploads, "ZIP_MAX_UNCOMPRESSED_BYTES", 200_000)
    with pytest.raises(ValidationError) as excinfo:
        validate_upload(SimpleUploadedFile("sheet.xlsx", document))
    assert excinfo.value.code == "file_zip_bomb"


def test_a_damaged_spreadsheet_is_refused():
    broken = xlsx_bytes()[:-40]  # the central directory is cut off
    with pytest.raises(ValidationError) as excinfo:
        validate_upload(SimpleUploadedFile("sheet.xlsx", broken))
    assert excinfo.value.code == "file_damaged"


@pytest.mark.django_db
def test_a_write_that_skips_validation_still_stores_nothing_unchecked(supplier_a, buyer):
    """The storage is the last door: a service that forgot full_clean cannot store HTML."""
    files = lambda: {p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()}  # noqa: E731
    before = files()
    with pytest.raises(ValidationError):
        Certification.objects.create(
            supplier=supplier_a,
            standard="bsci",
            valid_from=date(2026, 1, 1),
            valid_until=date(2027, 1, 1),
            document=SimpleUploadedFile("c.pdf", b"<html><script>alert(1)</script></html>"),
            submitted_by=buyer,
        )
    with pytest.raises(ValidationError):
        default_storage.save("certifications/x.html", ContentFile(b"<svg onload=alert(1)>"))
    assert files() == before


@pytest.mark.django_db
def test_the_storage_names_a_file_by_its_content_whatever_name_it_is_given():
    name = default_storage.save("certifications/2026/01/report.html", ContentFile(PDF_BYTES))
    assert name.startswith("certifications/2026/01/report") and name.endswith(".pdf")


def test_an_upload_over_the_cap_is_not_written_to_disk_beyond_it_and_keeps_its_size(settings):
    settings.FILE_UPLOAD_MAX_BYTES = 1024 * 1024
    handler = uploads.CappedUploadHandler()
    handler.new_file("document", "big.pdf", "application/pdf", None)
    chunk, total = PDF_BYTES + b"%" * (64 * 1024 - len(PDF_BYTES)), 0
    for _ in range(80):  # 5 MB sent
        handler.receive_data_chunk(chunk, total)
        total += len(chunk)

    upload = handler.file_complete(total)

    assert upload.size == total
    assert os.path.getsize(upload.temporary_file_path()) <= settings.FILE_UPLOAD_MAX_BYTES + len(chunk)
    with pytest.raises(ValidationError) as excinfo:
        validate_upload(upload)
    assert excinfo.value.code == "file_too_large" and "the limit is 1.0 MB" in excinfo.value.messages[0]
    upload.close()
