"""The stored KPI rows (CurrentKpi) the portfolio and the scorecards API read: kept equal to kpis.py by the
per-supplier check after each kind of write and by the nightly pass; ranked, counted and paged in SQL with the
"as of" time shown, and a constant number of queries whatever the number of suppliers."""

import itertools
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from audits import services as audit_services
from communications import services as communication_services
from communications.models import Side
from core.clock import business_today
from orders import services as order_services
from orders.models import PurchaseOrder
from payments.models import Invoice
from payments.services import payment_record
from scorecards import kpis, periods, services, tasks
from scorecards.models import CurrentKpi, Kpi
from suppliers.models import Stage
from tests.factories import (
    DeliveryFactory,
    PortalUserFactory,
    PurchaseOrderFactory,
    SupplierFactory,
    UserFactory,
)
from tests.scorecards.builders import delivery, inspection, invoice, issue, queries

pytestmark = pytest.mark.django_db

PORTFOLIO = reverse("scorecards:portfolio")
PORTFOLIO_QUERIES = 17  # the whole page, the improvement ideas' credit (one query) included
API = "/api/v1/scorecards/"
# A Thursday in December: the running week, month and quarter, and closed ones before them.
NOW = datetime(2026, 12, 3, 10, 0, tzinfo=ZoneInfo("UTC"))


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def stored_equals_kpis(supplier_ids) -> None:
    """Assert that every kept window's stored row of each supplier equals kpis.all_kpis for that supplier."""
    today = business_today()
    for period in periods.stored(today=today):
        rows = {row.supplier_id: row for row in CurrentKpi.objects.filter(period=period.key)}
        families = kpis.all_kpis(start=period.start, end=period.end, today=today, now=timezone.now())
        for supplier_id in supplier_ids:
            row = rows[supplier_id]
            expected = {kpi: families[kpi].get(supplier_id, kpis.EMPTY_VALUES[kpi]) for kpi in Kpi.values}
            assert row.kpi_values() == expected, period.key
            assert (row.start, row.end, row.today) == (period.start, period.end, today)


def busy(made, *, late: int = 1):
    """Give a supplier something for every KPI, in the rolling window and in last month."""
    today = business_today()
    for n in range(5):
        delivery(
            made, today - timedelta(days=10 + n), today - timedelta(days=10 + n - (3 if n < late else 0))
        )
    delivery(made, today - timedelta(days=40), today - timedelta(days=41))
    inspection(made, today - timedelta(days=5), 100, 2)
    inspection(made, today - timedelta(days=35), 50, 5)
    for hours in (1, 2, 30):
        issue(made, timezone.now() - timedelta(hours=100 + hours), answered_after=hours)
    issue(made, timezone.now() - timedelta(hours=80), side=Side.SUPPLIER)  # unanswered past the target
    for n in range(3):
        invoice(made, today - timedelta(days=20 + n), paid=today - timedelta(days=18 + n) if n else None)
    return made


# --- Kept equal to kpis.py after each kind of write ------------------------------------------------------------


@pytest.fixture
def sent_order(supplier_a):
    supplier_a.stage = Stage.APPROVED
    supplier_a.save(update_fields=["stage"])
    busy(supplier_a)
    return PurchaseOrderFactory(supplier=supplier_a, status=PurchaseOrder.Status.SENT)


def _receive(supplier, buyer, quality, portal):
    late = DeliveryFactory(
        order=PurchaseOrder.objects.filter(supplier=supplier, status=PurchaseOrder.Status.SENT).first(),
        promised_on=business_today() - timedelta(days=4),
    )
    order_services.delivery_receive(
        delivery=late, by=buyer, received_on=business_today(), quantity_received=late.quantity_planned
    )


def _inspect(supplier, buyer, quality, portal):
    audit_services.inspection_record(
        supplier=supplier,
        by=quality,
        checkpoint="pre_shipment",
        inspected_on=periods.period_of("month", business_today()).previous().start,  # a closed month too
        lot_size=500,
        major_defects=7,
        defective_units=7,
    )


def _answer(supplier, buyer, quality, portal):
    raised = communication_services.issue_raise(
        supplier=supplier,
        by=buyer,
        category="quality",
        subject="Loose threads",
        description="On the last lot.",
    )
    with time_machine.travel(NOW + timedelta(hours=5), tick=False):
        communication_services.issue_reply(issue=raised, by=portal, body="We are on it.")


