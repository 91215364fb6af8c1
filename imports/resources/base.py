"""What every import kind shares: its columns, reading and checking cells, and turning a service's refusal
into row errors in words ("row 4, column country: 'Chna' is not a country")."""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db.models.functions import Lower
from django.utils.translation import gettext as _
from django_countries import countries

from core.inputs import MAX_QUANTITY
from suppliers.models import Supplier

TRUE_WORDS = {"yes", "y", "true", "1", "x", "oui", "ja", "si", "是", "có"}
FALSE_WORDS = {"no", "n", "false", "0", "", "non", "nein", "否", "không"}
MAX_TEXT = 2000  # a notes cell longer than this is a pasting accident


@dataclass(frozen=True)
class Column:
    """One column of a kind's template: its name, whether a row needs it, an example value, what it holds."""

    name: str
    required: bool = False
    example: str = ""
    help: str = ""


class RowErrors(Exception):
    """The errors that stop one row (or a group of rows, such as an order's lines)."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


@dataclass
class Cells:
    """One row of the file, read cell by cell; each problem is kept, so a row shows all its errors at once."""

    number: int
    values: dict
    errors: list[str] = field(default_factory=list)

    def error(self, column: str | None, message: str) -> None:
        """Record what is wrong with a cell (or the row when `column` is None)."""
        where = _("row %(row)s") % {"row": self.number}
        if column:
            where += ", " + _("column %(column)s") % {"column": column}
        self.errors.append(f"{where}: {message}")

    def raw(self, column: str):
        value = self.values.get(column)
        return value.strip() if isinstance(value, str) else value

    def text(self, column: str, *, required: bool = False, max_length: int = MAX_TEXT) -> str:
        """Return a cell as text ('' when blank); a number typed into a text column reads as written."""
        value = self.raw(column)
        if value is None or value == "":
            if required:
                self.error(column, _("a value is required"))
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # a registration number typed as a number: 91440300 not 91440300.0
        if isinstance(value, datetime | date):
            value = value.isoformat()[:10]
        text = str(value).strip()
        if len(text) > max_length:
            self.error(
                column, _("at most %(n)s characters (this has %(len)s)") % {"n": max_length, "len": len(text)}
            )
            return ""
        return text

    def date(self, column: str, *, required: bool = False) -> date | None:
        """Return a date cell (a spreadsheet date, or text as 2026-03-31)."""
        value = self.raw(column)
        if value is None or value == "":
            if required:
                self.error(column, _("a date is required"))
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        try:
            parsed = date.fromisoformat(str(value)[:10])
        except ValueError:
            self.error(column, _("'%(value)s' is not a date; write it as 2026-03-31") % {"value": value})
            return None
        if not 2000 <= parsed.year <= 2100:
            self.error(column, _("%(value)s is not a plausible date") % {"value": parsed.isoformat()})
            return None
        return parsed

    def integer(self, column: str, *, required: bool = False, minimum: int = 0, default=None) -> int | None:
        """Return a whole number cell between `minimum` and the project's quantity cap."""
        value = self.raw(column)
        if value is None or value == "":
            if required:
                self.error(column, _("a number is required"))
            return default
        try:
            number = Decimal(str(value).replace(",", "").replace(" ", ""))
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite() or number != number.to_integral_value():
            self.error(column, _("'%(value)s' is not a whole number") % {"value": value})
            return None
        if not minimum <= number <= MAX_QUANTITY:
            self.error(
                column,
                _("%(value)s is out of range (%(min)s to %(max)s)")
                % {"value": value, "min": minimum, "max": f"{MAX_QUANTITY:,}"},
            )
            return None
        return int(number)

    def decimal(self, column: str, *, required: bool = False) -> Decimal | None:
        """Return a non-negative amount (a price) with at most 4 decimals."""
        value = self.raw(column)
        if value is None or value == "":
            if required:
                self.error(column, _("an amount is required"))
            return None
        try:
            amount = Decimal(str(value).replace(",", "").replace(" ", ""))
        except InvalidOperation:
            amount = None
        if amount is None or not amount.is_finite() or amount < 0 or amount >= Decimal("1e8"):
            self.error(column, _("'%(value)s' is not an amount (0 or more)") % {"value": value})
            return None
        return amount.quantize(Decimal("0.0001"))

    def boolean(self, column: str, *, default: bool = False) -> bool:
        """Return a yes/no cell (yes, no, true, false, 1, 0; blank is `default`)."""
        value = self.raw(column)
        if value is None or value == "":
            return default
        if isinstance(value, bool):
            return value
        word = str(value).strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        self.error(column, _("'%(value)s' is not yes or no") % {"value": value})
        return default

    def choice(self, column: str, choices, *, default: str = "", required: bool = False) -> str:
        """Return a choice's stored value from its value or its label, in any case ('ISO 9001' or 'iso_9001')."""
        value = self.text(column, required=required)
        if not value:
            return default
        wanted = value.strip().lower()
        for stored, label in choices.choices:
            if wanted in (str(stored).lower(), str(label).lower()):
                return stored
        self.error(
            column,
            _("'%(value)s' is not one of: %(choices)s")
            % {"value": value, "choices": ", ".join(str(stored) for stored, _label in choices.choices)},
        )
        return default

    def country(self, column: str, *, required: bool = False) -> str:
        """Return an ISO country code from a code (CN) or an English name (China)."""
        value = self.text(column, required=required)
        if not value:
            return ""
        if value.upper() in countries:
            return countries.alpha2(value.upper())
        code = countries.by_name(value, insensitive=True)
        if code:
            return code
        self.error(column, _("country '%(value)s' is not a country") % {"value": value})
        return ""

    def check(self) -> None:
        """Raise the row's errors, if it has any."""
        if self.errors:
            raise RowErrors(self.errors)


