"""The partner's calendar: public holidays of the supplier's country (the `holidays` library), its declared
closures and its weekend, and the next working day after a date that falls on any of them."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from .models import MOVED_FROM, Closure

WEEKEND = gettext_noop("weekend")

DEFAULT_WEEKEND = frozenset({5, 6})
# How far the next working day is looked for. One closure lasts at most a year, but closures declared back to
# back could chain without end; the nightly generation must not loop over them.
MAX_LOOKAHEAD_DAYS = 400


@dataclass(frozen=True)
class DayOff:
    """A day the supplier does not work, and why."""

    day: date
    reason: str
    kind: str  # "holiday" or "closure"


@lru_cache(maxsize=256)
def _country_calendar(country: str, year: int):
    try:
        return holidays.country_holidays(country, years=year, language="en_US")
    except (NotImplementedError, KeyError):
        return None


def public_holidays(country: str, start: date, end: date) -> list[DayOff]:
    """Return the public holidays of a country between two dates (inclusive), in English."""
    days = []
    for year in range(start.year, end.year + 1):
        calendar = _country_calendar(str(country), year)
        if calendar is None:
            continue
        days += [
            DayOff(day, _readable(str(name)), "holiday")
            for day, name in calendar.items()
            if start <= day <= end
        ]
    return sorted(days, key=lambda d: d.day)


def _readable(name: str) -> str:
    """Name China's swapped working days plainly instead of "Day off (substituted from 09/20/2026)"."""
    if name.startswith("Day off (substituted"):
        return _("Bridge day off (holiday week)")
    return name


def weekend(country: str) -> frozenset[int]:
    """Return the weekdays a country rests on (Friday and Saturday in Bangladesh, for example)."""
    calendar = _country_calendar(str(country), date.today().year)
    return (
        frozenset(getattr(calendar, "weekend", DEFAULT_WEEKEND)) if calendar is not None else DEFAULT_WEEKEND
    )


def closures(supplier_id: int, start: date, end: date, *, rows=None) -> list[DayOff]:
    """Return each day of the supplier's declared closures between two dates."""
    rows = (
        rows
        if rows is not None
        else Closure.objects.filter(supplier_id=supplier_id, starts_on__lte=end, ends_on__gte=start)
    )
    days = []
    for closure in rows:
        day = max(closure.starts_on, start)
        while day <= min(closure.ends_on, end):
            days.append(DayOff(day, closure.reason, "closure"))
            day += timedelta(days=1)
    return days


def days_off(supplier, start: date, end: date) -> dict[date, DayOff]:
    """Return the supplier's holidays and closures between two dates, by day (a closure wins a tie)."""
    result = {d.day: d for d in public_holidays(supplier.country, start, end)}
    result.update({d.day: d for d in closures(supplier.pk, start, end)})
    return result


def next_working_day(supplier, day: date, *, horizon_days: int = 60) -> tuple[date, str]:
    """Return the first working day on or after `day`, and why it moved (empty when it did not)."""
    rest = weekend(supplier.country)
    reasons: list[str] = []
    current, window_end = day, day + timedelta(days=horizon_days)
    off = days_off(supplier, day, window_end)
    while (current in off or current.weekday() in rest) and (current - day).days < MAX_LOOKAHEAD_DAYS:
        if current in off:
            reasons.append(off[current].reason)
        current += timedelta(days=1)
        if current > window_end:  # a long closure: look further ahead
            off.update(days_off(supplier, current, current + timedelta(days=horizon_days)))
            window_end = current + timedelta(days=horizon_days)
    if current == day:
        return day, ""
    unique = list(dict.fromkeys(reasons))
    # Stored in English whoever's request moved it; CheckIn.moved_note translates it for each reader.
    return current, MOVED_FROM % {"day": day.isoformat(), "why": ", ".join(unique) if unique else WEEKEND}


def day_off_reason(supplier, day: date) -> str:
    """Return why the supplier does not work on `day` (its public holiday or declared closure), or ""."""
    off = days_off(supplier, day, day).get(day)
    return off.reason if off else ""


# Office hours both sides keep, each in its own timezone: a check-in is proposed inside both.
OFFICE_HOURS = (time(9), time(18))


def _at(day: date, clock: time, zone: str) -> datetime:
    return datetime.combine(day, clock, tzinfo=ZoneInfo(zone))


def proposed_checkin_time(*, supplier_timezone: str, user_timezone: str, on: date) -> time | None:
    """Return the first whole hour (supplier's time) inside both sides' office hours on `on`, or None."""
    start, end = OFFICE_HOURS
    for hour in range(start.hour, end.hour):
        there = _at(on, time(hour), supplier_timezone)
        here = there.astimezone(ZoneInfo(user_timezone))
        # The whole hour must sit in our office hours too.
        if start <= here.time() and (here + timedelta(hours=1)).time() <= end and here.date() == on:
            return time(hour)
    return None


def in_both_timezones(*, local_time: time, supplier_timezone: str, user_timezone: str, on: date) -> str:
    """Word a time of the supplier's day for both sides: "10:00 Asia/Shanghai = 09:00 Asia/Bangkok"."""
    there = _at(on, local_time, supplier_timezone)
    here = there.astimezone(ZoneInfo(user_timezone))
    return _("%(there)s %(supplier_tz)s (supplier) = %(here)s %(user_tz)s (you)") % {
        "there": there.strftime("%H:%M"),
        "supplier_tz": supplier_timezone,
        "here": here.strftime("%H:%M"),
        "user_tz": user_timezone,
    }
