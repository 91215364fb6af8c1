"""Export any list page to CSV or XLSX: the rows the filters on screen select, under the columns the user sees.

Each list declares its columns once (a list of `Column`, next to its selector); the list template takes its
header row from the same list, and the list view hands the filtered queryset to `export_response()`, which
answers `?export=csv` or `?export=xlsx` and nothing else. Rows are read with `QuerySet.iterator(chunk_size=...)`
and written as they come: a CSV is streamed line by line, an XLSX is written by openpyxl's write-only workbook
to a temporary file and streamed from there, so a million deliveries take the memory of one chunk.
"""

import csv
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from itertools import islice
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone, translation

FORMATS = ("csv", "xlsx")
CHUNK_SIZE = 2000
# A spreadsheet treats a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    """One column of a list: its header (translated), how to read a row's value, and the value's type.

    kind: "text", "number" (int or Decimal), "date" or "datetime"; a list's numbers and dates are typed in XLSX.
    """

    label: Any
    value: Callable[[Any], Any]
    kind: str = "text"

    @property
    def header(self) -> str:
        return str(self.label)

    def display(self, row) -> str:
        """Return the row's value as a list page shows it (the same text as the CSV, formulas not quoted)."""
        value = self.value(row)
        if value is None:
            return ""
        if self.kind == "datetime" and isinstance(value, datetime):
            return _local(value).strftime("%Y-%m-%d %H:%M")
        if isinstance(value, date):
            return value.isoformat()
        return str(value)


def attr(path: str) -> Callable[[Any], Any]:
    """Return a reader of a dotted attribute path (a missing link in the chain reads as None)."""
    parts = path.split(".")

    def read(row):
        value = row
        for part in parts:
            if value is None:
                return None
            value = getattr(value, part)
        return value

    return read


def display(field: str) -> Callable[[Any], Any]:
    """Return a reader of a choice field's label (`get_<field>_display()`)."""
    return lambda row: getattr(row, f"get_{field}_display")()


def export_format(request) -> str | None:
    """Return the export format a list request asks for (`?export=csv|xlsx`), or None for the page itself."""
    value = request.GET.get("export", "")
    return value if value in FORMATS else None


def neutralise(text: str) -> str:
    """Return `text` safe to open in a spreadsheet: a leading formula character is escaped with a quote."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def _local(value: datetime) -> datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


def text_value(value, kind: str) -> str:
    """Return a cell as CSV text: dates ISO, datetimes in the user's timezone, text neutralised."""
    if value is None:
        return ""
    if kind == "datetime" and isinstance(value, datetime):
        return _local(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if kind == "number" and isinstance(value, int | float | Decimal):
        return str(value)
    return neutralise(str(value))


def iter_rows(rows: Iterable, *, chunk_size: int | None = None, prepare=None) -> Iterator:
    """Yield `rows` a chunk at a time (a queryset through a server-side cursor); `prepare(chunk)` may add to each
    chunk's rows what the list page computes per page (one query per chunk, never per row)."""
    chunk_size = chunk_size or CHUNK_SIZE
    source = rows.iterator(chunk_size=chunk_size) if isinstance(rows, QuerySet) else iter(rows)
    while chunk := list(islice(source, chunk_size)):
        if prepare:
            prepare(chunk)
        yield from chunk


class _Echo:
    """A file-like object whose write() returns the line, for csv.writer inside a generator."""

    def write(self, value):
        return value


def csv_lines(rows: Iterable, columns: list[Column], *, prepare=None) -> Iterator[str]:
    """Yield the CSV text of a header row and of each row (a byte-order mark first, for Excel to read UTF-8)."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([column.header for column in columns])
    for row in iter_rows(rows, prepare=prepare):
        yield writer.writerow([text_value(column.value(row), column.kind) for column in columns])


def xlsx_file(rows: Iterable, columns: list[Column], *, title: str, prepare=None):
    """Write the rows to a temporary XLSX file (openpyxl write-only: constant memory) and return it, rewound."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=column.header)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in iter_rows(rows, prepare=prepare):
        sheet.append([_xlsx_cell(sheet, WriteOnlyCell, column.value(row), column.kind) for column in columns])
    output = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 (FileResponse closes it, which deletes it)
    workbook.save(output)
    output.seek(0)
    return output


def _xlsx_cell(sheet, cell_class, value, kind: str):
    if value is None:
        return None
    if kind == "datetime" and isinstance(value, datetime):
        cell = cell_class(sheet, value=_local(value).replace(tzinfo=None))
        cell.number_format = "yyyy-mm-dd hh:mm"
        return cell
    if isinstance(value, date):
        cell = cell_class(sheet, value=value)
        cell.number_format = "yyyy-mm-dd"
        return cell
    if kind == "number" and isinstance(value, int | float | Decimal):
        return value
    cell = cell_class(sheet, value=str(value))
    cell.data_type = "s"  # never a formula, whatever the text starts with
    return cell


def _in_request_settings(lines: Iterator[str]) -> Iterator[str]:
    """Yield `lines` in the request's timezone and language: a streamed body is produced after the view (and
    the middleware that set the user's timezone) returned, so each line is made under the settings captured now."""
    zone, language = timezone.get_current_timezone(), translation.get_language()  # now, not at the first line

    def generate():
        while True:
            with timezone.override(zone), translation.override(language):
                try:
                    line = next(lines)
                except StopIteration:
                    return
            yield line

    return generate()


def export_response(request, *, rows: Iterable, columns: list[Column], name: str, prepare=None):
    """Answer a list's `?export=csv|xlsx` with the rows as a download; None when the request is for the page."""
    fmt = export_format(request)
    if fmt is None:
        return None
    filename = f"{name}-{timezone.localdate().isoformat()}.{fmt}"
    if fmt == "csv":
        lines = _in_request_settings(csv_lines(rows, columns, prepare=prepare))
        response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    output = xlsx_file(rows, columns, title=name, prepare=prepare)
    return FileResponse(
        output,
        as_attachment=True,
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
