"""Bounds on what people and scripts may type, shared by every app's models, forms and serializers.

Numbers stay well inside what the database column holds (a PostgreSQL integer ends at 2 147 483 647, and a
sum of a few quantities must still fit), dates stay in a window where calendars, holidays and KPI periods
make sense, and one-line text has no line breaks. `tests/test_input_bounds.py` walks every model field,
form and serializer a user can write through and fails on a number or date without a bound.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator

# Pieces, units, lot sizes, headcounts: a billion is beyond any order, and ten of them still fit in a bigint.
MAX_QUANTITY = 1_000_000_000
# Days of lead time and the like: ten years. Payment terms: a year (as on invoices and term changes).
MAX_DAYS = 3650
MAX_PAYMENT_TERMS_DAYS = 365
# Positions of checklist sections and questions (ordering numbers an administrator types).
MAX_POSITION = 10_000
# Calendar dates a user may enter: the holidays library, KPI periods and check-in generation all work here.
EARLIEST_DATE = date(2000, 1, 1)
LATEST_DATE = date(2100, 12, 31)

QUANTITY_BOUNDS = [MaxValueValidator(MAX_QUANTITY)]
DAYS_BOUNDS = [MaxValueValidator(MAX_DAYS)]
PAYMENT_TERMS_BOUNDS = [MaxValueValidator(MAX_PAYMENT_TERMS_DAYS)]
POSITION_BOUNDS = [MaxValueValidator(MAX_POSITION)]
DATE_BOUNDS = [MinValueValidator(EARLIEST_DATE), MaxValueValidator(LATEST_DATE)]


def single_line(text) -> str:
    """Return text on one line: CR, LF and runs of whitespace collapse to single spaces (mail headers, titles)."""
    return " ".join(str(text).split())


def check_bounds(field: str, value, bounds) -> None:
    """Raise ValidationError on `field` when value is outside bounds (for writes made without full_clean)."""
    if value is None:
        return
    errors = []
    for validator in bounds:
        try:
            validator(value)
        except ValidationError as exc:
            errors += exc.messages
    if errors:
        raise ValidationError({field: errors})


def is_id(value) -> bool:
    """Return whether a query parameter is a whole number a database key can hold (SQLite ends at 2**63)."""
    text = "" if value is None else str(value)
    return text.isdecimal() and len(text) <= 18