def _pay(supplier, buyer, quality, portal):
    unpaid = Invoice.objects.get(supplier=supplier, status=Invoice.Status.APPROVED)
    # Paid on its due date, as the bank statement shows: late until now, on time once recorded.
    payment_record(
        invoice=unpaid, by=buyer, paid_on=unpaid.due_on, amount=unpaid.amount, reference="TT-2026-1203"
    )


WRITES = {
    "a delivery received": _receive,
    "an inspection recorded": _inspect,
    "an issue answered": _answer,
    "an invoice paid": _pay,
}


@pytest.mark.parametrize("write", list(WRITES))
def test_the_stored_rows_equal_kpis_after_each_kind_of_write(
    write, sent_order, supplier_a, buyer, quality, portal_a, django_capture_on_commit_callbacks
):
    services.current_kpis_refresh(today=business_today(), now=timezone.now())
    before = CurrentKpi.objects.get(supplier=supplier_a, period="90d").figures
    with django_capture_on_commit_callbacks(execute=True):
        WRITES[write](supplier_a, buyer, quality, portal_a)
    stored_equals_kpis([supplier_a.pk])
    rows = CurrentKpi.objects.filter(supplier=supplier_a)
    assert rows.count() == len(periods.stored(today=business_today()))
    changed = rows.get(period="90d").figures != before or write == "an inspection recorded"
    assert changed  # the write moved a figure: the test compares fresh values, not old ones twice
    if write == "an inspection recorded":
        last_month = periods.period_of("month", business_today()).previous().key
        assert rows.get(period=last_month).kpi_values()[Kpi.DEFECT_RATE].numerator == 2 + 7


def test_the_nightly_pass_keeps_a_row_per_active_supplier_and_period(supplier_a, supplier_b, buyer):
    for made in (supplier_a, supplier_b):
        made.stage = Stage.APPROVED
        made.save(update_fields=["stage"])
    busy(supplier_a)
    SupplierFactory(name="Prospect Ltd", stage=Stage.PROSPECT)
    tasks.red_flags_scan_task.run()
    stored_equals_kpis([supplier_a.pk, supplier_b.pk])
    assert CurrentKpi.objects.filter(supplier__stage=Stage.PROSPECT).count() == 0
    row = CurrentKpi.objects.get(supplier=supplier_b, period="90d")
    assert (row.figures, row.score, row.misses_target, row.as_of) == ({}, None, False, NOW)


def test_a_closed_period_is_computed_once_after_it_ends_and_the_running_ones_every_night(supplier_a, buyer):
    supplier_a.stage = Stage.APPROVED
    supplier_a.save(update_fields=["stage"])
    busy(supplier_a)
    services.current_kpis_refresh(today=business_today(), now=timezone.now())
    last_month = periods.period_of("month", business_today()).previous().key
    closed = CurrentKpi.objects.get(supplier=supplier_a, period=last_month)
    later = NOW + timedelta(days=1)
    with time_machine.travel(later, tick=False):
        services.current_kpis_refresh(today=business_today(), now=timezone.now())
    assert CurrentKpi.objects.get(pk=closed.pk).as_of == NOW  # already computed after November ended
    assert CurrentKpi.objects.get(supplier=supplier_a, period="90d").as_of == later
    assert CurrentKpi.objects.get(supplier=supplier_a, period="2026-12").as_of == later


def refresh_one(supplier, *, now) -> int:
    """Refresh one supplier's rows (every kept window) as a check task that ran at `now` would."""
    return services.current_kpis_refresh(today=business_today(), now=now, supplier_ids=[supplier.pk])


def on_time_of(supplier) -> tuple[int, datetime]:
    """Return the stored rolling row's on-time denominator and its as_of time."""
    row = CurrentKpi.objects.get(supplier=supplier, period="90d")
    return row.kpi_values()[Kpi.ON_TIME_DELIVERY].denominator, row.as_of


def test_a_refresh_from_an_earlier_moment_finishing_last_leaves_the_newer_figures(supplier_a, buyer):
    busy(supplier_a)
    later = NOW + timedelta(hours=1)
    assert refresh_one(supplier_a, now=later) == len(periods.stored(today=business_today()))
    newer = {row.period: (row.figures, row.as_of) for row in CurrentKpi.objects.filter(supplier=supplier_a)}
    delivery(supplier_a, business_today() - timedelta(days=3))  # late, not received: the figures would change
    # The task that ran at NOW commits after the one that ran an hour later: it writes nothing.
    assert refresh_one(supplier_a, now=NOW) == 0
    assert on_time_of(supplier_a) == (6, later)
    rows = CurrentKpi.objects.filter(supplier=supplier_a)
    assert {row.period: (row.figures, row.as_of) for row in rows} == newer


