"""The partner's calendar: check-in dates move off public holidays (the `holidays` library's data), declared
closures and the supplier's own weekend, and the reason names what was in the way.

Expected dates come from `holidays.country_holidays(...)` here in the test, never from the code under test; a
few of them are pinned by hand as well, so that a change in the library's data shows up too."""

from datetime import date, timedelta

import holidays
import pytest

from communications import calendar
from communications.models import Closure
from tests.factories import SupplierFactory

pytestmark = pytest.mark.django_db


def library(code: str, year: int):
    return holidays.country_holidays(code, years=year, language="en_US")


def expected_move(code: str, day: date) -> tuple[date, list[str]]:
    """Walk the library's own data: the first day that is neither a holiday nor a weekend day, and the names
    of the holidays passed on the way (in order, once each)."""
    rest = library(code, day.year).weekend
    names: list[str] = []
    current = day
    while current in library(code, current.year) or current.weekday() in rest:
        name = library(code, current.year).get(current)
        if name:
            names.append(name)
        current += timedelta(days=1)
    return current, list(dict.fromkeys(names))


def expected_reason(day: date, names: list[str]) -> str:
    # China's swapped working days ("Day off (substituted from 09/20/2026)") are shown with a plain name.
    shown = list(
        dict.fromkeys(
            "Bridge day off (holiday week)" if name.startswith("Day off (substituted") else name
            for name in names
        )
    )
    return f"Moved from {day.isoformat()}: {', '.join(shown) if shown else 'weekend'}"


@pytest.fixture
def supplier_in(buyer):
    def make(country: str, tz: str):
        return SupplierFactory(country=country, timezone=tz, owner=buyer)

    return make


# --- China ----------------------------------------------------------------------------------------------------


def test_a_check_in_in_the_spring_festival_2027_moves_past_the_whole_holiday_run(supplier_a):
    tuesday = date(2027, 2, 9)  # "Chinese New Year (Spring Festival) (observed)" in the library
    assert tuesday in library("CN", 2027)
    expected, names = expected_move("CN", tuesday)

    day, reason = calendar.next_working_day(supplier_a, tuesday)

    assert (day, reason) == (expected, expected_reason(tuesday, names))
    assert day == date(2027, 2, 11)  # by hand: Thursday after the festival week
    assert "Chinese New Year (Spring Festival)" in reason


def test_a_friday_check_in_on_chinese_new_years_eve_2027_names_every_holiday_it_skips(supplier_a):
    friday = date(2027, 2, 5)
    expected, names = expected_move("CN", friday)

    day, reason = calendar.next_working_day(supplier_a, friday)

    assert (day, reason) == (expected, expected_reason(friday, names))
    assert day == date(2027, 2, 11)
    assert reason.startswith(
        "Moved from 2027-02-05: Chinese New Year's Eve, Chinese New Year (Spring Festival)"
    )


def test_a_tuesday_check_in_in_national_day_week_2026_moves_past_the_holiday_run(supplier_a):
    tuesday = date(2026, 10, 6)
    assert tuesday.weekday() == 1 and tuesday in library("CN", 2026)
    expected, names = expected_move("CN", tuesday)

    day, reason = calendar.next_working_day(supplier_a, tuesday)

    assert (day, reason) == (expected, expected_reason(tuesday, names))
    assert day == date(2026, 10, 8)  # by hand: Thursday 8 October, the first working day
    # The library calls the 6th and 7th "Day off (substituted from ...)"; the reason names them plainly, once.
    assert reason == "Moved from 2026-10-06: Bridge day off (holiday week)"


def test_a_check_in_on_national_day_itself_names_national_day(supplier_a):
    day, reason = calendar.next_working_day(supplier_a, date(2026, 10, 1))

    assert day == date(2026, 10, 8)
    assert reason.startswith("Moved from 2026-10-01: National Day")


def test_chinese_holiday_names_come_in_english(supplier_a):
    names = [d.reason for d in calendar.public_holidays("CN", date(2027, 2, 1), date(2027, 2, 28))]

    assert names == [name for day, name in sorted(library("CN", 2027).items()) if day.month == 2]
    assert "Chinese New Year (Spring Festival)" in names


# --- Vietnam, India -------------------------------------------------------------------------------------------


def test_a_check_in_in_tet_2027_moves_after_the_lunar_new_year_days(supplier_in):
    hanoi = supplier_in("VN", "Asia/Ho_Chi_Minh")
    thursday = date(2027, 2, 4)  # "29 of Lunar New Year"
    expected, names = expected_move("VN", thursday)

    day, reason = calendar.next_working_day(hanoi, thursday)

    assert (day, reason) == (expected, expected_reason(thursday, names))
    assert day == date(2027, 2, 11)
    assert "Lunar New Year" in reason and "Fifth Day of Lunar New Year" in reason


def test_guru_nanak_jayanti_2026_moves_a_tuesday_check_in_to_wednesday(supplier_in):
    pune = supplier_in("IN", "Asia/Kolkata")
    tuesday = date(2026, 11, 24)
    assert library("IN", 2026).get(tuesday) == "Guru Nanak's Birthday"

    day, reason = calendar.next_working_day(pune, tuesday)

    expected, names = expected_move("IN", tuesday)
    assert (day, reason) == (expected, expected_reason(tuesday, names))
    assert (day, reason) == (date(2026, 11, 25), "Moved from 2026-11-24: Guru Nanak's Birthday")


