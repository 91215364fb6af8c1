"""Calendar arithmetic shared by every app (core.dates)."""

from datetime import date

import pytest

from core.dates import add_months


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2025, 1, 31), 1, date(2025, 2, 28)),  # a shorter month ends on its last day
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2025, 11, 15), 3, date(2026, 2, 15)),  # across a year
        (date(2026, 3, 31), -1, date(2026, 2, 28)),  # backwards
        (date(2026, 1, 1), -13, date(2024, 12, 1)),
        (date(2026, 5, 1), 7, date(2026, 12, 1)),  # the 1st of a month stays the 1st (the forecast's months)
    ],
)
def test_add_months_keeps_the_day_or_ends_on_the_shorter_months_last_day(day, months, expected):
    assert add_months(day, months) == expected