def test_a_refresh_from_a_later_or_the_same_moment_overwrites_the_stored_rows(supplier_a, buyer):
    busy(supplier_a)
    kept = len(periods.stored(today=business_today()))
    refresh_one(supplier_a, now=NOW)
    later = NOW + timedelta(hours=1)
    delivery(supplier_a, business_today() - timedelta(days=3))
    assert refresh_one(supplier_a, now=later) == kept
    assert on_time_of(supplier_a) == (7, later)
    # The same task run again (a redelivered message) writes its rows again.
    delivery(supplier_a, business_today() - timedelta(days=2))
    assert refresh_one(supplier_a, now=later) == kept
    assert on_time_of(supplier_a) == (8, later)


def test_the_refresh_counts_the_rows_it_wrote_not_those_kept_as_newer(supplier_a, supplier_b, buyer):
    later = NOW + timedelta(hours=1)
    refresh_one(supplier_a, now=later)
    # supplier_b's rows are new; supplier_a's, computed an hour later, stay.
    both = [supplier_a.pk, supplier_b.pk]
    written = services.current_kpis_refresh(today=business_today(), now=NOW, supplier_ids=both)
    assert written == len(periods.stored(today=business_today()))
    assert set(CurrentKpi.objects.filter(supplier=supplier_a).values_list("as_of", flat=True)) == {later}
    assert set(CurrentKpi.objects.filter(supplier=supplier_b).values_list("as_of", flat=True)) == {NOW}


def test_the_admin_shows_a_stored_row_but_cannot_change_it(client, admin_user, supplier_a):
    refresh_one(supplier_a, now=NOW)
    row = CurrentKpi.objects.get(supplier=supplier_a, period="90d")
    client.force_login(admin_user)
    url = reverse("admin:scorecards_currentkpi_change", args=[row.pk])
    assert client.get(url).status_code == 200
    # A save would write back the figures the form loaded, over a refresh's newer ones.
    assert client.post(url, {"forecasting": "{}"}).status_code == 403
    assert CurrentKpi.objects.get(pk=row.pk).forecasting == row.forecasting


def test_the_refresh_queries_do_not_grow_with_suppliers(django_assert_max_num_queries, buyer):
    def add(count):
        for _n in range(count):
            busy(SupplierFactory(stage=Stage.APPROVED, owner=buyer))

    add(2)
    with django_assert_max_num_queries(40) as few:
        services.current_kpis_refresh(today=business_today(), now=timezone.now())
    CurrentKpi.objects.all().delete()
    add(8)
    with django_assert_max_num_queries(len(few)):
        services.current_kpis_refresh(today=business_today(), now=timezone.now())


def test_a_target_changed_rescores_the_stored_rows(
    supplier_a, admin_user, django_capture_on_commit_callbacks
):
    supplier_a.stage = Stage.APPROVED
    supplier_a.save(update_fields=["stage"])
    busy(supplier_a, late=1)  # 80 % on time
    services.current_kpis_refresh(today=business_today(), now=timezone.now())
    before = CurrentKpi.objects.get(supplier=supplier_a, period="90d").score
    with django_capture_on_commit_callbacks(execute=True):
        services.target_set(by=admin_user, kpi=Kpi.ON_TIME_DELIVERY, value=Decimal("80"), supplier=supplier_a)
    assert CurrentKpi.objects.get(supplier=supplier_a, period="90d").score > before


# --- The portfolio reads them ------------------------------------------------------------------------------------


@pytest.fixture
def staff(client, manager):
    client.force_login(manager)
    return client


def names(response) -> list[str]:
    return [card.supplier.name for card in response.context["cards"]]


def test_the_portfolio_shows_the_stored_figures_with_their_time(staff, manager, buyer):
    manager.timezone = "Asia/Ho_Chi_Minh"
    manager.save(update_fields=["timezone"])
    made = busy(SupplierFactory(name="Kestrel Textiles", stage=Stage.APPROVED, owner=buyer))
    services.current_kpis_refresh(today=business_today(), now=timezone.now() - timedelta(hours=3))
    delivery(made, business_today() - timedelta(days=3))  # late, not received, and no check ran since
    response = staff.get(PORTFOLIO)
    (card,) = response.context["cards"]
    assert card.cells[Kpi.ON_TIME_DELIVERY].value.denominator == 6  # the stored figure, not 7
    assert response.context["as_of"] == NOW - timedelta(hours=3)
    assert "figures as of 2026-12-03 14:00" in response.content.decode()  # 07:00 UTC in Ho Chi Minh City


