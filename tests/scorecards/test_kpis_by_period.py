"""KPIs over calendar weeks, months and quarters (scorecards/kpis.py `by=`, `supplier_ids=`), the supplier's own
calendar for response times, and the selectors built on them: portfolio(period=...), supplier_series and rows_behind.

Dates are fixed (today is given to every formula), so each expectation below is computed by hand once.
Runs on PostgreSQL and SQLite: response_time has a code path for each.
"""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from communications.models import Side
from orders.models import Delivery
from payments.models import Invoice
from scorecards import kpis, periods, selectors
from scorecards.models import Kpi
from suppliers.models import Stage
from tests.factories import SupplierFactory
from tests.scorecards.builders import delivery, inspection, invoice, issue

pytestmark = pytest.mark.django_db

UTC = ZoneInfo("UTC")
TODAY = date(2026, 11, 20)  # a Friday
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
TARGET = Decimal("24")
FIRST_HALF = {"start": date(2026, 1, 1), "end": date(2026, 6, 30)}
SECOND_HALF = {"start": date(2026, 7, 1), "end": date(2026, 12, 31)}


# --- Builders ---------------------------------------------------------------------------------------------------


def approved(name: str, zone: str = "Asia/Shanghai", **fields):
    return SupplierFactory(name=name, stage=Stage.APPROVED, timezone=zone, **fields)


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def counts(values: dict) -> dict:
    """{key: (numerator, denominator)} of a KPI result."""
    return {key: (v.numerator, v.denominator) for key, v in values.items()}


def figures(value) -> tuple:
    """Everything a KPI value states, to compare two computations of it."""
    return (
        value.numerator,
        value.denominator,
        value.sample,
        value.value,
        getattr(value, "median_hours", None),
        getattr(value, "days_late", None),
    )


def on_time(**kwargs) -> dict:
    return kpis.on_time_delivery(today=TODAY, **kwargs)


def response(**kwargs) -> dict:
    return kpis.response_time(now=NOW, target_hours=TARGET, **kwargs)


# --- On-time delivery: the calendar edges ---------------------------------------------------------------------


@pytest.fixture
def march_april(supplier_a):
    """Deliveries promised on 31 March and 1 April 2026 (Q1 and Q2)."""
    delivery(supplier_a, date(2026, 3, 31), date(2026, 3, 30))  # on time
    delivery(supplier_a, date(2026, 3, 31), date(2026, 4, 2))  # late
    delivery(supplier_a, date(2026, 4, 1), date(2026, 4, 1))  # on the day: on time
    delivery(supplier_a, date(2026, 4, 1), date(2026, 3, 28))  # early
    delivery(supplier_a, date(2026, 4, 1))  # never received: late
    delivery(supplier_a, date(2026, 4, 1), status=Delivery.Status.CANCELLED)  # does not count
    return supplier_a


def test_deliveries_promised_on_31_march_count_in_q1_and_on_1_april_in_q2(march_april):
    sid = march_april.pk
    assert counts(on_time(**FIRST_HALF, by="quarter")) == {
        (sid, date(2026, 1, 1)): (1, 2),
        (sid, date(2026, 4, 1)): (2, 3),
    }


def test_deliveries_promised_on_31_march_count_in_march_and_on_1_april_in_april(march_april):
    sid = march_april.pk
    assert counts(on_time(**FIRST_HALF, by="month")) == {
        (sid, date(2026, 3, 1)): (1, 2),
        (sid, date(2026, 4, 1)): (2, 3),
    }


def test_a_window_of_one_day_holds_that_days_deliveries(march_april):
    sid = march_april.pk
    assert counts(on_time(start=date(2026, 3, 31), end=date(2026, 3, 31))) == {sid: (1, 2)}
    assert counts(on_time(start=date(2026, 4, 1), end=date(2026, 4, 1))) == {sid: (2, 3)}
    q1 = periods.parse("2026-Q1", today=TODAY)
    assert counts(on_time(start=q1.start, end=q1.end)) == {sid: (1, 2)}


def test_weekly_buckets_start_on_monday(supplier_a):
    delivery(supplier_a, date(2026, 3, 29), date(2026, 3, 29))  # Sunday: the week of Monday 23 March
    delivery(supplier_a, date(2026, 3, 30), date(2026, 4, 3))  # Monday, late
    delivery(supplier_a, date(2026, 3, 31), date(2026, 3, 31))  # Tuesday
    delivery(supplier_a, date(2026, 4, 1), date(2026, 4, 1))  # Wednesday, another month and quarter
    delivery(supplier_a, date(2026, 4, 5), date(2026, 4, 5))  # Sunday
    delivery(supplier_a, date(2026, 4, 6), date(2026, 4, 6))  # Monday: the next week
    result = on_time(start=date(2026, 3, 1), end=date(2026, 4, 30), by="week")
    sid = supplier_a.pk
    assert counts(result) == {
        (sid, date(2026, 3, 23)): (1, 1),
        (sid, date(2026, 3, 30)): (3, 4),  # Monday 30 March to Sunday 5 April
        (sid, date(2026, 4, 6)): (1, 1),
    }
    assert all(start.weekday() == 0 for _sid, start in result)


