"""One definition of each rule (issue 11.4): the rows behind a KPI are selected by the same queryset methods the
KPI counts (counted_for_on_time, counted_for_defect_rate, counted_for_response, counted_for_payment_timeliness),
so for every KPI, supplier and period the rows listed are exactly the numerator and denominator shown."""

import random
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from communications.models import Side
from orders.models import Delivery, PurchaseOrder
from payments.models import Invoice
from scorecards import kpis, periods, selectors, services
from scorecards.models import Kpi
from suppliers.models import Stage
from tests.factories import DeliveryFactory, PurchaseOrderFactory, SupplierFactory
from tests.scorecards.builders import delivery, inspection, invoice, issue, order_for

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 18, 10, 0, tzinfo=UTC)
TODAY = NOW.date()
ZONES = ("Asia/Shanghai", "America/Los_Angeles", "Asia/Ho_Chi_Minh")


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def day(offset: int) -> date:
    return TODAY + timedelta(days=offset)


def rows_of(supplier, seed: int) -> None:
    """Every kind of row each KPI must count or leave out, spread over the last ~150 days and a little ahead."""
    rng = random.Random(seed)
    order_for(supplier)  # the sent order the rows below go on
    for _n in range(25):
        promised = day(rng.randint(-150, 10))
        received = rng.choice(
            [None, promised, promised + timedelta(days=rng.randint(1, 6)), promised - timedelta(1)]
        )
        if received is not None and received > TODAY:
            received = None
        delivery(supplier, promised, received)
    delivery(supplier, day(-20), status=Delivery.Status.CANCELLED)  # never counts
    delivery(supplier, TODAY)  # due today, not received: not late yet
    for _n in range(8):
        inspection(supplier, day(rng.randint(-150, 0)), rng.choice([50, 80, 125]), rng.randint(0, 6))
    for _n in range(10):
        due = day(rng.randint(-150, 20))
        paid = rng.choice([None, due, due + timedelta(days=rng.randint(1, 9)), due - timedelta(days=2)])
        invoice(supplier, due, paid if paid is None or paid <= TODAY else None)
    invoice(supplier, day(-30), status=Invoice.Status.REJECTED)
    for side in (Side.BUYER, Side.SUPPLIER):
        for _n in range(10):
            raised = NOW - timedelta(hours=rng.randint(1, 150 * 24))
            issue(supplier, raised, rng.choice([None, 2, 20, 30, 50]), side)
        # Raised near midnight on the supplier's own calendar, and young unanswered ones (not counted yet).
        issue(supplier, datetime(2026, 9, 30, 15, 59, tzinfo=UTC), 10, side)
        issue(supplier, datetime(2026, 9, 30, 16, 1, tzinfo=UTC), 40, side)
        issue(supplier, NOW - timedelta(hours=3), None, side)
    # Made last: order_for() would pick the draft (the newest order) for the rows above.
    draft = PurchaseOrderFactory(supplier=supplier, status=PurchaseOrder.Status.DRAFT)
    DeliveryFactory(order=draft, promised_on=day(-15))  # of an order never sent: never counts


@pytest.fixture
def suppliers(buyer, admin_user):
    made = []
    for n, zone in enumerate(ZONES):
        supplier = SupplierFactory(name=f"Factory {n}", owner=buyer, stage=Stage.APPROVED, timezone=zone)
        rows_of(supplier, seed=n)
        made.append(supplier)
    # One supplier answers to its own, stricter response target (issue 11.5): its rows follow it too.
    services.target_set(by=admin_user, kpi=Kpi.RESPONSE_TIME, value=Decimal("12"), supplier=made[0])
    return made


PERIODS = [
    periods.rolling(TODAY),
    periods.period_of("week", TODAY),
    periods.period_of("month", TODAY),
    periods.period_of("month", date(2026, 9, 1)),
    periods.period_of("quarter", date(2026, 7, 1)),
    periods.period_of("quarter", TODAY),
]


@pytest.mark.parametrize("period", PERIODS, ids=[p.key for p in PERIODS])
def test_the_rows_behind_every_kpi_are_exactly_its_numerator_and_denominator(suppliers, period):
    families = kpis.all_kpis(start=period.start, end=period.end, today=TODAY, now=NOW)
    counted = 0
    for supplier in suppliers:
        for kpi in Kpi.values:
            value = families[kpi].get(supplier.pk, selectors.EMPTY_BY_KPI[kpi])
            rows = selectors.rows_behind(supplier=supplier, kpi=kpi, period=period, today=TODAY, now=NOW)
            where = f"{supplier.name} {kpi} {period.key}"
            if kpi == Kpi.DEFECT_RATE:
                assert len(rows) == value.sample, where
                assert sum(row.obj.defective_units for row in rows) == value.numerator, where
                assert sum(row.obj.sample_size for row in rows) == value.denominator, where
            else:
                assert len(rows) == value.denominator, where
                assert sum(row.good for row in rows) == value.numerator, where
            if kpi == Kpi.PAYMENT_TIMELINESS:
                late = [row.obj for row in rows if not row.good]
                assert sum(((i.paid_on or TODAY) - i.due_on).days for i in late) == value.days_late, where
            counted += len(rows)
    assert counted  # the data reaches into every period
    on_time = selectors.rows_behind(
        supplier=suppliers[0], kpi=Kpi.ON_TIME_DELIVERY, period=periods.rolling(TODAY), today=TODAY, now=NOW
    )
    assert {row.good for row in on_time} == {True, False}  # late and on-time deliveries are both counted


