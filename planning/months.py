"""Calendar months as the forecast counts them: the 1st of each month stands for the month."""

from datetime import date


def month_start(day: date) -> date:
    """Return the 1st of the month `day` falls in."""
    return day.replace(day=1)


def add_months(month: date, count: int) -> date:
    """Return the 1st of the month `count` months after `month` (before it when negative)."""
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)