def test_an_unknown_period_kind_is_refused():
    with pytest.raises(ValueError, match="unknown period kind"):
        on_time(**FIRST_HALF, by="year")


# --- Buckets add up to the whole window --------------------------------------------------------------------------


def spread(supplier, other):
    """Deliveries, inspections and invoices every few days from January to July 2026, for two suppliers."""
    for n in range(45):
        day = date(2026, 1, 3) + timedelta(days=4 * n)
        for made, shift in ((supplier, 0), (other, 1)):
            if (n + shift) % 7 == 0:
                delivery(made, day, day - timedelta(days=1), status=Delivery.Status.CANCELLED)
            elif (n + shift) % 5 == 0:
                delivery(made, day)  # missing: late
            else:
                delivery(made, day, day + timedelta(days=(n + shift) % 3 - 1))  # early, on the day or late
            if n % 3 == shift:
                inspection(made, day, 50 + n, (n + shift) % 4)
            if n % 2 == shift:
                if (n + shift) % 9 == 0:
                    invoice(made, day, status=Invoice.Status.REJECTED)
                elif (n + shift) % 4 == 0:
                    invoice(made, day)  # unpaid past its due date: late to today
                else:
                    invoice(made, day, day + timedelta(days=(n + shift) % 3 * 3 - 3))


FAMILIES = {
    "on_time_delivery": lambda **kw: kpis.on_time_delivery(today=TODAY, **kw),
    "defect_rate": kpis.defect_rate,
    "payment_timeliness": lambda **kw: kpis.payment_timeliness(today=TODAY, **kw),
}


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize("kind", ["week", "month", "quarter"])
def test_the_buckets_numerators_and_denominators_sum_to_the_whole_window(
    supplier_a, supplier_b, family, kind
):
    spread(supplier_a, supplier_b)
    measure = FAMILIES[family]
    # A window cut in the middle of months and weeks: the buckets at its ends hold only the days inside it.
    window = {"start": date(2026, 1, 15), "end": date(2026, 5, 20)}
    whole = measure(**window)
    buckets = measure(**window, by=kind)
    assert set(whole) == {supplier_a.pk, supplier_b.pk}
    for sid, value in whole.items():
        mine = {start: v for (bucket_sid, start), v in buckets.items() if bucket_sid == sid}
        assert all(periods.bucket_start(kind, start) == start for start in mine)
        totals = [sum(getattr(v, f) for v in mine.values()) for f in ("numerator", "denominator", "sample")]
        assert totals == [value.numerator, value.denominator, value.sample]
        if family == "payment_timeliness":
            assert sum(v.days_late for v in mine.values()) == value.days_late
        # Each bucket is the KPI over its own days of the window.
        for start, bucket in mine.items():
            period = periods.period_of(kind, start)
            alone = measure(start=max(period.start, window["start"]), end=min(period.end, window["end"]))
            assert figures(bucket) == figures(alone[sid])


def test_spread_covers_every_case_so_the_sums_mean_something(supplier_a, supplier_b):
    spread(supplier_a, supplier_b)
    window = {"start": date(2026, 1, 15), "end": date(2026, 5, 20)}
    otd = FAMILIES["on_time_delivery"](**window)[supplier_a.pk]
    pay = FAMILIES["payment_timeliness"](**window)[supplier_a.pk]
    defects = kpis.defect_rate(**window)[supplier_a.pk]
    assert 0 < otd.numerator < otd.denominator and 0 < pay.numerator < pay.denominator and pay.days_late > 0
    assert 0 < defects.numerator < defects.denominator and defects.sample > 1
    assert Delivery.objects.filter(status=Delivery.Status.CANCELLED, supplier=supplier_a).exists()
    assert Invoice.objects.filter(status=Invoice.Status.REJECTED, supplier=supplier_a).exists()


# --- Defect rate and payment timeliness on the calendar edges ----------------------------------------------------


def test_inspections_on_31_march_and_1_april_land_in_q1_and_q2(supplier_a):
    inspection(supplier_a, date(2026, 3, 31), 80, 2)
    inspection(supplier_a, date(2026, 4, 1), 125, 3)
    inspection(supplier_a, date(2026, 4, 15), 50, 0)
    sid = supplier_a.pk
    quarters = kpis.defect_rate(**FIRST_HALF, by="quarter")
    assert {k: (v.numerator, v.denominator, v.sample) for k, v in quarters.items()} == {
        (sid, date(2026, 1, 1)): (2, 80, 1),
        (sid, date(2026, 4, 1)): (3, 175, 2),
    }
    assert quarters[(sid, date(2026, 4, 1))].value == Decimal("1.71")  # 3 / 175
    assert quarters[(sid, date(2026, 1, 1))].value == Decimal("2.50")
    months = kpis.defect_rate(**FIRST_HALF, by="month")
    assert counts(months) == {(sid, date(2026, 3, 1)): (2, 80), (sid, date(2026, 4, 1)): (3, 175)}


