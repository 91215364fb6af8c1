"""Building spreadsheets for import tests, and running an import's preview and confirm as the worker would."""

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from imports import services
from imports.models import ImportJob
from imports.resources import RESOURCES


def csv_file(kind: str, rows: list[dict], *, header: list[str] | None = None, name: str = "data.csv"):
    """Return an uploaded CSV of `rows` (dicts by column name) under the kind's header."""
    header = header or RESOURCES[kind].column_names()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(column, "") for column in header])
    return SimpleUploadedFile(name, buffer.getvalue().encode("utf-8"), content_type="text/csv")


def xlsx_file(kind: str, rows: list[dict], *, header: list[str] | None = None, name: str = "data.xlsx"):
    """Return an uploaded XLSX workbook of `rows` (values may be dates, numbers or '=formulas')."""
    header = header or RESOURCES[kind].column_names()
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append([row.get(column) for column in header])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def preview(by, kind: str, upload) -> ImportJob:
    """Upload a file and run its dry run (the queued task's work)."""
    job = services.import_job_create(by=by, kind=kind, upload=upload)
    services.import_job_preview(job_id=job.pk)
    job.refresh_from_db()
    return job


def confirm(job: ImportJob, by, *, only_good_rows: bool = False) -> ImportJob:
    """Confirm a previewed job and run the import (the queued task's work)."""
    services.import_job_confirm(job=job, by=by, only_good_rows=only_good_rows)
    services.import_job_run(job_id=job.pk)
    job.refresh_from_db()
    return job


def errors_of(job: ImportJob) -> list[str]:
    """Return every error message of a job's rows, in file order."""
    return [message for row in job.rows.filter(action="error") for message in row.errors]


def supplier_row(n: int, **overrides) -> dict:
    """Return a good supplier row, numbered."""
    return {
        "name": f"Imported Factory {n:04d}",
        "country": "CN",
        "registration_number": f"9144030000{n:06d}",
        "city": "Dongguan",
        "segment": "routine",
        **overrides,
    }
