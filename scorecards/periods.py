"""The windows KPIs are measured over: the rolling 90 days, or a calendar week, month or quarter.

A period is named by a key that also appears in URLs and the API: `90d`, `2026-W48`, `2026-11`, `2026-Q4`.
Calendar periods run Monday–Sunday (ISO weeks), first–last day of the month, and whole quarters.
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.formats import date_format
from django.utils.translation import gettext as _

ROLLING_DAYS = 90
KINDS = ("week", "month", "quarter")
# The earliest year a key may name: nothing an SRM records predates it, and counting back from year 1 overflows.
FIRST_YEAR = 1900
ROLLING_KEY = f"{ROLLING_DAYS}d"

_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")


@dataclass(frozen=True)
class Period:
    """A KPI window: `start` and `end` are both included."""

    kind: str  # "rolling", "week", "month" or "quarter"
    start: date
    end: date
    key: str

    @property
    def label(self) -> str:
        if self.kind == "rolling":
            return _("Last %(days)s days") % {"days": (self.end - self.start).days}
        if self.kind == "week":
            year, week, _day = self.start.isocalendar()
            return _("Week %(week)s, %(year)s") % {"week": week, "year": year}
        if self.kind == "month":
            return date_format(self.start, "F Y")
        return _("Q%(q)s %(year)s") % {"q": (self.start.month - 1) // 3 + 1, "year": self.start.year}

    @property
    def short_label(self) -> str:
        """A label for chart axes: 2026-W48, Nov 2026, Q4 2026."""
        if self.kind == "month":
            return date_format(self.start, "M Y")
        if self.kind == "quarter":
            return self.label
        return self.key if self.kind == "week" else self.label

    def is_current(self, today: date) -> bool:
        """Return whether the period is still running (its figures are to date)."""
        return self.start <= today <= self.end and self.kind != "rolling"

    def previous(self) -> "Period":
        """Return the period of the same kind just before this one."""
        if self.kind == "rolling":
            return rolling(self.start - timedelta(days=1), days=(self.end - self.start).days)
        return period_of(self.kind, self.start - timedelta(days=1))


def iso_week(day: date) -> str:
    """Return the ISO week of a day, e.g. 2026-W48."""
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def rolling(today: date, days: int = ROLLING_DAYS) -> Period:
    """Return the rolling window of `days` days ending today."""
    key = ROLLING_KEY if days == ROLLING_DAYS else f"{days}d"
    return Period("rolling", today - timedelta(days=days), today, key)


def bucket_start(kind: str, day: date) -> date:
    """Return the first day of the week (Monday), month or quarter a day falls in."""
    if kind == "week":
        return day - timedelta(days=day.weekday())
    if kind == "month":
        return day.replace(day=1)
    if kind == "quarter":
        return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    raise ValueError(f"unknown period kind {kind!r}")


def period_of(kind: str, day: date) -> Period:
    """Return the calendar week, month or quarter a day falls in."""
    start = bucket_start(kind, day)
    if kind == "week":
        end = start + timedelta(days=6)
        year, week, _day = start.isocalendar()
        return Period(kind, start, end, f"{year:04d}-W{week:02d}")
    if kind == "month":
        end = (start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        return Period(kind, start, end, f"{start.year:04d}-{start.month:02d}")
    quarter = (start.month - 1) // 3 + 1
    following = date(start.year + (quarter == 4), 1 if quarter == 4 else start.month + 3, 1)
    return Period(kind, start, following - timedelta(days=1), f"{start.year:04d}-Q{quarter}")


def parse(key: str, *, today: date) -> Period:
    """Return the period a key names; raise ValueError for a malformed key or one that starts after today."""
    key = (key or "").strip()
    if not key or key == ROLLING_KEY:
        return rolling(today)
    try:
        if match := _WEEK.match(key):
            period = period_of("week", date.fromisocalendar(int(match[1]), int(match[2]), 1))
        elif match := _MONTH.match(key):
            period = period_of("month", date(int(match[1]), int(match[2]), 1))
        elif match := _QUARTER.match(key):
            period = period_of("quarter", date(int(match[1]), 3 * int(match[2]) - 2, 1))
        else:
            raise ValueError(key)
    except (ValueError, OverflowError):  # OverflowError: the last day of 9999-12 is past the calendar's end
        raise ValueError(
            _("“%(key)s” is not a period: use 90d, 2026-W48, 2026-11 or 2026-Q4.") % {"key": key}
        ) from None
    if period.start.year < FIRST_YEAR:
        raise ValueError(_("Periods before %(year)s are not kept.") % {"year": FIRST_YEAR})
    if period.start > today:
        raise ValueError(_("%(period)s has not started yet.") % {"period": period.label})
    return period


def series(kind: str, *, count: int, today: date) -> list[Period]:
    """Return the last `count` periods of a kind, oldest first, the current (running) one last."""
    periods = [period_of(kind, today)]
    while len(periods) < count:
        periods.append(periods[-1].previous())
    return periods[::-1]


SERIES_LENGTH = {"week": 52, "month": 12, "quarter": 8}
# The calendar periods whose figures are kept as rows (scorecards.models.CurrentKpi): those a page offers
# (choices below). Older ones are computed when asked for.
STORED_SERIES = {"week": 8, "month": 12, "quarter": 8}


def stored(*, today: date) -> list[Period]:
    """Return the windows kept as stored rows: the rolling 90 days and the calendar periods a page offers."""
    return [rolling(today)] + [
        period for kind, count in STORED_SERIES.items() for period in series(kind, count=count, today=today)
    ]


def choices(*, today: date) -> list[tuple[str, list[tuple[str, str]]]]:
    """Return the periods a page offers, grouped: rolling, the last 8 weeks, 12 months and 8 quarters."""
    return [
        (_("Rolling"), [(ROLLING_KEY, rolling(today).label)]),
        (_("Weeks"), _offered("week", today)),
        (_("Months"), _offered("month", today)),
        (_("Quarters"), _offered("quarter", today)),
    ]


def _offered(kind: str, today: date) -> list[tuple[str, str]]:
    return [(p.key, p.label) for p in reversed(series(kind, count=STORED_SERIES[kind], today=today))]


def from_request(request, *, today: date) -> Period:
    """Return the period a page was asked for (?period=90d|2026-W48|2026-11|2026-Q4), the rolling 90 days by
    default; a malformed or future one is said on the page (a warning) and the default used."""
    from django.contrib import messages

    try:
        return parse(request.GET.get("period", ""), today=today)
    except ValueError as exc:
        messages.warning(request, str(exc))
        return rolling(today)
