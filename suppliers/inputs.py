"""Bounds on what people and scripts may type, shared by every app's models, forms and serializers.

Numbers stay well inside what the database column holds (a PostgreSQL integer ends at 2 147 483 647, and a
sum of a few quantities must still fit), dates stay in a window where calendars, holidays and KPI periods
make sense, and one-line text has no line breaks. `tests/test_input_bounds.py` walks every model field,
form and serializer a user can write through and fails on a number or date without a bound.
"""

from datetime import date

from django.core.validators import MaxValueValidator, MinValueValidator

# Pieces, units, lot sizes, headcounts: a billion is beyond any order, and ten of them still fit in a bigint.
MAX_QUANTITY = 1_000_000_000
# Days of lead time, payment terms and the like: ten years.
MAX_DAYS = 3650
# Calendar dates a user may enter: the holidays library, KPI periods and check-in generation all work here.
EARLIEST_DATE = date(2000, 1, 1)
LATEST_DATE = date(2100, 12, 31)

QUANTITY_BOUNDS = [MaxValueValidator(MAX_QUANTITY)]
DAYS_BOUNDS = [MaxValueValidator(MAX_DAYS)]
DATE_BOUNDS = [MinValueValidator(EARLIEST_DATE), MaxValueValidator(LATEST_DATE)]


def single_line(text) -> str:
    """Return text on one line: CR, LF and runs of whitespace collapse to single spaces (mail headers, titles)."""
    return " ".join(str(text).split())