def test_invoices_due_on_31_march_and_1_april_land_in_q1_and_q2_with_their_days_late(supplier_a):
    invoice(supplier_a, date(2026, 3, 31), date(2026, 3, 30))  # on time
    invoice(supplier_a, date(2026, 3, 31))  # unpaid: late, 234 days by 20 November
    invoice(supplier_a, date(2026, 4, 1), date(2026, 4, 11))  # 10 days late
    invoice(supplier_a, date(2026, 4, 1), date(2026, 4, 1))  # on the day
    invoice(supplier_a, date(2026, 4, 1), status=Invoice.Status.REJECTED)  # does not count
    invoice(supplier_a, date(2026, 12, 1))  # not due yet
    sid = supplier_a.pk
    for kind, q1, q2 in (
        ("quarter", date(2026, 1, 1), date(2026, 4, 1)),
        ("month", date(2026, 3, 1), date(2026, 4, 1)),
    ):
        result = kpis.payment_timeliness(start=date(2026, 1, 1), end=date(2026, 12, 31), today=TODAY, by=kind)
        assert {k: (v.numerator, v.denominator, v.days_late) for k, v in result.items()} == {
            (sid, q1): (1, 2, 234),
            (sid, q2): (1, 2, 10),
        }


# --- Response time: the day on the supplier's calendar ------------------------------------------------------------


@pytest.fixture
def around_midnight(buyer):
    """Issues raised around the turn of September to October 2026, in UTC, for a supplier in Shanghai (UTC+8)
    and one in New York (UTC-4 in summer time). `answered_after` tells them apart by their median."""
    shanghai = approved("Shenzhen Bags", "Asia/Shanghai", owner=buyer)
    new_york = approved("Hudson Tools", "America/New_York", owner=buyer)
    for side in (Side.BUYER, Side.SUPPLIER):
        issue(shanghai, utc(2026, 9, 30, 15, 59), 4, side)  # 23:59 on 30 September in Shanghai
        issue(shanghai, utc(2026, 9, 30, 17, 0), 2, side)  # 01:00 on 1 October in Shanghai
        issue(new_york, utc(2026, 10, 1, 2, 0), 3, side)  # 22:00 on 30 September in New York
        issue(new_york, utc(2026, 10, 1, 4, 0), 5, side)  # 00:00 on 1 October in New York
    return shanghai, new_york


def medians(values: dict) -> dict:
    return {key: (v.denominator, v.median_hours) for key, v in values.items()}


PROJECT_ZONES = ["UTC", "Asia/Shanghai", "America/New_York", "America/Los_Angeles", "Asia/Tokyo"]


@pytest.mark.parametrize("project_zone", PROJECT_ZONES)
@pytest.mark.parametrize("side", ["supplier", "buyer"])
def test_an_issue_counts_in_the_month_and_quarter_of_the_suppliers_own_day(
    around_midnight, project_zone, side
):
    shanghai, new_york = around_midnight
    with override_settings(TIME_ZONE=project_zone):
        months = response(**SECOND_HALF, by="month", responding_side=side)
        quarters = response(**SECOND_HALF, by="quarter", responding_side=side)
    sep, oct_, q3, q4 = date(2026, 9, 1), date(2026, 10, 1), date(2026, 7, 1), date(2026, 10, 1)
    one = Decimal("1")
    assert medians(months) == {
        (shanghai.pk, sep): (1, 4 * one),
        (shanghai.pk, oct_): (1, 2 * one),  # raised on 30 September in UTC, 1 October in Shanghai
        (new_york.pk, sep): (1, 3 * one),  # raised on 1 October in UTC, 30 September in New York
        (new_york.pk, oct_): (1, 5 * one),
    }
    assert medians(quarters) == {
        (shanghai.pk, q3): (1, 4 * one),
        (shanghai.pk, q4): (1, 2 * one),
        (new_york.pk, q3): (1, 3 * one),
        (new_york.pk, q4): (1, 5 * one),
    }


@pytest.mark.parametrize("project_zone", PROJECT_ZONES)
def test_an_issue_counts_in_the_window_of_the_suppliers_own_day(around_midnight, project_zone):
    shanghai, new_york = around_midnight
    windows = {
        "september": (date(2026, 9, 1), date(2026, 9, 30)),
        "october": (date(2026, 10, 1), date(2026, 10, 31)),
        "q3": (date(2026, 7, 1), date(2026, 9, 30)),
        "q4": (date(2026, 10, 1), date(2026, 12, 31)),
        "30 september": (date(2026, 9, 30), date(2026, 9, 30)),
        "1 october": (date(2026, 10, 1), date(2026, 10, 1)),
    }
    with override_settings(TIME_ZONE=project_zone):
        found = {name: medians(response(start=start, end=end)) for name, (start, end) in windows.items()}
    one = Decimal("1")
    september = {shanghai.pk: (1, 4 * one), new_york.pk: (1, 3 * one)}
    october = {shanghai.pk: (1, 2 * one), new_york.pk: (1, 5 * one)}
    assert found == {
        "september": september,
        "october": october,
        "q3": september,
        "q4": october,
        "30 september": september,
        "1 october": october,
    }


@pytest.mark.parametrize("zone", ["Asia/Shanghai", "America/New_York", "Pacific/Kiritimati"])
def test_the_viewers_active_timezone_does_not_move_an_issue(around_midnight, zone):
    shanghai, _new_york = around_midnight
    with timezone.override(ZoneInfo(zone)):
        october = response(start=date(2026, 10, 1), end=date(2026, 10, 31))
    assert (october[shanghai.pk].denominator, october[shanghai.pk].median_hours) == (1, Decimal("2"))


