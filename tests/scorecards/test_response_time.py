"""Response time to issues (scorecards/kpis.py response_time) against cases computed by hand.

The KPI has two code paths: PostgreSQL takes the median in the database (percentile_cont), SQLite in Python.
These tests run on whichever database is configured, so CI covers one path and a local run the other.
"""

import functools
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.test import override_settings
from django.utils import timezone

from communications.models import Side, SupplierIssue
from scorecards import kpis
from tests.factories import PortalUserFactory, SupplierFactory
from tests.orders.builders import days

pytestmark = pytest.mark.django_db

TARGET_HOURS = Decimal("24")
# A whole second, so that waiting times come out in round hours.
NOW = timezone.now().replace(microsecond=0)


def issue(supplier, *, hours_ago: float, answered_after: float | None = None, side=Side.BUYER, **fields):
    """An issue raised `hours_ago` before NOW by `side`, first answered `answered_after` hours later (or not)."""
    raised_at = fields.pop("raised_at", None) or NOW - timedelta(hours=hours_ago)
    raised_by = supplier.owner if side == Side.BUYER else PortalUserFactory(supplier=supplier)
    return SupplierIssue.objects.create(
        supplier=supplier,
        raised_by_side=side,
        category=fields.pop("category", SupplierIssue.Category.QUALITY),
        subject="Loose threads on the handles",
        description="See the photos of lot 4.",
        raised_by=raised_by,
        owner=supplier.owner,
        raised_at=raised_at,
        first_response_at=None if answered_after is None else raised_at + timedelta(hours=answered_after),
        status=SupplierIssue.Status.OPEN if answered_after is None else SupplierIssue.Status.ANSWERED,
        **fields,
    )


def answered(supplier, *hours: float, side=Side.BUYER):
    """Issues answered after each of `hours`, all raised 100 hours ago."""
    for h in hours:
        issue(supplier, hours_ago=100, answered_after=h, side=side)


def response(supplier, **kwargs) -> kpis.ResponseKpiValue:
    """Return a supplier's response time over the last 90 days, as of NOW."""
    args = {"start": days(-90), "end": days(0), "now": NOW, "target_hours": TARGET_HOURS, **kwargs}
    return kpis.response_time(**args).get(supplier.pk, kpis.EMPTY_ISSUES)


# --- The median ------------------------------------------------------------------------------------------------


def test_response_time_is_the_median_hours_to_the_first_reply_of_an_odd_number_of_issues(supplier_a):
    answered(supplier_a, 30, 2, 5)
    kpi = response(supplier_a)
    assert kpi.value == Decimal("5.0")
    assert (kpi.numerator, kpi.denominator, kpi.sample) == (2, 3, 3)


def test_median_of_an_even_number_of_issues_is_the_mean_of_the_middle_two(supplier_a):
    answered(supplier_a, 2, 30, 4, 10)
    kpi = response(supplier_a)
    assert kpi.value == Decimal("7.0")  # (4 + 10) / 2
    assert (kpi.numerator, kpi.denominator) == (3, 4)


def test_median_is_not_the_mean(supplier_a):
    answered(supplier_a, 1, 2, 90)
    assert response(supplier_a).value == Decimal("2.0")  # the mean would be 31 h


# --- Unanswered issues -----------------------------------------------------------------------------------------


def test_unanswered_issue_past_the_target_counts_at_once_as_a_breach_with_its_waiting_time(supplier_a):
    answered(supplier_a, 1, 50)
    issue(supplier_a, hours_ago=30)  # waiting for 30 h so far
    kpi = response(supplier_a)
    assert kpi.value == Decimal("30.0")  # median of 1, 30, 50: the waiting time so far
    assert (kpi.numerator, kpi.denominator) == (1, 3)


def test_unanswered_issue_keeps_counting_its_waiting_time_as_time_passes(supplier_a):
    answered(supplier_a, 1, 2)
    issue(supplier_a, hours_ago=30)
    assert response(supplier_a).value == Decimal("2.0")  # median of 1, 2, 30
    later = response(supplier_a, now=NOW + timedelta(hours=10))
    assert later.value == Decimal("2.0") and later.denominator == 3
    answered(supplier_a, 100)
    # 1, 2, 40 (waiting 10 h longer) and 100: the middle two are 2 and 40.
    assert response(supplier_a, now=NOW + timedelta(hours=10)).value == Decimal("21.0")