def test_the_rows_behind_never_hold_a_cancelled_delivery_a_draft_orders_or_a_rejected_invoice(suppliers):
    period = periods.rolling(TODAY)
    for supplier in suppliers:
        deliveries = selectors.rows_behind(
            supplier=supplier, kpi=Kpi.ON_TIME_DELIVERY, period=period, today=TODAY, now=NOW
        )
        assert all(row.obj.status != Delivery.Status.CANCELLED for row in deliveries)
        assert all(row.obj.order.status != PurchaseOrder.Status.DRAFT for row in deliveries)
        assert TODAY not in {row.obj.promised_on for row in deliveries if row.obj.received_on is None}
        invoices = selectors.rows_behind(
            supplier=supplier, kpi=Kpi.PAYMENT_TIMELINESS, period=period, today=TODAY, now=NOW
        )
        assert all(row.obj.status != Invoice.Status.REJECTED for row in invoices)


@pytest.mark.parametrize("kpi", Kpi.values)
def test_the_paged_rows_behind_are_the_same_rows_in_the_same_order_in_two_queries_a_page(
    suppliers, kpi, django_assert_max_num_queries
):
    period = periods.rolling(TODAY)
    for supplier in suppliers:
        every = selectors.rows_behind(supplier=supplier, kpi=kpi, period=period, today=TODAY, now=NOW)
        for against_only in (False, True):
            expected = [(r.obj.pk, r.good, r.detail) for r in every if not (against_only and r.good)]
            seen, number = [], 1
            while True:
                # The counts and the page's rows (none when empty), and the response target for the response
                # KPIs: whatever the period holds.
                with django_assert_max_num_queries(3 if "response" in kpi else 2):
                    behind = selectors.rows_behind_page(
                        supplier=supplier,
                        kpi=kpi,
                        period=period,
                        today=TODAY,
                        now=NOW,
                        page=number,
                        against_only=against_only,
                        per_page=4,
                    )
                seen += [(r.obj.pk, r.good, r.detail) for r in behind.rows]
                if not behind.page.has_next():
                    break
                number += 1
            where = f"{supplier.name} {kpi} against_only={against_only}"
            assert seen == expected, where
            assert behind.total == len(every) and behind.good == sum(r.good for r in every), where
            assert behind.page.paginator.count == len(expected), where


def test_a_long_list_behind_a_figure_is_paged_with_the_filters_kept(client, buyer, suppliers):
    supplier = suppliers[0]
    period = periods.rolling(TODAY)
    order = PurchaseOrderFactory(supplier=supplier)
    for n in range(60):
        DeliveryFactory(
            order=order,
            promised_on=day(-40 + n % 20),
            received_on=day(-5),
            status=Delivery.Status.RECEIVED,
            quantity_received=1000,
        )
    client.force_login(buyer)
    url = reverse("scorecards:behind", args=[supplier.pk, Kpi.ON_TIME_DELIVERY])
    first = client.get(url, {"period": period.key, "late": "1"})
    body = first.content.decode()
    behind = first.context["behind"]
    assert behind.page.paginator.count == behind.against > 60 and len(first.context["rows"]) == 50
    assert f"?period={period.key}&amp;late=1&amp;page=2" in body
    second = client.get(url, {"period": period.key, "late": "1", "page": "2"})
    assert len(second.context["rows"]) == behind.against - 50
    assert all(not row.good for row in second.context["rows"])
    # A page past the end shows the last one; a bad page number the first: never an error.
    assert client.get(url, {"period": period.key, "page": "999"}).status_code == 200
    assert client.get(url, {"period": period.key, "page": "x'"}).status_code == 200


# The staff page and the factory's portal page behind each figure: the same number of queries with a handful of
# rows as with several pages of them (bench/load.py requests the staff page for supplier 1 at sizes S and M).
BEHIND_PAGE_QUERIES = {"staff": 12, "portal": 11}


@pytest.mark.parametrize("side", ["staff", "portal"])
def test_the_page_behind_a_figure_takes_the_same_queries_for_three_rows_as_for_three_pages(
    client, manager, portal_a, supplier_a, side, django_assert_num_queries
):
    client.force_login(manager if side == "staff" else portal_a)
    url = (
        reverse("scorecards:behind", args=[supplier_a.pk, Kpi.ON_TIME_DELIVERY])
        if side == "staff"
        else reverse("portal:scorecard_behind", args=[Kpi.ON_TIME_DELIVERY])
    )

    def add(n, start):
        for i in range(n):
            promised = day(-((start + i) % 80) - 2)
            delivery(supplier_a, promised, promised + timedelta(days=i % 3))

    add(3, 0)
    client.get(url)  # sessions, caches and the like settle
    with django_assert_num_queries(BEHIND_PAGE_QUERIES[side]):
        first = client.get(url, {"page": "1"})
    assert len(first.context["rows"]) == 3
    add(147, 3)
    for page in ("1", "3"):
        with django_assert_num_queries(BEHIND_PAGE_QUERIES[side]):
            response = client.get(url, {"page": page})
        assert response.context["behind"].total == 150 and len(response.context["rows"]) == 50