def test_buckets_of_response_time_add_up_to_the_window(around_midnight):
    """Three issues a month, so that every bucket has a stated median, each equal to its month alone."""
    shanghai, new_york = around_midnight
    for made in (shanghai, new_york):
        for month, hours in ((9, (1, 30, 7)), (10, (2, 26, 8)), (11, (5, 6)), (12, (40,))):
            for n, h in enumerate(hours):
                issue(made, utc(2026, month, 10 + n, 6, 0), h)
    now = utc(2027, 1, 31, 0, 0)
    whole = kpis.response_time(**SECOND_HALF, now=now, target_hours=TARGET)
    months = kpis.response_time(**SECOND_HALF, now=now, target_hours=TARGET, by="month")
    for sid in (shanghai.pk, new_york.pk):
        mine = {start: v for (s, start), v in months.items() if s == sid}
        assert sorted(mine) == [date(2026, m, 1) for m in (9, 10, 11, 12)]
        assert sum(v.numerator for v in mine.values()) == whole[sid].numerator
        assert sum(v.denominator for v in mine.values()) == whole[sid].denominator == 11
        for start, bucket in mine.items():
            month = periods.period_of("month", start)
            alone = kpis.response_time(start=month.start, end=month.end, now=now, target_hours=TARGET)[sid]
            assert figures(bucket) == figures(alone)
    shanghai_sep = months[(shanghai.pk, date(2026, 9, 1))]
    # 1, 30, 7 and the 23:59 one (4 h): median (4 + 7) / 2; within 24 h: 3 of 4.
    assert (shanghai_sep.value, shanghai_sep.numerator, shanghai_sep.denominator) == (Decimal("5.5"), 3, 4)


@pytest.mark.parametrize("kind", ["week", "quarter"])
def test_weekly_and_quarterly_response_time_buckets_add_up_to_the_window(around_midnight, kind):
    shanghai, new_york = around_midnight
    for made in (shanghai, new_york):
        for n, h in enumerate((1, 30, 7, 2, 26, 8, 5, 6, 40)):
            # Every 9 days from 2 August, at 20:00 UTC: the next day in Shanghai, the same day in New York.
            issue(made, utc(2026, 8, 2, 20, 0) + timedelta(days=9 * n), h)
    now = utc(2027, 1, 31, 0, 0)
    whole = kpis.response_time(**SECOND_HALF, now=now, target_hours=TARGET)
    buckets = kpis.response_time(**SECOND_HALF, now=now, target_hours=TARGET, by=kind)
    for sid in (shanghai.pk, new_york.pk):
        mine = {start: v for (s, start), v in buckets.items() if s == sid}
        assert all(periods.bucket_start(kind, start) == start for start in mine)
        assert sum(v.numerator for v in mine.values()) == whole[sid].numerator
        assert sum(v.denominator for v in mine.values()) == whole[sid].denominator == 11
        for start, bucket in mine.items():
            period = periods.period_of(kind, start)
            alone = kpis.response_time(start=period.start, end=period.end, now=now, target_hours=TARGET)[sid]
            assert figures(bucket) == figures(alone)
    if kind == "week":
        # Sunday 2 August 20:00 UTC is Monday 3 August in Shanghai (the week of the 3rd), still Sunday in New York
        # (the week of Monday 27 July).
        assert (shanghai.pk, date(2026, 8, 3)) in buckets and (shanghai.pk, date(2026, 7, 27)) not in buckets
        assert (new_york.pk, date(2026, 7, 27)) in buckets and (new_york.pk, date(2026, 8, 3)) not in buckets


def test_an_unanswered_issue_counts_in_its_period_once_older_than_the_target(supplier_a):
    raised = utc(2026, 10, 31, 10, 0)  # 18:00 on 31 October in Shanghai
    issue(supplier_a, raised)
    month = {"start": date(2026, 10, 1), "end": date(2026, 10, 31), "target_hours": TARGET, "by": "month"}
    assert kpis.response_time(now=raised + timedelta(hours=10), **month) == {}
    late = kpis.response_time(now=raised + timedelta(hours=30), **month)
    assert medians(late) == {(supplier_a.pk, date(2026, 10, 1)): (1, Decimal("30.0"))}
    assert late[(supplier_a.pk, date(2026, 10, 1))].numerator == 0  # a breach


# --- supplier_ids -------------------------------------------------------------------------------------------------


def test_supplier_ids_narrows_every_family_to_those_suppliers(supplier_a, supplier_b, buyer):
    third = approved("Gamma Mills", owner=buyer)
    spread(supplier_a, supplier_b)
    spread(third, third)
    for made in (supplier_a, supplier_b, third):
        issue(made, utc(2026, 3, 10, 8, 0), 3)
        issue(made, utc(2026, 3, 11, 8, 0), 30, Side.SUPPLIER)
    for by in (None, "month"):
        everyone = kpis.all_kpis(**FIRST_HALF, today=TODAY, now=NOW, by=by)
        some = kpis.all_kpis(
            **FIRST_HALF, today=TODAY, now=NOW, by=by, supplier_ids=[supplier_a.pk, third.pk]
        )
        for kpi in Kpi.values:
            expected = {
                k: figures(v)
                for k, v in everyone[kpi].items()
                if (k if by is None else k[0]) != supplier_b.pk
            }
            assert {k: figures(v) for k, v in some[kpi].items()} == expected
            assert expected, kpi  # every family has figures for the suppliers kept
        none = kpis.all_kpis(**FIRST_HALF, today=TODAY, now=NOW, by=by, supplier_ids=[])
        assert none == {kpi: {} for kpi in Kpi.values}