def test_a_supplier_without_a_stored_row_is_computed_and_ranked_among_the_stored_ones(staff, buyer):
    steady = busy(SupplierFactory(name="Alder Steady", stage=Stage.APPROVED, owner=buyer), late=0)
    poor = busy(SupplierFactory(name="Birch Poor", stage=Stage.APPROVED, owner=buyer), late=1)
    services.current_kpis_refresh(today=business_today(), now=timezone.now())
    fresh = busy(SupplierFactory(name="Cedar Fresh", stage=Stage.APPROVED, owner=buyer), late=5)
    assert not CurrentKpi.objects.filter(supplier=fresh).exists()
    response = staff.get(PORTFOLIO)
    assert names(response) == ["Cedar Fresh", "Birch Poor", "Alder Steady"]
    cards = response.context["cards"]
    assert cards[0].cells[Kpi.ON_TIME_DELIVERY].value.numerator == 1  # computed now: one of six on time
    assert cards[0].as_of is None and cards[1].as_of == NOW
    # Each misses the defect target: the fresh one is counted through the same SQL as the stored ones.
    assert response.context["missing_targets"] == 3 and response.context["total"] == 3
    assert not CurrentKpi.objects.filter(supplier=fresh).exists()  # GET never writes
    assert (steady, poor) == (cards[2].supplier, cards[1].supplier)


def test_a_closed_month_is_read_from_its_stored_rows(staff, buyer):
    made = busy(SupplierFactory(name="Kestrel Textiles", stage=Stage.APPROVED, owner=buyer))
    services.current_kpis_refresh(today=business_today(), now=timezone.now())
    last_month = periods.period_of("month", business_today()).previous()
    inspection(made, last_month.start, 100, 50)  # not seen: no check ran
    response = staff.get(PORTFOLIO, {"period": last_month.key})
    (card,) = response.context["cards"]
    stored = CurrentKpi.objects.get(supplier=made, period=last_month.key)
    assert card.cells[Kpi.DEFECT_RATE].value == stored.kpi_values()[Kpi.DEFECT_RATE]
    assert card.cells[Kpi.DEFECT_RATE].value.numerator == 2  # 52 computed now
    assert response.context["as_of"] == NOW


def test_a_period_older_than_the_page_offers_is_computed_when_asked_for(staff, buyer):
    made = busy(SupplierFactory(name="Kestrel Textiles", stage=Stage.APPROVED, owner=buyer))
    services.current_kpis_refresh(today=business_today(), now=timezone.now())
    response = staff.get(PORTFOLIO, {"period": "2024-01"})
    assert names(response) == [made.name] and response.context["as_of"] is None
    assert "figures computed just now" in response.content.decode()


_numbers = itertools.count(1)


def add_stored(count):
    """Add `count` suppliers with every KPI, an owner each, and their stored rows."""
    made = [
        busy(SupplierFactory(name=f"Factory {next(_numbers):03d}", stage=Stage.APPROVED, owner=UserFactory()))
        for _n in range(count)
    ]
    services.current_kpis_refresh(
        today=business_today(), now=timezone.now(), supplier_ids=[m.pk for m in made]
    )


@pytest.mark.parametrize("period", ["90d", "2026-11", "2026-Q4"])
def test_portfolio_queries_do_not_grow_with_stored_suppliers(staff, period):
    add_stored(3)
    staff.get(PORTFOLIO, {"period": period})  # warm the session and the caches
    few = queries(staff, f"{PORTFOLIO}?period={period}")
    add_stored(55)
    response = staff.get(PORTFOLIO, {"period": period})
    assert len(response.context["cards"]) == 50 and response.context["total"] == 58
    many = queries(staff, f"{PORTFOLIO}?period={period}")
    assert many <= few <= 20, f"{few} queries for 3 suppliers, {many} for 58"


def test_the_ideas_column_costs_the_portfolio_exactly_one_query(staff, monkeypatch):
    add_stored(3)
    staff.get(PORTFOLIO)  # warm the session and the caches
    with_ideas = queries(staff, PORTFOLIO)
    monkeypatch.setattr("scorecards.selectors.cards.ideas_credit", lambda **_kwargs: {})
    assert queries(staff, PORTFOLIO) == with_ideas - 1 == PORTFOLIO_QUERIES - 1


