"""Calendar arithmetic every app shares (no business rule): months added to a day."""

import calendar
from datetime import date


def add_months(day: date, months: int) -> date:
    """Return the same day `months` later, earlier when negative (the month's last day when it is shorter:
    31 Jan + 1 → 28/29 Feb). The 1st of a month stays the 1st, so month-start arithmetic uses it too."""
    years, month_index = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, month_index + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))