def test_every_family_by_month_takes_one_query_each(buyer, django_assert_num_queries):
    made = [approved(f"Factory {n}", owner=buyer) for n in range(6)]
    for supplier in made:
        delivery(supplier, date(2026, 3, 3), date(2026, 3, 3))
        inspection(supplier, date(2026, 3, 3), 50, 1)
        invoice(supplier, date(2026, 3, 3), date(2026, 3, 3))
        issue(supplier, utc(2026, 3, 3, 5, 0), 3)
        issue(supplier, utc(2026, 3, 3, 5, 0), 3, Side.SUPPLIER)
    with django_assert_num_queries(5 + 1):  # and one for the suppliers' response targets
        families = kpis.all_kpis(**FIRST_HALF, today=TODAY, now=NOW, by="month")
    for kpi in Kpi.values:
        assert set(families[kpi]) == {(s.pk, date(2026, 3, 1)) for s in made}, kpi


# --- portfolio(period=...) ------------------------------------------------------------------------------------------


def cell_figures(card) -> dict:
    return {kpi: figures(cell.value) for kpi, cell in card.cells.items()}


@pytest.fixture
def two_months(buyer):
    """Suppliers with every KPI in September and October 2026: Kestrel worse in October, Heron better."""
    kestrel = approved("Kestrel Textiles", owner=buyer)
    heron = approved("Heron Plastics", owner=buyer)
    newcomer = approved("Newcomer Ltd", owner=buyer)
    for n in range(5):  # Kestrel: 5/5 on time in September, 4/5 in October
        delivery(kestrel, date(2026, 9, 2 + n), date(2026, 9, 2 + n))
        delivery(kestrel, date(2026, 10, 2 + n), date(2026, 10, 2 + n) + timedelta(days=3 * (n == 0)))
    for n in range(5):  # Heron: 3/5 in September, 5/5 in October
        delivery(heron, date(2026, 9, 2 + n), date(2026, 9, 2 + n) + timedelta(days=2 * (n < 2)))
        delivery(heron, date(2026, 10, 2 + n), date(2026, 10, 1))
    for n in range(6):  # Newcomer: October only
        delivery(newcomer, date(2026, 10, 10 + n), date(2026, 10, 10 + n))
    inspection(kestrel, date(2026, 9, 15), 100, 1)  # 1 % then 3 %
    inspection(kestrel, date(2026, 10, 15), 100, 3)
    inspection(heron, date(2026, 9, 15), 100, 4)  # 4 % then 2 %
    inspection(heron, date(2026, 10, 15), 100, 2)
    for n, (sep, oct_) in enumerate(((30, 2), (40, 3), (50, 4))):
        issue(kestrel, utc(2026, 9, 10 + n, 4, 0), sep)  # median 40 h, then 3 h
        issue(kestrel, utc(2026, 10, 10 + n, 4, 0), oct_)
    for n in range(3):
        invoice(heron, date(2026, 9, 10 + n), date(2026, 9, 10 + n))  # 3/3 then 1/3
        invoice(heron, date(2026, 10, 10 + n), date(2026, 10, 10 + n) + timedelta(days=5 * (n > 0)))
    return {"kestrel": kestrel, "heron": heron, "newcomer": newcomer}


def test_portfolio_over_a_month_states_all_kpis_over_that_month(manager, two_months):
    october = periods.parse("2026-10", today=TODAY)
    cards = {c.supplier.pk: c for c in selectors.portfolio(user=manager, period=october, today=TODAY)}
    expected = kpis.all_kpis(start=october.start, end=october.end, today=TODAY)
    assert set(cards) == {s.pk for s in two_months.values()}
    for sid, card in cards.items():
        assert cell_figures(card) == {
            kpi: figures(expected[kpi].get(sid, selectors.EMPTY_BY_KPI[kpi])) for kpi in Kpi.values
        }
    kestrel = cards[two_months["kestrel"].pk]
    assert figures(kestrel.cells[Kpi.ON_TIME_DELIVERY].value)[:4] == (4, 5, 5, Decimal("80.00"))
    assert kestrel.cells[Kpi.DEFECT_RATE].value.value == Decimal("3.00")
    assert kestrel.cells[Kpi.RESPONSE_TIME].value.value == Decimal("3.0")
    # Not the rolling 90 days: September's deliveries are left out.
    rolling = {c.supplier.pk: c for c in selectors.portfolio(user=manager, today=TODAY)}
    assert rolling[two_months["kestrel"].pk].cells[Kpi.ON_TIME_DELIVERY].value.denominator == 10