def test_diwali_2026_on_a_sunday_moves_to_monday_and_still_says_diwali(supplier_in):
    pune = supplier_in("IN", "Asia/Kolkata")
    sunday = date(2026, 11, 8)
    assert library("IN", 2026).get(sunday) == "Diwali" and sunday.weekday() == 6

    assert calendar.next_working_day(pune, sunday) == (date(2026, 11, 9), "Moved from 2026-11-08: Diwali")


@pytest.mark.parametrize(
    ("code", "tz", "year"),
    [
        ("CN", "Asia/Shanghai", 2026),
        ("CN", "Asia/Shanghai", 2027),
        ("VN", "Asia/Ho_Chi_Minh", 2027),
        ("IN", "Asia/Kolkata", 2026),
        ("BD", "Asia/Dhaka", 2026),
    ],
)
def test_every_public_holiday_of_the_year_moves_a_check_in_as_the_library_says(supplier_in, code, tz, year):
    supplier = supplier_in(code, tz)
    days = sorted(library(code, year))
    assert days, "the library knows this country"

    wrong = {}
    for day in days:
        expected, names = expected_move(code, day)
        got = calendar.next_working_day(supplier, day)
        if got != (expected, expected_reason(day, names)):
            wrong[day] = (got, expected)
    assert wrong == {}


# --- Closures -------------------------------------------------------------------------------------------------


def test_a_declared_closure_moves_a_date_to_after_the_closure(supplier_a, buyer):
    Closure.objects.create(
        supplier=supplier_a,
        starts_on=date(2030, 3, 11),
        ends_on=date(2030, 3, 15),
        reason="Annual maintenance shutdown",
        declared_by=buyer,
    )

    day, reason = calendar.next_working_day(supplier_a, date(2030, 3, 12))

    assert (day, reason) == (date(2030, 3, 18), "Moved from 2030-03-12: Annual maintenance shutdown")


def test_a_closure_of_one_supplier_does_not_move_another_suppliers_dates(supplier_a, supplier_b, buyer):
    Closure.objects.create(
        supplier=supplier_a,
        starts_on=date(2030, 3, 11),
        ends_on=date(2030, 3, 15),
        reason="Power cuts",
        declared_by=buyer,
    )

    assert calendar.next_working_day(supplier_b, date(2030, 3, 12)) == (date(2030, 3, 12), "")


def test_a_closure_next_to_a_holiday_names_both_and_wins_the_shared_day(supplier_a, buyer):
    Closure.objects.create(
        supplier=supplier_a,
        starts_on=date(2030, 9, 30),
        ends_on=date(2030, 10, 1),
        reason="Golden week shutdown",
        declared_by=buyer,
    )
    assert library("CN", 2030).get(date(2030, 10, 1)) == "National Day"

    day, reason = calendar.next_working_day(supplier_a, date(2030, 9, 30))

    assert (day, reason) == (date(2030, 10, 4), "Moved from 2030-09-30: Golden week shutdown, National Day")
    off = calendar.days_off(supplier_a, date(2030, 9, 30), date(2030, 10, 3))
    assert off[date(2030, 10, 1)].kind == "closure"
    assert off[date(2030, 10, 2)].kind == "holiday"


def test_a_closure_longer_than_two_months_still_moves_the_date_after_it(supplier_a, buyer):
    Closure.objects.create(
        supplier=supplier_a,
        starts_on=date(2030, 3, 1),
        ends_on=date(2030, 6, 30),
        reason="Factory rebuilt after a fire",
        declared_by=buyer,
    )

    day, _reason = calendar.next_working_day(supplier_a, date(2030, 3, 12))

    assert day > date(2030, 6, 30)


# --- Weekends -------------------------------------------------------------------------------------------------


def test_bangladesh_rests_on_friday_and_saturday():
    assert calendar.weekend("BD") == frozenset({4, 5}) == frozenset(holidays.country_holidays("BD").weekend)
    assert calendar.weekend("CN") == frozenset({5, 6})


def test_a_country_the_library_does_not_know_rests_on_saturday_and_sunday():
    assert calendar.weekend("AQ") == frozenset({5, 6})


def test_a_friday_in_bangladesh_moves_to_sunday_because_of_the_weekend(supplier_in):
    dhaka = supplier_in("BD", "Asia/Dhaka")
    friday = date(2030, 3, 8)
    assert friday.weekday() == 4 and friday not in library("BD", 2030)

    assert calendar.next_working_day(dhaka, friday) == (date(2030, 3, 10), "Moved from 2030-03-08: weekend")


def test_a_sunday_is_a_working_day_in_bangladesh_but_not_in_china(supplier_in, supplier_a):
    dhaka = supplier_in("BD", "Asia/Dhaka")
    sunday = date(2030, 3, 10)

    assert calendar.next_working_day(dhaka, sunday) == (sunday, "")
    assert calendar.next_working_day(supplier_a, sunday) == (
        date(2030, 3, 11),
        "Moved from 2030-03-10: weekend",
    )


# --- A normal day ---------------------------------------------------------------------------------------------


def test_a_normal_working_day_stays_put_with_no_reason(supplier_a):
    tuesday = date(2026, 11, 17)
    assert tuesday not in library("CN", 2026) and tuesday.weekday() == 1

    assert calendar.next_working_day(supplier_a, tuesday) == (tuesday, "")
