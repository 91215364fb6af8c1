"""The KPI formulas of scorecards/kpis.py against cases computed by hand."""

from decimal import Decimal

import pytest

from audits.models import QCInspection
from orders import services
from orders.models import DateProposal, Delivery, PurchaseOrder
from scorecards import kpis
from suppliers.models import Stage
from tests.factories import DeliveryFactory, PurchaseOrderFactory, QCInspectionFactory, SupplierFactory
from tests.orders.builders import days

pytestmark = pytest.mark.django_db


def window() -> dict:
    """The measuring window: from 90 days ago to 30 days ahead."""
    return {"start": days(-90), "end": days(30)}


def on_time(supplier, **kwargs) -> kpis.KpiValue:
    """Return a supplier's on-time delivery over the window, as of today."""
    args = {**window(), "today": days(0), **kwargs}
    return kpis.on_time_delivery(**args).get(supplier.pk, kpis.EMPTY_DELIVERIES)


def defects(supplier, **kwargs) -> kpis.KpiValue:
    """Return a supplier's defect rate over the window."""
    return kpis.defect_rate(**{**window(), **kwargs}).get(supplier.pk, kpis.EMPTY_INSPECTIONS)


@pytest.fixture
def order(supplier_a):
    return PurchaseOrderFactory(supplier=supplier_a)


def delivery(order, *, promised: int, received: int | None = None, **fields) -> Delivery:
    """A delivery promised `promised` days from today, received `received` days from today (or not yet)."""
    if received is not None:
        fields.setdefault("status", Delivery.Status.RECEIVED)
        fields.setdefault("quantity_received", 1000)
    return DeliveryFactory(
        order=order,
        promised_on=days(promised),
        received_on=None if received is None else days(received),
        **fields,
    )


def on_time_deliveries(order, count: int):
    for n in range(count):
        delivery(order, promised=-30 - n, received=-32 - n)


# --- On-time delivery -----------------------------------------------------------------------------------------


def test_on_time_rate_is_deliveries_received_on_or_before_the_promised_date_over_deliveries_due(
    order, supplier_a
):
    delivery(order, promised=-10, received=-12)  # early
    delivery(order, promised=-20, received=-20)  # on the day: on time
    delivery(order, promised=-30, received=-31)  # early
    delivery(order, promised=-40, received=-39)  # one day late
    delivery(order, promised=-50, received=-45)  # late
    kpi = on_time(supplier_a)
    assert (kpi.numerator, kpi.denominator, kpi.sample) == (3, 5, 5)
    assert kpi.value == Decimal("60.00")


def test_late_delivery_lowers_on_time_rate(order, supplier_a):
    on_time_deliveries(order, 5)
    assert on_time(supplier_a).value == Decimal("100.00")
    delivery(order, promised=-5, received=-1)
    assert on_time(supplier_a).value == Decimal("83.33")  # 5 / 6


def test_late_delivery_still_open_counts_as_late(order, supplier_a):
    on_time_deliveries(order, 4)
    delivery(order, promised=-2)  # past its date and not received
    delivery(order, promised=-3, status=Delivery.Status.SHIPPED, shipped_on=days(-6), quantity_shipped=10)
    kpi = on_time(supplier_a)
    assert (kpi.numerator, kpi.denominator) == (4, 6)
    assert kpi.value == Decimal("66.67")


def test_delivery_promised_in_the_future_and_not_received_is_not_due_yet(order, supplier_a):
    on_time_deliveries(order, 5)
    delivery(order, promised=5)
    delivery(order, promised=0)  # promised today: not late before the day is over
    kpi = on_time(supplier_a)
    assert (kpi.numerator, kpi.denominator) == (5, 5)
    assert kpi.value == Decimal("100.00")


def test_delivery_received_before_its_future_promised_date_counts_as_on_time(order, supplier_a):
    on_time_deliveries(order, 4)
    delivery(order, promised=10, received=-1)
    kpi = on_time(supplier_a)
    assert (kpi.numerator, kpi.denominator) == (5, 5)