def test_portfolio_trend_compares_with_the_previous_month(manager, two_months):
    october = periods.parse("2026-10", today=TODAY)
    cards = {c.supplier.pk: c for c in selectors.portfolio(user=manager, period=october, today=TODAY)}
    kestrel, heron = cards[two_months["kestrel"].pk], cards[two_months["heron"].pk]

    def arrow(card, kpi):
        cell = card.cells[kpi]
        return cell.trend, cell.better

    assert arrow(kestrel, Kpi.ON_TIME_DELIVERY) == ("down", False)  # 100 % → 80 %
    assert arrow(kestrel, Kpi.DEFECT_RATE) == ("up", False)  # 1 % → 3 %
    assert arrow(kestrel, Kpi.RESPONSE_TIME) == ("down", True)  # 40 h → 3 h
    assert arrow(heron, Kpi.ON_TIME_DELIVERY) == ("up", True)  # 60 % → 100 %
    assert arrow(heron, Kpi.DEFECT_RATE) == ("down", True)  # 4 % → 2 %
    assert arrow(heron, Kpi.PAYMENT_TIMELINESS) == ("down", False)  # 100 % → 33.33 %
    assert arrow(heron, Kpi.RESPONSE_TIME) == ("", None)  # no data either month
    newcomer = cards[two_months["newcomer"].pk]
    assert arrow(newcomer, Kpi.ON_TIME_DELIVERY) == ("", None)  # nothing in September to compare with
    # September against August: nothing before, so no arrows at all.
    september = {
        c.supplier.pk: c for c in selectors.portfolio(user=manager, period=october.previous(), today=TODAY)
    }
    assert all(cell.trend == "" for card in september.values() for cell in card.cells.values())


def test_portfolio_over_a_quarter_compares_with_the_previous_quarter(manager, two_months):
    kestrel = two_months["kestrel"]
    for n in range(5):  # Q2: 5 deliveries, all late
        delivery(kestrel, date(2026, 6, 2 + n), date(2026, 6, 20))
    q3 = periods.parse("2026-Q3", today=TODAY)
    (card,) = selectors.portfolio(
        user=manager, period=q3, today=TODAY, suppliers=type(kestrel).objects.filter(pk=kestrel.pk)
    )
    cell = card.cells[Kpi.ON_TIME_DELIVERY]
    assert (cell.value.numerator, cell.value.denominator, cell.trend, cell.better) == (5, 5, "up", True)


# --- supplier_series ------------------------------------------------------------------------------------------------


def series_data(supplier, months: int):
    """Every KPI in each of the last `months` months before TODAY, a few rows each, and rows outside the span."""
    for back in range(months):
        first = periods.series("month", count=back + 1, today=TODAY)[0].start
        for n in range(5 + back % 3):
            day = first + timedelta(days=n * 2 + 1)
            delivery(supplier, day, day + timedelta(days=(n + back) % 3 - 1))
        inspection(supplier, first + timedelta(days=5), 80, back % 4)
        for n in range(3):
            issue(
                supplier,
                datetime.combine(first + timedelta(days=3 + n), datetime.min.time(), UTC),
                10 + n * back,
            )
            issue(
                supplier,
                datetime.combine(first + timedelta(days=6 + n), datetime.min.time(), UTC),
                5 * n + 1,
                Side.SUPPLIER,
            )
            invoice(supplier, first + timedelta(days=8 + n), first + timedelta(days=8 + n + (n + back) % 2))
    delivery(supplier, date(2025, 11, 28), date(2025, 12, 5))  # the month before the span
    delivery(supplier, date(2026, 11, 26))  # promised later this month: not due yet


def test_monthly_series_has_12_points_each_equal_to_all_kpis_over_that_month(supplier_a):
    supplier_a.stage = Stage.APPROVED
    supplier_a.save(update_fields=["stage"])
    series_data(supplier_a, 12)
    result = selectors.supplier_series(supplier=supplier_a, kind="month", today=TODAY)
    assert set(result) == set(Kpi.values)
    expected_keys = [p.key for p in periods.series("month", count=12, today=TODAY)]
    assert expected_keys[0] == "2025-12" and expected_keys[-1] == "2026-11"
    for kpi, points in result.items():
        assert [p.period.key for p in points] == expected_keys, kpi
        assert points[-1].period.is_current(TODAY)
        for point in points:
            alone = kpis.all_kpis(start=point.period.start, end=point.period.end, today=TODAY)[kpi]
            assert figures(point.value) == figures(alone.get(supplier_a.pk, selectors.EMPTY_BY_KPI[kpi])), (
                kpi,
                point.period.key,
            )
            assert point.value.denominator > 0, (kpi, point.period.key)
    november = result[Kpi.ON_TIME_DELIVERY][-1].value
    assert november.denominator == 5  # the delivery promised on the 26th is not due on the 20th


def test_quarterly_series_has_8_points_with_the_running_quarter_last(supplier_a):
    series_data(supplier_a, 4)
    result = selectors.supplier_series(supplier=supplier_a, kind="quarter", today=TODAY)
    points = result[Kpi.ON_TIME_DELIVERY]
    assert [p.period.key for p in points] == [
        "2025-Q1",
        "2025-Q2",
        "2025-Q3",
        "2025-Q4",
        "2026-Q1",
        "2026-Q2",
        "2026-Q3",
        "2026-Q4",
    ]
    for point in points:
        alone = kpis.on_time_delivery(start=point.period.start, end=point.period.end, today=TODAY)
        assert figures(point.value) == figures(alone.get(supplier_a.pk, kpis.EMPTY_DELIVERIES))
    assert points[-1].value.denominator > 0 and points[-2].value.denominator > 0