def test_the_portfolio_pages_in_sql_worst_first_over_every_stored_supplier(staff, buyer):
    for n in range(54):
        busy(SupplierFactory(name=f"Steady {n:02d}", stage=Stage.APPROVED, owner=buyer), late=0)
    busy(SupplierFactory(name="Zeta Late Works", stage=Stage.APPROVED, owner=buyer), late=5)
    services.current_kpis_refresh(today=business_today(), now=timezone.now())
    first = staff.get(PORTFOLIO)
    assert names(first)[0] == "Zeta Late Works" and len(names(first)) == 50
    second = staff.get(PORTFOLIO, {"page": 2})
    assert len(names(second)) == 5
    by_name = staff.get(PORTFOLIO, {"sort": "name", "page": 2})
    assert names(by_name)[-1] == "Zeta Late Works"


# --- A scorecard reads its own -------------------------------------------------------------------------------


SCORECARD_QUERIES = {"stored": 17, "computed": 24}  # the staff scorecard, rolling 90 days, weekly trend


def scorecard_urls(made):
    return {
        "staff": reverse("scorecards:supplier", args=[made.pk]),
        "portal": reverse("portal:scorecard"),
    }


@pytest.mark.parametrize("side", ["staff", "portal"])
def test_a_scorecard_shows_its_stored_figures_with_their_time(client, manager, buyer, side):
    made = busy(SupplierFactory(name="Kestrel Textiles", stage=Stage.APPROVED, owner=buyer))
    services.current_kpis_refresh(today=business_today(), now=timezone.now() - timedelta(hours=3))
    delivery(made, business_today() - timedelta(days=3))  # late, not received, and no check ran since
    client.force_login(manager if side == "staff" else PortalUserFactory(supplier=made))
    response = client.get(scorecard_urls(made)[side])
    card = response.context["card"]
    stored = CurrentKpi.objects.get(supplier=made, period=periods.ROLLING_KEY)
    assert {kpi: cell.value for kpi, cell in card.cells.items()} == stored.kpi_values()
    assert card.cells[Kpi.ON_TIME_DELIVERY].value.denominator == 6  # the stored figure, not 7
    assert card.as_of == NOW - timedelta(hours=3)
    assert response.context["forecasting"] == kpis.decode_forecast_notice(stored.forecasting)
    assert 'id="scorecard-as-of"' in response.content.decode()


def test_a_scorecard_computes_now_when_its_row_is_from_an_earlier_day(staff, buyer):
    made = busy(SupplierFactory(name="Kestrel Textiles", stage=Stage.APPROVED, owner=buyer))
    with time_machine.travel(NOW - timedelta(days=1), tick=False):
        services.current_kpis_refresh(today=business_today(), now=timezone.now())
    delivery(made, business_today() - timedelta(days=3))
    response = staff.get(reverse("scorecards:supplier", args=[made.pk]))
    card = response.context["card"]
    assert card.as_of is None and 'id="scorecard-as-of"' not in response.content.decode()
    assert card.cells[Kpi.ON_TIME_DELIVERY].value.denominator == 7  # yesterday's row left aside
    rolling = periods.rolling(business_today())
    expected = kpis.all_kpis(start=rolling.start, end=rolling.end, today=business_today())
    assert {kpi: cell.value for kpi, cell in card.cells.items()} == {
        kpi: expected[kpi][made.pk] for kpi in Kpi.values
    }


def test_a_scorecard_reads_a_closed_months_row_computed_after_it_closed(staff, buyer):
    made = busy(SupplierFactory(name="Kestrel Textiles", stage=Stage.APPROVED, owner=buyer))
    with time_machine.travel(NOW - timedelta(days=1), tick=False):  # yesterday, November long closed
        services.current_kpis_refresh(today=business_today(), now=timezone.now())
    last_month = periods.period_of("month", business_today()).previous()
    inspection(made, last_month.start, 100, 50)  # not seen: no check ran
    url = reverse("scorecards:supplier", args=[made.pk])
    card = staff.get(url, {"period": last_month.key}).context["card"]
    assert card.cells[Kpi.DEFECT_RATE].value.numerator == 2 and card.as_of == NOW - timedelta(days=1)
    rolling = staff.get(url).context["card"]  # the rolling window's row is yesterday's: computed now
    assert rolling.as_of is None and rolling.cells[Kpi.DEFECT_RATE].value.numerator == 2 + 5 + 50


