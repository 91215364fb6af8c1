"""The two-way card's forecast figures (kpis.forecast_notice: advance notice and forecast accuracy) kept in the
stored KPI rows: equal to kpis.forecast_notice over every kept window after each kind of write that moves them
(an order sent, a line's date agreed with the factory, an order declined, a forecast published) and after the
nightly pass; the scorecards API reads them instead of computing them per request."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from core.clock import business_today
from orders import services as order_services
from orders.models import OrderChange, PurchaseOrder
from planning import services as planning_services
from scorecards import api as scorecard_api
from scorecards import kpis, periods, services, tasks
from scorecards.models import CurrentKpi
from suppliers.models import Stage
from tests.factories import OrderLineFactory, PurchaseOrderFactory, SupplierFactory, UserFactory
from tests.planning.builders import line, publish

pytestmark = pytest.mark.django_db

API = "/api/v1/scorecards/"
# The API's queries for a page of suppliers with stored rows: the request's savepoint and its release, the
# suppliers without a row, the count, the page (its stored figures with it), the targets, last week's snapshots and
# the price variance. The forecast figures come with the page's rows: kpis.forecast_notice, one query more and the
# slowest of them at size M (an OR over two tables' dates scans every order line of the page's suppliers), no
# longer runs per request (9 → 8).
API_QUERIES = 8
# A Tuesday in the running fourth quarter: December begins inside it, so a forecast published now for December
# moves the quarter's forecast accuracy.
NOW = datetime(2026, 11, 10, 10, 0, tzinfo=ZoneInfo("UTC"))


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def expected_by_window(supplier_id) -> dict:
    """Return {window key: ForecastNotice} as kpis.forecast_notice computes it now, window by window."""
    return {
        period.key: kpis.forecast_notice(start=period.start, end=period.end, supplier_ids=[supplier_id]).get(
            supplier_id, kpis.ForecastNotice()
        )
        for period in periods.stored(today=business_today())
    }


def stored_by_window(supplier_id) -> dict:
    return {
        row.period: kpis.decode_forecast_notice(row.forecasting)
        for row in CurrentKpi.objects.filter(supplier_id=supplier_id)
    }


def order(supplier, ordered_on, *lines, status=PurchaseOrder.Status.SENT):
    """An order placed on `ordered_on` with (sku, quantity, required_on) lines."""
    placed = PurchaseOrderFactory(supplier=supplier, ordered_on=ordered_on, status=status)
    for sku, quantity, required_on in lines:
        OrderLineFactory(order=placed, sku=sku, quantity=quantity, required_on=required_on)
    return placed


@pytest.fixture
def planned(supplier_a, buyer):
    """Supplier A: forecast v1 (3 Aug) for October and November, an order sent on 5 Oct for November that v1
    announced, one placed on 14 Sep that it did not (less than 8 weeks), and a draft for December."""
    supplier_a.stage = Stage.APPROVED
    supplier_a.save(update_fields=["stage"])
    publish(
        supplier_a, buyer, [line("2026-10", 1000, sku="A"), line("2026-11", 2000, sku="A")], on="2026-08-03"
    )
    sent = order(supplier_a, date(2026, 10, 5), ("A", 600, date(2026, 11, 20)))
    order(supplier_a, date(2026, 9, 14), ("A", 400, date(2026, 10, 20)))
    draft = order(
        supplier_a, date(2026, 11, 2), ("A", 300, date(2026, 12, 10)), status=PurchaseOrder.Status.DRAFT
    )
    return {"sent": sent, "draft": draft}


def _send(planned, supplier, buyer, portal):
    order_services.order_send(order=planned["draft"], by=buyer, acknowledge_short_notice=True)


def _agree_a_date(planned, supplier, buyer, portal):
    sent = planned["sent"]
    order_services.order_line_change(
        line=sent.lines.get(), by=buyer, required_on=date(2026, 12, 15), reason="Store opening moved"
    )
    change = sent.changes.get(kind=OrderChange.Kind.REQUIRED_DATE, status=OrderChange.Status.PROPOSED)
    order_services.order_change_accept(change=change, by=portal)


def _decline(planned, supplier, buyer, portal):
    order_services.order_decline(order=planned["sent"], by=portal, reason="No capacity in November.")


def _publish(planned, supplier, buyer, portal):
    planning_services.forecast_publish(supplier=supplier, by=buyer, lines=[line("2026-12", 800, sku="A")])


WRITES = {
    "an order sent": _send,
    "a line's date agreed with the factory": _agree_a_date,
    "an order declined": _decline,
    "a forecast published": _publish,
}


@pytest.mark.parametrize("write", list(WRITES))
def test_the_stored_forecast_figures_equal_kpis_after_each_kind_of_write(
    write, planned, supplier_a, buyer, portal_a, django_capture_on_commit_callbacks
):
    services.current_kpis_refresh(today=business_today(), now=timezone.now())
    before = stored_by_window(supplier_a.pk)
    assert before == expected_by_window(supplier_a.pk)
    with django_capture_on_commit_callbacks(execute=True):
        WRITES[write](planned, supplier_a, buyer, portal_a)
    after = stored_by_window(supplier_a.pk)
    assert after == expected_by_window(supplier_a.pk)
    assert after != before  # the write moved a figure: the test compares fresh values, not old ones twice
    assert set(after) == {p.key for p in periods.stored(today=business_today())}


def test_each_write_moves_the_figures_it_should(
    planned, supplier_a, buyer, portal_a, django_capture_on_commit_callbacks
):
    quarter = periods.period_of("quarter", business_today()).key
    services.current_kpis_refresh(today=business_today(), now=timezone.now())
    stored = stored_by_window(supplier_a.pk)[quarter]
    # The 600 placed in the quarter were announced; October: 400 ordered of 1,000, November: 600 of 2,000.
    assert (stored.advance_notice.numerator, stored.advance_notice.denominator) == (600, 600)
    assert (stored.accuracy.numerator, stored.accuracy.denominator) == (1000, 3000)
    with django_capture_on_commit_callbacks(execute=True):
        _publish(planned, supplier_a, buyer, portal_a)
    stored = stored_by_window(supplier_a.pk)[quarter]
    assert (stored.accuracy.numerator, stored.accuracy.denominator) == (
        1000,
        3800,
    )  # December: 0 of 800 so far
    with django_capture_on_commit_callbacks(execute=True):
        _send(planned, supplier_a, buyer, portal_a)
    stored = stored_by_window(supplier_a.pk)[quarter]
    # Placed on 2 Nov, and December was in no forecast 8 weeks before: not announced.
    assert (stored.advance_notice.numerator, stored.advance_notice.denominator) == (600, 600 + 300)
    assert (stored.accuracy.numerator, stored.accuracy.denominator) == (1300, 3800)


@pytest.mark.parametrize("kind", periods.KINDS)
def test_forecast_notice_by_period_equals_it_period_by_period(planned, supplier_a, supplier_b, buyer, kind):
    order(supplier_b, date(2026, 6, 30), ("Z", 50, date(2026, 7, 1)))  # a quarter and a month apart
    order(supplier_a, date(2026, 8, 31), ("A", 70, date(2026, 11, 1)))  # a week across two months
    publish(supplier_b, buyer, [line("2026-09", 90, sku="Z")], on="2026-06-01")
    series = periods.series(kind, count=periods.STORED_SERIES[kind], today=business_today())
    grouped = kpis.forecast_notice(start=series[0].start, end=series[-1].end, by=kind)
    found = 0
    for period in series:
        one = kpis.forecast_notice(start=period.start, end=period.end)
        for supplier in (supplier_a, supplier_b):
            empty = kpis.ForecastNotice()
            assert grouped.get((supplier.pk, period.start), empty) == one.get(supplier.pk, empty), period.key
            found += one.get(supplier.pk, empty) != empty
    assert found  # the periods hold figures: the comparison is not of empty values only


def test_the_nightly_pass_stores_every_active_suppliers_forecast_figures(planned, supplier_a, supplier_b):
    supplier_b.stage = Stage.APPROVED
    supplier_b.save(update_fields=["stage"])
    tasks.red_flags_scan_task.run()
    for supplier in (supplier_a, supplier_b):
        assert stored_by_window(supplier.pk) == expected_by_window(supplier.pk)
    assert CurrentKpi.objects.get(supplier=supplier_b, period="90d").forecasting == {}
    assert CurrentKpi.objects.get(supplier=supplier_a, period="90d").forecasting != {}


# --- The API reads them ------------------------------------------------------------------------------------------


def figures(answer, supplier) -> tuple:
    card = next(row for row in answer["results"] if row["supplier"] == supplier.pk)
    return tuple(
        (card[name]["numerator"], card[name]["denominator"])
        for name in ("advance_notice", "forecast_accuracy")
    )


def test_the_api_shows_the_stored_forecast_figures(planned, supplier_a, api_client, manager):
    services.current_kpis_refresh(today=business_today(), now=timezone.now())
    order(supplier_a, date(2026, 11, 3), ("A", 5000, date(2026, 11, 25)))  # no check ran since
    api_client.force_authenticate(manager)
    answer = api_client.get(API, {"period": "2026-Q4"}).json()
    assert figures(answer, supplier_a) == ((600, 600), (1000, 3000))  # the stored figures, as of the refresh
    live = kpis.forecast_notice(start=date(2026, 10, 1), end=date(2026, 12, 31))[supplier_a.pk]
    assert live.advance_notice.denominator == 5600  # what computing per request would show
    rolling = CurrentKpi.objects.get(supplier=supplier_a, period="90d")
    expected = kpis.decode_forecast_notice(rolling.forecasting)
    assert figures(api_client.get(API).json(), supplier_a) == (
        (expected.advance_notice.numerator, expected.advance_notice.denominator),
        (expected.accuracy.numerator, expected.accuracy.denominator),
    )


def test_a_row_stored_before_the_forecast_figures_were_is_computed_now(
    planned, supplier_a, api_client, manager
):
    services.current_kpis_refresh(today=business_today(), now=timezone.now())
    CurrentKpi.objects.update(forecasting=None)  # rows written before migration 0019
    api_client.force_authenticate(manager)
    answer = api_client.get(API, {"period": "2026-Q4"}).json()
    assert figures(answer, supplier_a) == ((600, 600), (1000, 3000))


def test_the_api_pins_its_queries_and_no_longer_computes_the_forecast_figures(
    api_client, manager, monkeypatch, django_assert_num_queries
):
    made = [
        SupplierFactory(name=f"Factory {n:02d}", stage=Stage.APPROVED, owner=UserFactory()) for n in range(55)
    ]
    for supplier in made[:3]:
        order(supplier, date(2026, 10, 5), ("A", 10, date(2026, 11, 20)))
    services.current_kpis_refresh(today=business_today(), now=timezone.now())
    api_client.force_authenticate(manager)
    api_client.get(API)  # warm the caches

    def computed(**_kwargs):
        raise AssertionError("the API computed the forecast figures")

    monkeypatch.setattr(scorecard_api.kpis, "forecast_notice", computed)
    with django_assert_num_queries(API_QUERIES):
        answer = api_client.get(API).json()
    assert answer["count"] == 55 and len(answer["results"]) == 50
    assert figures(answer, made[0]) == ((0, 10), (0, 0))


def test_the_bench_finds_the_stored_forecast_figures_equal_to_kpis_and_says_where_one_differs(
    planned, supplier_a
):
    if connection.vendor != "postgresql":
        pytest.skip("the bench's raw SQL is PostgreSQL's")
    from bench.engine_cases import current_kpi_mismatches

    today, now = business_today(), timezone.now()
    services.current_kpis_refresh(today=today, now=now)
    assert current_kpi_mismatches(today=today, now=now) == []
    row = CurrentKpi.objects.get(supplier=supplier_a, period="90d")
    row.forecasting["advance_notice"]["numerator"] += 1
    row.save(update_fields=["forecasting"])
    (mismatch,) = current_kpi_mismatches(today=today, now=now)
    assert mismatch.startswith(f"90d forecasting supplier {supplier_a.pk}")