def test_series_points_are_held_to_the_suppliers_target(supplier_a):
    series_data(supplier_a, 2)
    for kpi, points in selectors.supplier_series(supplier=supplier_a, kind="month", today=TODAY).items():
        for point in points:
            if point.value.value is None:
                assert point.met is None
            elif kpi in (Kpi.ON_TIME_DELIVERY, Kpi.PAYMENT_TIMELINESS):
                assert point.met == (point.value.value >= point.target)
            elif kpi == Kpi.DEFECT_RATE:
                assert point.met == (point.value.value < point.target)


SERIES_QUERIES = 7  # one per KPI family, the targets and the response targets


@pytest.mark.parametrize("kind", ["week", "month", "quarter"])
def test_series_takes_the_same_few_queries_however_many_rows(supplier_a, kind, django_assert_num_queries):
    series_data(supplier_a, 1)
    with CaptureQueriesContext(connection) as few:
        selectors.supplier_series(supplier=supplier_a, kind=kind, today=TODAY)
    series_data(supplier_a, 12)
    with django_assert_num_queries(len(few)):
        selectors.supplier_series(supplier=supplier_a, kind=kind, today=TODAY)
    assert len(few) == SERIES_QUERIES


# --- rows_behind: exactly the rows each KPI counts -----------------------------------------------------------------


def check_rows_against_kpi(rows, kpi_value, expected_objects):
    """The rows are the KPI's events: their count is its denominator, the good ones its numerator."""
    assert {row.obj.pk for row in rows} == {obj.pk for obj in expected_objects}
    assert len(rows) == len(expected_objects)  # no row twice
    assert len(rows) == kpi_value.denominator == kpi_value.sample
    assert sum(row.good for row in rows) == kpi_value.numerator


def test_rows_behind_on_time_delivery(supplier_a, supplier_b):
    today = date(2026, 10, 25)  # October is running
    october = periods.period_of("month", today)
    counted = [
        delivery(supplier_a, date(2026, 10, 1), date(2026, 9, 30)),  # on time, first day
        delivery(supplier_a, date(2026, 10, 10), date(2026, 10, 12)),  # late
        delivery(supplier_a, date(2026, 10, 20)),  # missing past its date: late
        delivery(
            supplier_a, date(2026, 10, 31), date(2026, 10, 20)
        ),  # received before a future date: on time
    ]
    delivery(supplier_a, date(2026, 10, 15), status=Delivery.Status.CANCELLED)
    delivery(supplier_a, date(2026, 10, 28))  # promised later this month: not due yet
    delivery(supplier_a, date(2026, 10, 25))  # promised today: not late before the day is over
    delivery(supplier_a, date(2026, 9, 30), date(2026, 10, 5))  # the month before
    delivery(supplier_a, date(2026, 11, 1), date(2026, 10, 5))  # the month after
    delivery(supplier_b, date(2026, 10, 10), date(2026, 10, 12))  # another supplier
    rows = selectors.rows_behind(supplier=supplier_a, kpi=Kpi.ON_TIME_DELIVERY, period=october, today=today)
    value = kpis.on_time_delivery(start=october.start, end=october.end, today=today)[supplier_a.pk]
    check_rows_against_kpi(rows, value, counted)
    assert (value.numerator, value.denominator) == (2, 4)
    assert [row.good for row in rows] == [True, False, False, True]  # in promised-date order


def test_rows_behind_defect_rate(supplier_a, supplier_b):
    october = periods.parse("2026-10", today=TODAY)
    counted = [
        inspection(supplier_a, date(2026, 10, 1), 80, 2),
        inspection(supplier_a, date(2026, 10, 14), 125, 0),
        inspection(supplier_a, date(2026, 10, 31), 50, 5),
    ]
    inspection(supplier_a, date(2026, 9, 30), 80, 9)
    inspection(supplier_a, date(2026, 11, 1), 80, 9)
    inspection(supplier_b, date(2026, 10, 14), 80, 9)
    rows = selectors.rows_behind(supplier=supplier_a, kpi=Kpi.DEFECT_RATE, period=october, today=TODAY)
    value = kpis.defect_rate(start=october.start, end=october.end)[supplier_a.pk]
    assert {row.obj.pk for row in rows} == {i.pk for i in counted}
    assert len(rows) == value.sample == 3
    assert sum(row.obj.defective_units for row in rows) == value.numerator == 7
    assert sum(row.obj.sample_size for row in rows) == value.denominator == 255
    assert [(row.good, row.detail) for row in rows] == [(False, "2/80"), (True, "0/125"), (False, "5/50")]