def test_unanswered_issue_younger_than_the_target_is_not_counted_yet(supplier_a):
    answered(supplier_a, 1, 2, 3)
    issue(supplier_a, hours_ago=10)
    kpi = response(supplier_a)
    assert (kpi.numerator, kpi.denominator) == (3, 3)
    assert kpi.value == Decimal("2.0")


def test_young_unanswered_issues_do_not_make_up_the_minimum_sample(supplier_a):
    answered(supplier_a, 1, 2)
    issue(supplier_a, hours_ago=23)
    assert response(supplier_a).value is None
    # Two hours later the same issue is past the target and counts, as a breach.
    kpi = response(supplier_a, now=NOW + timedelta(hours=2))
    assert (kpi.numerator, kpi.denominator) == (2, 3)
    assert kpi.value == Decimal("2.0")


# --- Share within target ---------------------------------------------------------------------------------------


def test_share_within_target_is_issues_answered_within_it_over_issues_counted(supplier_a):
    answered(supplier_a, 1, 24, 25)  # exactly 24 h is within; 25 h is not
    issue(supplier_a, hours_ago=48)  # unanswered past the target: a breach
    kpi = response(supplier_a)
    assert (kpi.numerator, kpi.denominator) == (2, 4)
    assert kpi.share_within_target == Decimal("50.00")
    assert kpi.value == Decimal("24.5")  # median of 1, 24, 25, 48


def test_share_within_target_follows_the_target_given(supplier_a):
    answered(supplier_a, 1, 10, 20)
    assert response(supplier_a).share_within_target == Decimal("100.00")
    assert response(supplier_a, target_hours=Decimal("8")).share_within_target == Decimal("33.33")


# --- Minimum sample --------------------------------------------------------------------------------------------


def test_below_three_issues_the_value_is_none_not_a_number_of_hours(supplier_a):
    answered(supplier_a, 1, 2)
    kpi = response(supplier_a)
    assert (kpi.numerator, kpi.denominator, kpi.sample) == (2, 2, 2)
    assert kpi.sufficient is False
    assert kpi.value is None and kpi.share_within_target is None


def test_at_exactly_three_issues_the_value_is_stated(supplier_a):
    answered(supplier_a, 1, 2, 3)
    assert response(supplier_a).sufficient is True


def test_supplier_without_issues_has_insufficient_data(supplier_a):
    assert supplier_a.pk not in kpis.response_time(
        start=days(-90), end=days(0), now=NOW, target_hours=TARGET_HOURS
    )
    assert response(supplier_a).value is None


# --- Which side answers -----------------------------------------------------------------------------------------


def test_issues_raised_by_the_supplier_are_measured_for_our_side_only(supplier_a):
    answered(supplier_a, 10, 20, 30)  # raised by us, answered by the factory
    answered(supplier_a, 1, 2, 3, side=Side.SUPPLIER)  # raised by the factory, answered by us
    issue(supplier_a, hours_ago=40, side=Side.SUPPLIER)  # the factory is still waiting for us
    theirs = response(supplier_a)
    ours = response(supplier_a, responding_side="buyer")
    assert (theirs.value, theirs.numerator, theirs.denominator) == (Decimal("20.0"), 2, 3)
    assert (ours.value, ours.numerator, ours.denominator) == (Decimal("2.5"), 3, 4)  # 1, 2, 3, 40


def test_all_kpis_reports_both_sides(supplier_a, settings):
    settings.FORGELINE_RESPONSE_TARGET_HOURS = 24
    answered(supplier_a, 10, 20, 30)
    answered(supplier_a, 1, 2, 3, side=Side.SUPPLIER)
    families = kpis.all_kpis(start=days(-90), end=days(0), today=days(0), now=NOW)
    assert families["response_time"][supplier_a.pk].value == Decimal("20.0")
    assert families["buyer_response_time"][supplier_a.pk].value == Decimal("2.0")


def test_issues_argument_narrows_what_is_measured(supplier_a):
    answered(supplier_a, 1, 2, 3)
    issue(supplier_a, hours_ago=100, answered_after=50, category=SupplierIssue.Category.DELIVERY)
    assert response(supplier_a).value == Decimal("2.5")
    quality = SupplierIssue.objects.filter(category=SupplierIssue.Category.QUALITY)
    assert response(supplier_a, issues=quality).value == Decimal("2.0")


# --- Many suppliers ---------------------------------------------------------------------------------------------


