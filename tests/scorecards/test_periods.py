"""The KPI windows of scorecards/periods.py: keys, calendar edges, previous periods, series and the picker's choices.

Every date here is fixed and given as `today`, so the expectations are computed by hand once and hold whenever the
tests run.
"""

from datetime import date, timedelta
from itertools import pairwise

import pytest

from scorecards import periods
from scorecards.periods import Period

# A Sunday: the last day of ISO week 47 of 2026.
SUNDAY = date(2026, 11, 22)
NOT_A_PERIOD = "is not a period: use 90d, 2026-W48, 2026-11 or 2026-Q4."


# --- parse: the keys pages and the API take ---------------------------------------------------------------------


@pytest.mark.parametrize("key", ["90d", "", "  ", None, " 90d "])
def test_the_rolling_key_or_no_key_is_the_90_days_ending_today(key):
    period = periods.parse(key, today=SUNDAY)
    assert period == Period("rolling", date(2026, 8, 24), SUNDAY, "90d")
    assert period.label == "Last 90 days"
    assert not period.is_current(SUNDAY)  # the rolling window is never "to date"


def test_an_iso_week_key_is_monday_to_sunday():
    period = periods.parse("2026-W48", today=date(2026, 12, 15))
    assert period == Period("week", date(2026, 11, 23), date(2026, 11, 29), "2026-W48")
    assert period.start.weekday() == 0 and period.end.weekday() == 6
    assert (period.label, period.short_label) == ("Week 48, 2026", "2026-W48")


def test_a_month_key_is_the_first_to_the_last_day():
    period = periods.parse("2026-11", today=date(2026, 12, 15))
    assert period == Period("month", date(2026, 11, 1), date(2026, 11, 30), "2026-11")
    assert (period.label, period.short_label) == ("November 2026", "Nov 2026")


def test_a_quarter_key_is_three_whole_months():
    period = periods.parse("2026-Q4", today=date(2027, 1, 15))
    assert period == Period("quarter", date(2026, 10, 1), date(2026, 12, 31), "2026-Q4")
    assert (period.label, period.short_label) == ("Q4 2026", "Q4 2026")


def test_surrounding_spaces_are_ignored():
    assert periods.parse(" 2026-10 ", today=SUNDAY).key == "2026-10"


# --- ISO week 53, leap years, quarter ends ----------------------------------------------------------------------


def test_2026_has_an_iso_week_53_that_runs_into_2027():
    # 1 January 2026 is a Thursday, so 2026 has 53 ISO weeks.
    period = periods.parse("2026-W53", today=date(2027, 1, 10))
    assert period == Period("week", date(2026, 12, 28), date(2027, 1, 3), "2026-W53")
    assert periods.period_of("week", date(2027, 1, 3)).key == "2026-W53"
    assert periods.period_of("week", date(2027, 1, 4)).key == "2027-W01"


def test_2025_has_no_iso_week_53():
    with pytest.raises(ValueError, match=f"“2025-W53” {NOT_A_PERIOD}"):
        periods.parse("2025-W53", today=date(2027, 1, 10))


def test_a_week_key_carries_the_iso_year_not_the_calendar_year():
    # Tuesday 31 December 2024 is in the first ISO week of 2025.
    period = periods.period_of("week", date(2024, 12, 31))
    assert (period.start, period.end, period.key) == (date(2024, 12, 30), date(2025, 1, 5), "2025-W01")
    assert periods.parse("2025-W01", today=SUNDAY) == period


@pytest.mark.parametrize(
    ("key", "last_day"),
    [
        ("2028-02", date(2028, 2, 29)),
        ("2027-02", date(2027, 2, 28)),
        ("2000-02", date(2000, 2, 29)),
        ("2026-12", date(2026, 12, 31)),
        ("2026-04", date(2026, 4, 30)),
        ("2026-01", date(2026, 1, 31)),
    ],
)
def test_a_month_ends_on_its_last_day_leap_years_included(key, last_day):
    period = periods.parse(key, today=date(2030, 1, 1))
    assert (period.start, period.end) == (last_day.replace(day=1), last_day)


def test_february_of_a_century_year_that_is_not_leap_has_28_days():
    assert periods.period_of("month", date(2100, 2, 10)).end == date(2100, 2, 28)


