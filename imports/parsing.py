"""Reading an uploaded spreadsheet (CSV or the first sheet of an XLSX workbook) into numbered rows.

openpyxl reads workbooks in read-only mode (constant memory whatever the sheet's size) and the standard csv module
reads text; both land in the same shape: the header's column names and, per row, its spreadsheet row number and
its cells. A file whose header does not match the kind's template, or that holds a formula, is refused whole.
"""

import csv
import io
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter


@dataclass
class Table:
    """A spreadsheet's header (normalised column names) and its rows as (row number, {column: value})."""

    columns: list[str]
    rows: list[tuple[int, dict]]


def normalise(name) -> str:
    """Return a header cell as a column name: 'Registration number ' → 'registration_number'."""
    return "_".join(str(name or "").strip().lower().replace("-", " ").split())


def read_table(
    *, content: bytes, file_kind: str, expected: list[str], required: list[str], header_only: bool = False
) -> Table:
    """Return the rows of a CSV or XLSX file whose header names the `expected` columns (at least `required`).

    Raises ValidationError with a message a user can act on: wrong header, a formula, too many rows. With
    `header_only`, only the header is read and checked (a quick look at a large file).
    """
    raw_rows = _xlsx_rows(content) if file_kind == "xlsx" else _csv_rows(content)
    header_number, header = None, []
    for number, cells in raw_rows:
        if any(not _blank(value) for value in cells):
            header_number, header = number, [normalise(value) for value in cells]
            break
    if header_number is None:
        raise ValidationError(_("The file is empty: it needs a header row and at least one row of data."))
    _check_header(header, expected=expected, required=required)
    if header_only:
        return Table(columns=[name for name in header if name], rows=[])
    rows, limit = [], settings.FORGELINE_IMPORT_MAX_ROWS
    for number, cells in raw_rows:
        if all(_blank(value) for value in cells):
            continue  # blank lines between blocks of data are common in hand-kept sheets
        if len(rows) >= limit:
            raise ValidationError(
                _("The file has more than %(limit)s rows; split it into several files.")
                % {"limit": f"{limit:,}"}
            )
        values = {}
        for index, value in enumerate(cells):
            if index < len(header) and header[index]:
                values[header[index]] = value
            elif not _blank(value):
                raise ValidationError(
                    _("Row %(row)s has a value in column %(column)s, which has no name in the header.")
                    % {"row": number, "column": get_column_letter(index + 1)}
                )
        rows.append((number, values))
    if not rows:
        raise ValidationError(_("The file has a header row but no rows of data."))
    return Table(columns=[name for name in header if name], rows=rows)


def _blank(value) -> bool:
    """Return whether a cell holds nothing (None, or only whitespace)."""
    return value is None or (isinstance(value, str) and not value.strip())


def _check_header(header: list[str], *, expected: list[str], required: list[str]) -> None:
    names = [name for name in header if name]
    missing = [name for name in required if name not in names]
    unknown = [name for name in names if name not in expected]
    twice = sorted({name for name in names if names.count(name) > 1})
    problems = []
    if missing:
        problems.append(_("missing column(s): %(names)s") % {"names": ", ".join(missing)})
    if unknown:
        problems.append(_("unknown column(s): %(names)s") % {"names": ", ".join(unknown)})
    if twice:
        problems.append(_("column(s) named twice: %(names)s") % {"names": ", ".join(twice)})
    if problems:
        raise ValidationError(
            _(
                "The header row does not match the template (%(problems)s). Download the template for the columns."
            )
            % {"problems": "; ".join(problems)}
        )


def _csv_rows(content: bytes):
    """Yield (row number, cells) of a UTF-8 CSV file (comma, semicolon or tab separated)."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(
            _("The CSV file is not UTF-8 text; save it as 'CSV UTF-8' and upload it again.")
        ) from exc
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return _checked(((reader.line_num, cells) for cells in reader), formula_prefix="=")


def _xlsx_rows(content: bytes):
    """Yield (row number, cells) of the first sheet of an XLSX workbook; a formula cell refuses the file."""
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds on a damaged or foreign file
        raise ValidationError(_("This workbook is damaged and cannot be read.")) from exc
    sheet = workbook.worksheets[0]
    sheet.reset_dimensions()  # some writers record a wrong sheet size; read every row there is

    def cells_of():
        for number, row in enumerate(sheet.iter_rows(), start=1):
            cells = []
            for index, cell in enumerate(row):
                if getattr(cell, "data_type", None) == "f":
                    raise ValidationError(_formula_message(number, index))
                cells.append(cell.value)
            yield number, cells
        workbook.close()

    return _checked(cells_of(), formula_prefix=None)


def _checked(rows, *, formula_prefix: str | None):
    """Wrap the rows of a file so that a CSV cell starting like a formula (=...) refuses the file."""
    iterator = iter(rows)

    class Rows:
        def __iter__(self):
            return self

        def __next__(self):
            number, cells = next(iterator)
            if formula_prefix:
                for index, value in enumerate(cells):
                    if isinstance(value, str) and value.lstrip().startswith(formula_prefix):
                        raise ValidationError(_formula_message(number, index))
            return number, cells

    return Rows()


def _formula_message(number: int, index: int) -> str:
    return _(
        "Cell %(cell)s (row %(row)s) holds a formula; formulas are not imported. "
        "Paste the values instead (Paste special → Values) and upload again."
    ) % {"cell": f"{get_column_letter(index + 1)}{number}", "row": number}