def test_each_supplier_gets_its_own_median(supplier_a, supplier_b):
    answered(supplier_a, 1, 2, 3)
    answered(supplier_b, 10, 40, 50)
    values = kpis.response_time(start=days(-90), end=days(0), now=NOW, target_hours=TARGET_HOURS)
    assert values[supplier_a.pk].value == Decimal("2.0")
    assert (values[supplier_b.pk].value, values[supplier_b.pk].numerator) == (Decimal("40.0"), 1)


def test_response_time_of_twenty_suppliers_takes_one_query(buyer, django_assert_num_queries):
    suppliers = SupplierFactory.create_batch(20, owner=buyer)
    for n, supplier in enumerate(suppliers):
        answered(supplier, 1, 2 + n, 40)
        issue(supplier, hours_ago=10)  # too young to count
    with django_assert_num_queries(1):
        values = kpis.response_time(start=days(-90), end=days(0), now=NOW, target_hours=TARGET_HOURS)
    assert {pk: (v.value, v.denominator) for pk, v in values.items()} == {
        s.pk: (Decimal(2 + n).quantize(Decimal("0.1")), 3) for n, s in enumerate(suppliers)
    }


# --- The window's boundaries, in the current timezone -----------------------------------------------------------


def local_time(tz, day, hour: int, minute: int) -> datetime:
    """Return `day` at hour:minute on the wall clock of `tz`."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz)


@pytest.mark.parametrize("zone", ["Asia/Shanghai", "America/New_York"])
def test_issue_raised_at_2330_on_the_last_day_counts_and_one_raised_the_next_day_does_not(supplier_a, zone):
    tz = ZoneInfo(zone)
    start, end = days(-60), days(-30)
    at = functools.partial(local_time, tz)
    middle = days(-45)
    issue(supplier_a, hours_ago=0, answered_after=1, raised_at=at(middle, 10, 0))
    issue(supplier_a, hours_ago=0, answered_after=2, raised_at=at(middle, 11, 0))
    issue(supplier_a, hours_ago=0, answered_after=3, raised_at=at(end, 23, 30))  # the last day, late evening
    next_day = end + timedelta(days=1)
    issue(supplier_a, hours_ago=0, answered_after=50, raised_at=at(next_day, 0, 30))
    # Windows are cut on the supplier's calendar (its timezone), whatever the project's timezone.
    supplier_a.timezone = zone
    supplier_a.save(update_fields=["timezone"])
    with override_settings(TIME_ZONE="America/Los_Angeles" if zone != "America/Los_Angeles" else "UTC"):
        kpi = response(supplier_a, start=start, end=end)
    assert (kpi.numerator, kpi.denominator) == (3, 3)
    assert kpi.value == Decimal("2.0")


@pytest.mark.parametrize("zone", ["Asia/Shanghai", "America/New_York"])
def test_issue_raised_at_midnight_on_the_first_day_counts_and_one_raised_the_evening_before_does_not(
    supplier_a, zone
):
    tz = ZoneInfo(zone)
    start, end = days(-60), days(-30)
    at = functools.partial(local_time, tz)
    issue(supplier_a, hours_ago=0, answered_after=50, raised_at=at(start - timedelta(days=1), 23, 30))
    issue(supplier_a, hours_ago=0, answered_after=1, raised_at=at(start, 0, 0))
    issue(supplier_a, hours_ago=0, answered_after=2, raised_at=at(start, 0, 30))
    issue(supplier_a, hours_ago=0, answered_after=3, raised_at=at(end, 12, 0))
    # Windows are cut on the supplier's calendar (its timezone), whatever the project's timezone.
    supplier_a.timezone = zone
    supplier_a.save(update_fields=["timezone"])
    with override_settings(TIME_ZONE="America/Los_Angeles" if zone != "America/Los_Angeles" else "UTC"):
        kpi = response(supplier_a, start=start, end=end)
    assert (kpi.numerator, kpi.denominator) == (3, 3)
    assert kpi.value == Decimal("2.0")


def test_the_viewers_timezone_does_not_change_the_figures(supplier_a):
    start, end = days(-60), days(-30)
    for n, raised in enumerate([days(-45), days(-40), days(-30)]):
        issue(
            supplier_a,
            hours_ago=0,
            answered_after=n + 1,
            raised_at=datetime(raised.year, raised.month, raised.day, 23, 30, tzinfo=ZoneInfo("UTC")),
        )
    figures = set()
    for zone in ("UTC", "Asia/Shanghai", "America/New_York"):
        with timezone.override(ZoneInfo(zone)):
            kpi = response(supplier_a, start=start, end=end)
        figures.add((kpi.numerator, kpi.denominator, kpi.value))
    assert len(figures) == 1