def service_errors(cells: Cells, exc: ValidationError, *, columns: dict[str, str] | None = None) -> list[str]:
    """Return a service's refusal as row errors, naming the column where a field maps onto one."""
    columns = columns or {}
    found = Cells(number=cells.number, values={})
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            column = columns.get(name, name) if name != "__all__" else None
            for error in errors:
                found.error(column, " ".join(error.messages))
    else:
        for message in exc.messages:
            found.error(None, message)
    return found.errors


def suppliers_by_name(names) -> dict[str, Supplier]:
    """Return the suppliers named in a file, keyed by lower-cased name, in a few queries however many."""
    wanted = sorted({name.lower() for name in names if name})
    found = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        for supplier in Supplier.objects.annotate(lname=Lower("name")).filter(lname__in=chunk):
            found[supplier.lname] = supplier
    return found


class Resource:
    """One kind of import: its template's columns and how a row (or a group of rows) becomes records.

    `prepare` looks up, for the whole file at once, what the rows refer to (suppliers, existing records), so
    that a row costs a bounded number of queries; `apply` calls the same services as the pages do and returns
    ("create" | "update" | "skip", a label); `apply` raises RowErrors for a row that cannot be loaded.
    When every row loads in one transaction (`together`), a kind may leave what many rows share to `finish`,
    called once in that transaction after every row loaded (the factories told of an import's orders at once).
    """

    kind: str = ""
    capability: str = ""
    columns: list[Column] = []

    def __init__(self, *, by):
        self.by = by
        self.together = False

    @classmethod
    def column_names(cls) -> list[str]:
        return [column.name for column in cls.columns]

    @classmethod
    def required_names(cls) -> list[str]:
        return [column.name for column in cls.columns if column.required]

    def units(self, rows: list[Cells]) -> list[list[Cells]]:
        """Return the rows grouped as they load: one row each, unless a kind groups (an order's lines)."""
        return [[row] for row in rows]

    def duplicate_key(self, row: Cells):
        """Return the natural key of a row, or None; two rows of a file with one key are both refused."""
        return None

    def prepare(self, rows: list[Cells]) -> None:
        """Look up what the rows refer to, for the whole file at once."""

    def apply(self, unit: list[Cells]) -> tuple[str, str]:
        raise NotImplementedError

    def finish(self) -> None:
        """Do what the rows left to do together (only when `together`), once all of them loaded."""

    def supplier(self, cells: Cells, column: str = "supplier") -> Supplier | None:
        """Return the supplier a row names (by its name, in any case), recording an error when there is none."""
        name = cells.text(column, required=True)
        if not name:
            return None
        supplier = self.suppliers.get(name.lower())
        if supplier is None:
            cells.error(column, _("supplier '%(name)s' not found") % {"name": name})
        return supplier

    def load_suppliers(self, rows: list[Cells], column: str = "supplier") -> None:
        self.suppliers = suppliers_by_name(str(row.raw(column) or "").strip() for row in rows)