def test_cancelled_delivery_does_not_count(order, supplier_a):
    on_time_deliveries(order, 5)
    delivery(order, promised=-8, status=Delivery.Status.CANCELLED)
    kpi = on_time(supplier_a)
    assert (kpi.numerator, kpi.denominator) == (5, 5)


def test_a_delivery_of_an_order_never_sent_does_not_count(order, supplier_a):
    on_time_deliveries(order, 5)
    draft = PurchaseOrderFactory(supplier=supplier_a, status=PurchaseOrder.Status.DRAFT)
    delivery(draft, promised=-8)  # past its date, but the supplier never got the order
    kpi = on_time(supplier_a)
    assert (kpi.numerator, kpi.denominator) == (5, 5)
    services.order_send(order=draft, by=supplier_a.owner)
    assert on_time(supplier_a).denominator == 6  # sent: now it is late


def test_only_deliveries_promised_inside_the_window_count(order, supplier_a):
    on_time_deliveries(order, 5)
    delivery(order, promised=-91, received=-80)  # late, but promised before the window
    kpi = on_time(supplier_a)
    assert (kpi.numerator, kpi.denominator) == (5, 5)
    narrow = on_time(supplier_a, start=days(-31), end=days(-30))
    assert (narrow.numerator, narrow.denominator) == (2, 2)


def test_each_supplier_gets_its_own_rate(order, supplier_a, supplier_b):
    on_time_deliveries(order, 5)
    other = PurchaseOrderFactory(supplier=supplier_b)
    for n in range(5):
        delivery(other, promised=-10 - n, received=-5 - n if n < 2 else -12 - n)
    rates = kpis.on_time_delivery(**window(), today=days(0))
    assert rates[supplier_a.pk].value == Decimal("100.00")
    assert rates[supplier_b.pk].value == Decimal("60.00")


def test_deliveries_argument_narrows_what_is_measured(order, supplier_a):
    on_time_deliveries(order, 5)
    for n in range(5):
        delivery(PurchaseOrderFactory(supplier=supplier_a), promised=-10 - n, received=-1)
    assert on_time(supplier_a).value == Decimal("50.00")
    only_order = on_time(supplier_a, deliveries=Delivery.objects.filter(order=order))
    assert only_order.value == Decimal("100.00")


# --- Proposed dates: only an accepted one moves the promised date ---------------------------------------------


@pytest.fixture
def proposed(order, supplier_a, portal_a):
    """Four deliveries on time, and one promised 10 days ago for which the factory had proposed, a while back,
    a date 2 days ago (a proposal made back then, so it is recorded as it would have been)."""
    supplier_a.stage = Stage.APPROVED
    supplier_a.save()
    on_time_deliveries(order, 4)
    late = delivery(order, promised=-10)
    proposal = DateProposal.objects.create(
        delivery=late, proposed_on=days(-2), reason="Fabric arrived late", proposed_by=portal_a
    )
    return late, proposal


def receive(delivery_, by):
    services.delivery_receive(delivery=delivery_, by=by, received_on=days(-5), quantity_received=1000)


def test_rejected_proposal_does_not_move_the_promised_date(proposed, supplier_a, buyer):
    late, proposal = proposed
    services.delivery_decide_proposal(proposal=proposal, by=buyer, accept=False)
    receive(late, buyer)
    kpi = on_time(supplier_a)
    assert (kpi.numerator, kpi.denominator) == (4, 5)
    assert kpi.value == Decimal("80.00")


def test_proposal_never_answered_does_not_move_the_promised_date(proposed, supplier_a, buyer):
    late, _proposal = proposed
    receive(late, buyer)
    assert on_time(supplier_a).value == Decimal("80.00")


def test_accepted_proposal_moves_the_promised_date(proposed, supplier_a, buyer):
    late, proposal = proposed
    services.delivery_decide_proposal(proposal=proposal, by=buyer, accept=True)
    receive(late, buyer)
    assert on_time(supplier_a).value == Decimal("100.00")


# --- Minimum sample -------------------------------------------------------------------------------------------