@pytest.mark.parametrize(
    ("key", "start", "end"),
    [
        ("2026-Q1", date(2026, 1, 1), date(2026, 3, 31)),
        ("2026-Q2", date(2026, 4, 1), date(2026, 6, 30)),
        ("2026-Q3", date(2026, 7, 1), date(2026, 9, 30)),
        ("2026-Q4", date(2026, 10, 1), date(2026, 12, 31)),
    ],
)
def test_quarters_start_and_end_on_their_calendar_days(key, start, end):
    period = periods.parse(key, today=date(2027, 1, 1))
    assert (period.start, period.end) == (start, end)
    # Any day of the quarter, its first and its last included, falls in it.
    for day in (start, start + timedelta(days=45), end):
        assert periods.period_of("quarter", day) == period


@pytest.mark.parametrize(
    ("kind", "day", "expected"),
    [
        ("week", date(2026, 3, 29), date(2026, 3, 23)),
        ("week", date(2026, 3, 30), date(2026, 3, 30)),
        ("week", date(2026, 4, 1), date(2026, 3, 30)),
        ("month", date(2026, 3, 31), date(2026, 3, 1)),
        ("month", date(2026, 4, 1), date(2026, 4, 1)),
        ("quarter", date(2026, 3, 31), date(2026, 1, 1)),
        ("quarter", date(2026, 4, 1), date(2026, 4, 1)),
        ("quarter", date(2026, 12, 31), date(2026, 10, 1)),
    ],
)
def test_bucket_start_is_the_monday_the_first_of_the_month_or_of_the_quarter(kind, day, expected):
    assert periods.bucket_start(kind, day) == expected


def test_bucket_start_of_an_unknown_kind_is_an_error():
    with pytest.raises(ValueError, match="unknown period kind"):
        periods.bucket_start("year", SUNDAY)


# --- previous() -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("2027-W01", Period("week", date(2026, 12, 28), date(2027, 1, 3), "2026-W53")),
        ("2026-W01", Period("week", date(2025, 12, 22), date(2025, 12, 28), "2025-W52")),
        ("2027-01", Period("month", date(2026, 12, 1), date(2026, 12, 31), "2026-12")),
        ("2026-03", Period("month", date(2026, 2, 1), date(2026, 2, 28), "2026-02")),
        ("2027-Q1", Period("quarter", date(2026, 10, 1), date(2026, 12, 31), "2026-Q4")),
        ("2026-Q3", Period("quarter", date(2026, 4, 1), date(2026, 6, 30), "2026-Q2")),
    ],
)
def test_previous_is_the_period_of_the_same_kind_just_before_across_a_year_boundary(key, expected):
    period = periods.parse(key, today=date(2027, 2, 1))
    assert period.previous() == expected
    assert period.previous().end + timedelta(days=1) == period.start


def test_previous_of_the_rolling_window_is_the_90_days_before_it_across_a_year_boundary():
    window = periods.parse("90d", today=date(2027, 1, 15))
    assert window == Period("rolling", date(2026, 10, 17), date(2027, 1, 15), "90d")
    before = window.previous()
    assert before == Period("rolling", date(2026, 7, 18), date(2026, 10, 16), "90d")
    assert (before.end - before.start) == (window.end - window.start)  # the same length


def test_previous_of_a_shorter_rolling_window_keeps_its_length_and_key():
    window = periods.rolling(date(2027, 1, 5), days=30)
    assert window == Period("rolling", date(2026, 12, 6), date(2027, 1, 5), "30d")
    assert window.previous() == Period("rolling", date(2026, 11, 5), date(2026, 12, 5), "30d")


# --- Periods that have not started, malformed keys ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "label"),
    [
        ("2026-12", "December 2026"),
        ("2027-Q1", "Q1 2027"),
        ("2026-W48", "Week 48, 2026"),
        ("2030-01", "January 2030"),
    ],
)
def test_a_period_starting_after_today_is_refused_by_name(key, label):
    with pytest.raises(ValueError, match=f"^{label} has not started yet.$"):
        periods.parse(key, today=SUNDAY)


def test_a_period_starting_today_or_already_running_is_accepted_with_its_figures_to_date():
    assert periods.parse("2026-12", today=date(2026, 12, 1)).start == date(2026, 12, 1)
    running = periods.parse("2026-Q4", today=SUNDAY)
    assert running.end > SUNDAY and running.is_current(SUNDAY)
    assert not periods.parse("2026-Q3", today=SUNDAY).is_current(SUNDAY)


@pytest.mark.parametrize(
    "key",
    [
        "2026-13",
        "2026-00",
        "2026-Q5",
        "2026-Q0",
        "abc",
        "2026-W00",
        "2026-W54",
        "26-11",
        "2026-1",
        "2026-W4",
        "2026-q4",
        "2026/11",
        "90",
        "91d",
        "2026-11-01",
    ],
)
def test_a_malformed_key_is_a_value_error_that_says_what_to_use(key):
    with pytest.raises(ValueError) as raised:
        periods.parse(key, today=SUNDAY)
    assert str(raised.value) == f"“{key}” {NOT_A_PERIOD}"