def test_rows_behind_payment_timeliness(supplier_a, supplier_b):
    today = date(2026, 10, 25)
    october = periods.period_of("month", today)
    counted = [
        invoice(supplier_a, date(2026, 10, 1), date(2026, 10, 1)),  # on the day
        invoice(supplier_a, date(2026, 10, 5), date(2026, 10, 9)),  # 4 days late
        invoice(supplier_a, date(2026, 10, 20)),  # unpaid: 5 days late by the 25th
        invoice(supplier_a, date(2026, 10, 30), date(2026, 10, 22)),  # paid early
    ]
    invoice(supplier_a, date(2026, 10, 12), status=Invoice.Status.REJECTED)
    invoice(supplier_a, date(2026, 10, 28))  # not due yet
    invoice(supplier_a, date(2026, 9, 30))
    invoice(supplier_a, date(2026, 11, 1), date(2026, 10, 2))
    invoice(supplier_b, date(2026, 10, 5))
    rows = selectors.rows_behind(supplier=supplier_a, kpi=Kpi.PAYMENT_TIMELINESS, period=october, today=today)
    value = kpis.payment_timeliness(start=october.start, end=october.end, today=today)[supplier_a.pk]
    check_rows_against_kpi(rows, value, counted)
    assert (value.numerator, value.denominator, value.days_late) == (2, 4, 9)
    assert [row.detail for row in rows] == ["", "4 days late", "5 days late", ""]


@pytest.fixture
def october_issues(supplier_a, supplier_b):
    """Issues of a supplier in Shanghai around October 2026, raised by each side, seen on 1 November 06:00 UTC."""
    supplier_a.timezone = "Asia/Shanghai"
    supplier_a.save(update_fields=["timezone"])
    made = {}
    for side in (Side.BUYER, Side.SUPPLIER):
        made[side] = {
            "counted": [
                issue(supplier_a, utc(2026, 9, 30, 16, 30), 2, side),  # 1 October 00:30 in Shanghai
                issue(supplier_a, utc(2026, 10, 12, 8, 0), 30, side),  # over the target
                issue(supplier_a, utc(2026, 10, 20, 8, 0), 24, side),  # exactly the target: within
                issue(supplier_a, utc(2026, 10, 30, 0, 0), None, side),  # unanswered for 54 h: a breach
                issue(supplier_a, utc(2026, 10, 31, 15, 30), 1, side),  # 23:30 on 31 October in Shanghai
            ],
            "left_out": [
                issue(supplier_a, utc(2026, 9, 30, 15, 30), 1, side),  # 23:30 on 30 September in Shanghai
                issue(supplier_a, utc(2026, 10, 31, 16, 30), 1, side),  # 1 November 00:30 in Shanghai
                issue(
                    supplier_a, utc(2026, 10, 31, 15, 0), None, side
                ),  # unanswered for 15 h: not yet counted
                issue(supplier_b, utc(2026, 10, 12, 8, 0), 3, side),
            ],
        }
    return made


ISSUE_NOW = utc(2026, 11, 1, 6, 0)


@pytest.mark.parametrize("project_zone", ["UTC", "America/Los_Angeles", "Asia/Tokyo"])
@pytest.mark.parametrize(
    ("kpi", "side"), [(Kpi.RESPONSE_TIME, Side.BUYER), (Kpi.BUYER_RESPONSE_TIME, Side.SUPPLIER)]
)
def test_rows_behind_response_times_are_the_issues_of_the_suppliers_days(
    supplier_a, october_issues, settings, kpi, side, project_zone
):
    settings.FORGELINE_RESPONSE_TARGET_HOURS = 24
    october = periods.parse("2026-10", today=TODAY)
    with override_settings(TIME_ZONE=project_zone):
        rows = selectors.rows_behind(supplier=supplier_a, kpi=kpi, period=october, today=TODAY, now=ISSUE_NOW)
        value = kpis.all_kpis(start=october.start, end=october.end, today=TODAY, now=ISSUE_NOW)[kpi][
            supplier_a.pk
        ]
    check_rows_against_kpi(rows, value, october_issues[side]["counted"])
    assert (value.numerator, value.denominator, value.value) == (3, 5, Decimal("24.0"))  # 1, 2, 24, 30, 54
    assert [row.good for row in rows] == [True, False, True, False, True]
    assert rows[3].detail == "54.0 h …"


def test_the_behind_rows_of_an_unknown_kpi_are_an_error(supplier_a):
    with pytest.raises(ValueError):
        selectors.rows_behind(
            supplier=supplier_a, kpi="happiness", period=periods.rolling(TODAY), today=TODAY
        )


def test_rows_behind_response_time_whatever_the_viewers_timezone(supplier_a):
    supplier_a.timezone = "Pacific/Pago_Pago"  # UTC-11
    supplier_a.save(update_fields=["timezone"])
    october = periods.parse("2026-10", today=TODAY)
    # 23:30 on 31 October in Pago Pago = 10:30 on 1 November UTC = 00:30 on 2 November in Kiritimati.
    for n in range(3):
        issue(supplier_a, utc(2026, 11, 1, 8 + n, 30), 1 + n)
    with timezone.override(ZoneInfo("Pacific/Kiritimati")):
        rows = selectors.rows_behind(
            supplier=supplier_a, kpi=Kpi.RESPONSE_TIME, period=october, today=TODAY, now=NOW
        )
        value = kpis.all_kpis(start=october.start, end=october.end, today=TODAY, now=NOW)[Kpi.RESPONSE_TIME]
    assert value[supplier_a.pk].denominator == 3
    assert len(rows) == 3
