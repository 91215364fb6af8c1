"""A file that is not CSV/XLSX, has the wrong header, is over the cap, or holds a formula or macros is refused
with a clear message and changes nothing."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from imports import services
from imports.models import ImportJob
from suppliers.models import Supplier
from tests.factories import PDF_BYTES
from tests.imports.helpers import csv_file, supplier_row, xlsx_file

pytestmark = pytest.mark.django_db


def refused(buyer, upload, kind="suppliers") -> str:
    with pytest.raises(ValidationError) as caught:
        services.import_job_create(by=buyer, kind=kind, upload=upload)
    assert not ImportJob.objects.exists()
    assert not Supplier.objects.exists()
    return " ".join(caught.value.messages)


def test_a_pdf_is_not_a_spreadsheet(buyer):
    message = refused(buyer, SimpleUploadedFile("suppliers.csv", PDF_BYTES))
    assert message == "Upload a CSV (UTF-8) or an Excel workbook (.xlsx); this file is neither."


def test_a_wrong_header_names_the_missing_and_unknown_columns(buyer):
    upload = csv_file("suppliers", [supplier_row(1)], header=["name", "contry", "city"])
    message = refused(buyer, upload)
    assert "missing column(s): country" in message
    assert "unknown column(s): contry" in message
    assert "Download the template" in message


def test_the_template_of_another_kind_is_refused(buyer):
    assert "missing column(s): supplier" in refused(
        buyer, csv_file("suppliers", [supplier_row(1)]), "contacts"
    )


def test_a_file_over_the_cap_is_refused(buyer, settings):
    settings.FORGELINE_IMPORT_MAX_BYTES = 100
    rows = [supplier_row(n) for n in range(10)]
    assert "the limit is 0.0 MB" in refused(buyer, csv_file("suppliers", rows))


def test_too_many_rows_are_refused(buyer, settings):
    settings.FORGELINE_IMPORT_MAX_ROWS = 3
    rows = [supplier_row(n) for n in range(4)]
    assert "more than 3 rows" in refused(buyer, csv_file("suppliers", rows))


def test_a_formula_cell_in_a_workbook_is_refused(buyer):
    upload = xlsx_file("suppliers", [supplier_row(1, city='=HYPERLINK("http://evil.test","x")')])
    message = refused(buyer, upload)
    assert "Cell E2 (row 2) holds a formula" in message


def test_a_csv_cell_that_starts_like_a_formula_is_refused(buyer):
    assert "holds a formula" in refused(buyer, csv_file("suppliers", [supplier_row(1, notes="=1+2")]))


def test_a_workbook_with_macros_is_refused(buyer):
    workbook = io.BytesIO(xlsx_file("suppliers", [supplier_row(1)]).read())
    with zipfile.ZipFile(workbook, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"\x00" * 64)
    message = refused(buyer, SimpleUploadedFile("suppliers.xlsx", workbook.getvalue()))
    assert (
        message
        == "This document contains macros; save it without macros (as .xlsx or .docx) and upload it again."
    )


def test_a_damaged_workbook_is_refused(buyer):
    content = xlsx_file("suppliers", [supplier_row(1)]).read()
    assert refused(buyer, SimpleUploadedFile("suppliers.xlsx", content[:2000]))


def test_a_csv_not_in_utf8_is_explained(buyer):
    content = "name,country\nSociété Générale,FR\n".encode("latin-1")
    assert "UTF-8" in refused(buyer, SimpleUploadedFile("s.csv", content))


def test_an_empty_file_is_refused(buyer):
    assert refused(buyer, SimpleUploadedFile("s.csv", b"name,country\n"))


def test_semicolons_and_blank_lines_are_read(buyer):
    content = b"name;country\n\nSemi Colon Ltd;CN\n;\n"
    job = services.import_job_create(by=buyer, kind="suppliers", upload=SimpleUploadedFile("s.csv", content))
    assert job.total_rows == 1


def test_a_large_file_is_checked_whole_by_the_worker(buyer, settings, monkeypatch):
    from imports import services as import_services

    monkeypatch.setattr(import_services, "READ_INLINE_BYTES", 10)
    job = services.import_job_create(
        by=buyer, kind="suppliers", upload=csv_file("suppliers", [supplier_row(1, notes="=1+2")])
    )
    services.import_job_preview(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert "holds a formula" in job.message
    assert not Supplier.objects.exists()


def test_a_document_with_macros_is_refused_wherever_it_is_uploaded():
    from core.uploads import check_upload

    workbook = io.BytesIO(xlsx_file("suppliers", [supplier_row(1)]).read())
    with zipfile.ZipFile(workbook, "a") as archive:
        archive.writestr("xl/vbaProject.bin", b"\x00" * 64)
    upload = SimpleUploadedFile("report.xlsx", workbook.getvalue())
    with pytest.raises(ValidationError) as caught:
        check_upload(upload)
    assert caught.value.code == "file_macros"


def test_csv_is_accepted_only_where_a_caller_asks_for_it():
    from core.uploads import check_upload

    text = SimpleUploadedFile("list.csv", b"name,country\nA,CN\n")
    assert check_upload(text, kinds=frozenset({"csv", "xlsx"})) == "csv"
    with pytest.raises(ValidationError):
        check_upload(text)  # a certificate or a contract is never a CSV