# --- series() and choices() -------------------------------------------------------------------------------------


def test_monthly_series_is_oldest_first_with_the_running_month_last():
    span = periods.series("month", count=12, today=SUNDAY)
    assert [p.key for p in span] == [
        "2025-12",
        "2026-01",
        "2026-02",
        "2026-03",
        "2026-04",
        "2026-05",
        "2026-06",
        "2026-07",
        "2026-08",
        "2026-09",
        "2026-10",
        "2026-11",
    ]
    assert span[-1].is_current(SUNDAY)
    for before, after in pairwise(span):
        assert before.end + timedelta(days=1) == after.start  # no gap, no overlap


def test_quarterly_series_has_eight_quarters_ending_with_the_running_one():
    span = periods.series("quarter", count=8, today=SUNDAY)
    assert [p.key for p in span] == [
        "2025-Q1",
        "2025-Q2",
        "2025-Q3",
        "2025-Q4",
        "2026-Q1",
        "2026-Q2",
        "2026-Q3",
        "2026-Q4",
    ]


def test_weekly_series_has_the_requested_count_of_contiguous_mondays():
    span = periods.series("week", count=52, today=SUNDAY)
    assert len(span) == 52
    assert (span[0].key, span[0].start) == ("2025-W48", date(2025, 11, 24))
    assert (span[-1].key, span[-1].start, span[-1].end) == ("2026-W47", date(2026, 11, 16), SUNDAY)
    assert all(p.start.weekday() == 0 for p in span)
    assert all(b.start - a.start == timedelta(days=7) for a, b in pairwise(span))


def test_a_series_on_the_first_day_of_a_month_ends_with_that_day():
    span = periods.series("month", count=3, today=date(2027, 1, 1))
    assert [p.key for p in span] == ["2026-11", "2026-12", "2027-01"]


def test_series_length_per_kind():
    assert periods.SERIES_LENGTH == {"week": 52, "month": 12, "quarter": 8}


def test_choices_offer_rolling_then_8_weeks_12_months_and_8_quarters_newest_first():
    groups = periods.choices(today=SUNDAY)
    assert [name for name, _options in groups] == ["Rolling", "Weeks", "Months", "Quarters"]
    options = dict(groups)
    assert options["Rolling"] == [("90d", "Last 90 days")]
    assert [len(options[name]) for name in ("Weeks", "Months", "Quarters")] == [8, 12, 8]
    assert options["Weeks"][0] == ("2026-W47", "Week 47, 2026")
    assert options["Weeks"][-1] == ("2026-W40", "Week 40, 2026")
    assert options["Months"][0] == ("2026-11", "November 2026")
    assert options["Months"][-1] == ("2025-12", "December 2025")
    assert options["Quarters"][0] == ("2026-Q4", "Q4 2026")
    assert options["Quarters"][-1] == ("2025-Q1", "Q1 2025")


def test_every_key_offered_parses_back_to_its_period():
    for _name, options in periods.choices(today=SUNDAY):
        for key, label in options:
            assert periods.parse(key, today=SUNDAY).label == label


# --- Years the app cannot count back from ---------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["0001-01", "0001-W01", "0001-Q1", "0999-01", "1899-12"])
def test_a_period_before_1900_is_refused_with_a_message(key):
    with pytest.raises(ValueError, match="before 1900"):
        periods.parse(key, today=SUNDAY)


@pytest.mark.parametrize("key", ["9999-12", "9999-W52", "9999-Q4"])
def test_a_period_at_the_end_of_the_calendar_is_refused_with_a_message(key):
    with pytest.raises(ValueError):
        periods.parse(key, today=SUNDAY)


def test_the_first_period_kept_has_a_previous_period():
    for key in ("1900-01", "1900-W01", "1900-Q1"):
        period = periods.parse(key, today=SUNDAY)
        assert period.previous().end == period.start - timedelta(days=1)


@pytest.mark.parametrize(
    ("kind", "day", "key"),
    [
        ("month", date(999, 3, 4), "0999-03"),
        ("week", date(999, 3, 4), "0999-W10"),
        ("quarter", date(999, 3, 4), "0999-Q1"),
    ],
)
def test_keys_of_early_years_are_zero_padded(kind, day, key):
    assert periods.period_of(kind, day).key == key
