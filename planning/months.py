"""Calendar months as the forecast counts them: the 1st of each month stands for the month
(core.dates.add_months steps from one 1st to another)."""

from datetime import date


def month_start(day: date) -> date:
    """Return the 1st of the month `day` falls in."""
    return day.replace(day=1)