def test_below_five_due_deliveries_all_on_time_is_insufficient_not_100(order, supplier_a):
    on_time_deliveries(order, 4)
    kpi = on_time(supplier_a)
    assert (kpi.numerator, kpi.denominator) == (4, 4)
    assert kpi.sufficient is False and kpi.value is None and kpi.ppm is None


def test_below_five_due_deliveries_all_late_is_insufficient_not_0(order, supplier_a):
    for n in range(4):
        delivery(order, promised=-20 - n)
    kpi = on_time(supplier_a)
    assert (kpi.numerator, kpi.denominator) == (0, 4)
    assert kpi.value is None


def test_deliveries_not_due_yet_do_not_make_up_the_minimum(order, supplier_a):
    on_time_deliveries(order, 4)
    delivery(order, promised=3)
    assert on_time(supplier_a).value is None


def test_at_exactly_five_due_deliveries_the_value_is_stated(order, supplier_a):
    for n in range(5):
        delivery(order, promised=-20 - n)
    kpi = on_time(supplier_a)
    assert kpi.sufficient is True and kpi.value == Decimal("0.00")


def test_supplier_without_deliveries_has_insufficient_data(supplier_a):
    assert supplier_a.pk not in kpis.on_time_delivery(**window(), today=days(0))
    assert on_time(supplier_a).value is None


def test_on_time_delivery_of_twenty_suppliers_takes_one_query(buyer, django_assert_num_queries):
    suppliers = SupplierFactory.create_batch(20, owner=buyer)
    for supplier in suppliers:
        order = PurchaseOrderFactory(supplier=supplier)
        on_time_deliveries(order, 4)
        delivery(order, promised=-3)
    with django_assert_num_queries(1):
        rates = kpis.on_time_delivery(**window(), today=days(0))
    assert {pk: kpi.value for pk, kpi in rates.items()} == {s.pk: Decimal("80.00") for s in suppliers}


# --- Defect rate ----------------------------------------------------------------------------------------------


def inspection(
    supplier, *, sample_size: int, defective_units: int, inspected: int = -5, **fields
) -> QCInspection:
    return QCInspectionFactory(
        supplier=supplier,
        sample_size=sample_size,
        defective_units=defective_units,
        inspected_on=days(inspected),
        report="",
        **fields,
    )


def test_defect_rate_is_defective_units_over_units_inspected(supplier_a):
    inspection(supplier_a, sample_size=80, defective_units=2)
    inspection(supplier_a, sample_size=125, defective_units=3)
    inspection(supplier_a, sample_size=50, defective_units=0)
    kpi = defects(supplier_a)
    assert (kpi.numerator, kpi.denominator, kpi.sample) == (5, 255, 3)
    # 5 / 255, not the mean of the three rates (2.5 %, 2.4 %, 0 %: 1.63 %)
    assert kpi.value == Decimal("1.96")
    assert kpi.ppm == 19608


def test_one_inspection_is_enough_and_zero_defects_is_stated_as_zero(supplier_a):
    inspection(supplier_a, sample_size=200, defective_units=0)
    kpi = defects(supplier_a)
    assert kpi.value == Decimal("0.00") and kpi.ppm == 0


def test_defect_rate_without_inspections_is_insufficient(supplier_a):
    assert defects(supplier_a).value is None and defects(supplier_a).ppm is None


def test_defect_rate_counts_inspections_inside_the_window_only(supplier_a):
    inspection(supplier_a, sample_size=100, defective_units=1)
    inspection(supplier_a, sample_size=100, defective_units=50, inspected=-91)
    kpi = defects(supplier_a)
    assert (kpi.numerator, kpi.denominator) == (1, 100)
    assert kpi.ppm == 10_000


def test_defect_rate_of_twenty_suppliers_takes_one_query(buyer, django_assert_num_queries):
    suppliers = SupplierFactory.create_batch(20, owner=buyer)
    for supplier in suppliers:
        inspection(supplier, sample_size=100, defective_units=1)
        inspection(supplier, sample_size=100, defective_units=3)
    with django_assert_num_queries(1):
        rates = kpis.defect_rate(**window())
    assert {pk: kpi.value for pk, kpi in rates.items()} == {s.pk: Decimal("2.00") for s in suppliers}