def test_a_closed_months_row_computed_before_it_closed_is_left_aside(staff, buyer):
    made = busy(SupplierFactory(name="Kestrel Textiles", stage=Stage.APPROVED, owner=buyer))
    last_month = periods.period_of("month", business_today()).previous()
    with time_machine.travel(datetime.combine(last_month.end, datetime.min.time(), tzinfo=ZoneInfo("UTC"))):
        services.current_kpis_refresh(today=business_today(), now=timezone.now(), every_window=True)
    assert CurrentKpi.objects.get(supplier=made, period=last_month.key).today == last_month.end
    card = staff.get(reverse("scorecards:supplier", args=[made.pk]), {"period": last_month.key}).context[
        "card"
    ]
    assert card.as_of is None  # the month was still running when its row was computed


def test_a_stored_row_without_forecast_figures_has_them_computed(client, manager, buyer):
    made = busy(SupplierFactory(name="Kestrel Textiles", stage=Stage.APPROVED, owner=buyer))
    services.current_kpis_refresh(today=business_today(), now=timezone.now())
    CurrentKpi.objects.filter(supplier=made).update(forecasting=None)  # stored before they were
    client.force_login(manager)
    response = client.get(reverse("scorecards:supplier", args=[made.pk]))
    rolling = periods.rolling(business_today())
    expected = kpis.forecast_notice(start=rolling.start, end=rolling.end, supplier_ids=[made.pk]).get(
        made.pk, kpis.ForecastNotice()
    )
    assert response.context["card"].as_of == NOW and response.context["forecasting"] == expected


@pytest.mark.parametrize("path", ["stored", "computed"])
def test_a_scorecards_queries_are_pinned_and_fewer_from_its_stored_row(staff, buyer, path):
    made = busy(SupplierFactory(name="Kestrel Textiles", stage=Stage.APPROVED, owner=buyer))
    if path == "stored":
        services.current_kpis_refresh(today=business_today(), now=timezone.now())
    url = reverse("scorecards:supplier", args=[made.pk])
    staff.get(url)  # warm the session and the caches
    assert (staff.get(url).context["card"].as_of is not None) == (path == "stored")
    assert queries(staff, url) == SCORECARD_QUERIES[path]


# --- The API reads them ------------------------------------------------------------------------------------------


def test_the_api_pages_the_stored_cards_with_their_time(api_client, manager, buyer):
    for n in range(3):
        busy(SupplierFactory(name=f"Factory {n}", stage=Stage.APPROVED, owner=buyer), late=n)
    services.current_kpis_refresh(today=business_today(), now=timezone.now())
    api_client.force_authenticate(manager)
    answer = api_client.get(API, {"sort": "worst"}).json()
    assert answer["count"] == 3
    assert [row["name"] for row in answer["results"]] == ["Factory 2", "Factory 1", "Factory 0"]
    assert {row["as_of"] for row in answer["results"]} == {"2026-12-03T10:00:00Z"}
    assert api_client.get(API, {"sort": "best"}).status_code == 400


def test_api_queries_do_not_grow_with_stored_suppliers(api_client, manager, django_assert_max_num_queries):
    api_client.force_authenticate(manager)
    add_stored(3)
    api_client.get(API)
    with django_assert_max_num_queries(30) as few:
        assert api_client.get(API).status_code == 200
    add_stored(55)
    with django_assert_max_num_queries(len(few)):
        answer = api_client.get(API).json()
    assert answer["count"] == 58 and len(answer["results"]) == 50


# --- The bench's check ------------------------------------------------------------------------------------------


def test_the_bench_finds_the_stored_rows_equal_to_raw_sql_and_says_where_one_differs(buyer):
    if connection.vendor != "postgresql":
        pytest.skip("the bench's raw SQL is PostgreSQL's")
    from bench.engine_cases import current_kpi_mismatches

    for n in range(3):
        busy(SupplierFactory(name=f"Factory {n}", stage=Stage.APPROVED, owner=buyer), late=n)
    SupplierFactory(name="Quiet Works", stage=Stage.APPROVED, owner=buyer)
    today, now = business_today(), timezone.now()
    services.current_kpis_refresh(today=today, now=now)
    assert current_kpi_mismatches(today=today, now=now) == []
    row = CurrentKpi.objects.get(supplier__name="Factory 1", period="90d")
    row.figures[Kpi.ON_TIME_DELIVERY]["numerator"] += 1
    row.save(update_fields=["figures"])
    (mismatch,) = current_kpi_mismatches(today=today, now=now)
    assert mismatch.startswith(f"90d on_time_delivery supplier {row.supplier_id}")
