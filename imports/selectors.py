"""Reads of the imports app: the jobs a user may see, a job's rows, and the template files of each kind."""

import csv
import io

from django.db.models import QuerySet
from openpyxl import Workbook

from accounts.models import User

from .models import ImportJob, ImportRow
from .resources import RESOURCES


def import_job_list(*, user: User) -> QuerySet[ImportJob]:
    """Return the import jobs a user may see, newest first, without their files."""
    return ImportJob.objects.visible_to(user).defer("content").select_related("created_by")


def import_job_rows(*, job: ImportJob, only_errors: bool = False) -> QuerySet[ImportRow]:
    """Return a job's rows in file order (bad ones only, when asked)."""
    rows = job.rows.all()
    return rows.filter(action=ImportRow.Action.ERROR) if only_errors else rows


def import_template(*, kind: str, file_kind: str) -> bytes:
    """Return the template of a kind: its header row and an example line, as CSV (UTF-8) or XLSX."""
    columns = RESOURCES[kind].columns
    header = [column.name for column in columns]
    example = [column.example for column in columns]
    if file_kind == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(header)
        writer.writerow(example)
        return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # the BOM makes Excel read it as UTF-8
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(kind)
    sheet.append(header)
    sheet.append(example)  # every cell as text: dates and codes stay as written
    notes = workbook.create_sheet("columns")
    notes.append(["column", "required", "what it holds"])
    for column in columns:
        notes.append([column.name, "yes" if column.required else "no", column.help])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
