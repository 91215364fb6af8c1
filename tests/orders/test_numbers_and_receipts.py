"""PO numbers (generated per year, race-safe, editable only before sending) and receipts per line with rejected
quantities (rejected ≤ received ≤ outstanding; the order's status follows partial receipts)."""

import threading
from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction

from orders import selectors, services
from orders.models import Delivery, OrderNumberSequence, PurchaseOrder, ReceiptLine
from tests.orders.builders import days, line_data

pytestmark = pytest.mark.django_db

FROZEN = time_machine.travel("2026-12-05 09:00 +00:00", tick=False)


@pytest.fixture(autouse=True)
def _frozen_time():
    with FROZEN:
        yield


def create(supplier, buyer, **kwargs):
    kwargs.setdefault("lines", [line_data()])
    kwargs.setdefault("ordered_on", days(0))
    return services.order_create(supplier=supplier, by=buyer, **kwargs)


# --- PO numbers -----------------------------------------------------------------------------------------------


def test_an_order_without_a_number_gets_the_next_number_of_its_year(approved_a, buyer):
    first = create(approved_a, buyer)
    second = create(approved_a, buyer)
    assert (first.number, second.number) == ("PO-2026-00001", "PO-2026-00002")


def test_numbers_count_again_from_one_in_a_new_year(approved_a, buyer):
    create(approved_a, buyer)
    next_year = create(
        approved_a, buyer, ordered_on=date(2027, 1, 4), lines=[line_data(required_on=date(2027, 3, 1))]
    )
    assert next_year.number == "PO-2027-00001"
    assert dict(OrderNumberSequence.objects.values_list("year", "last_number")) == {2026: 1, 2027: 1}


def test_a_number_typed_by_hand_is_skipped_by_the_generator(approved_a, buyer):
    create(approved_a, buyer, number="PO-2026-00001")
    assert create(approved_a, buyer).number == "PO-2026-00002"


def test_a_refused_order_gives_its_number_back(approved_a, buyer):
    with pytest.raises(ValidationError):
        create(approved_a, buyer, lines=[line_data(quantity=0)])
    assert create(approved_a, buyer).number == "PO-2026-00001"


def test_a_draft_can_be_renumbered_but_a_sent_order_cannot(approved_a, buyer):
    order = create(approved_a, buyer)
    services.order_renumber(order=order, by=buyer, number=" PO-SPECIAL-7 ")
    order.refresh_from_db()
    assert order.number == "PO-SPECIAL-7"
    services.order_send(order=order, by=buyer)
    with pytest.raises(ValidationError) as exc:
        services.order_renumber(order=order, by=buyer, number="PO-OTHER")
    assert exc.value.message_dict == {"number": ["The PO number can change only before the order is sent."]}
    order.refresh_from_db()
    assert order.number == "PO-SPECIAL-7"


def test_renumbering_to_a_number_in_use_is_refused_in_words(approved_a, buyer):
    create(approved_a, buyer, number="PO-TAKEN")
    order = create(approved_a, buyer)
    with pytest.raises(ValidationError, match="Another order already has the PO number PO-TAKEN"):
        services.order_renumber(order=order, by=buyer, number="PO-TAKEN")


@pytest.mark.django_db(transaction=True)
def test_two_buyers_saving_at_once_get_different_numbers(approved_a, buyer):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    create(approved_a, buyer)  # the year's counter row exists
    barrier, numbers, errors = threading.Barrier(2), [], []

    def save():
        try:
            with FROZEN, transaction.atomic():
                barrier.wait(timeout=10)
                numbers.append(create(approved_a, buyer).number)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors
    assert sorted(numbers) == ["PO-2026-00002", "PO-2026-00003"]


# --- Receipts -------------------------------------------------------------------------------------------------


@pytest.fixture
def two_line_delivery(approved_a, buyer, portal_a):
    """A sent order whose first delivery carries two lines due on one date (100 × A, 50 × B), shipped in full."""
    order = create(
        approved_a,
        buyer,
        lines=[
            line_data(sku="A", quantity=100, required_on=days(20)),
            line_data(sku="B", quantity=50, required_on=days(20)),
            line_data(sku="C", quantity=10, required_on=days(40)),
        ],
    )
    services.order_send(order=order, by=buyer)
    delivery = order.deliveries.get(sequence=1)
    return services.delivery_ship(delivery=delivery, by=portal_a, shipped_on=days(-1), quantity_shipped=150)


def receipt(delivery, **quantities):
    lines = {line.sku: line for line in selectors.delivery_lines(delivery=delivery)}
    return [
        {"line": lines[sku], "quantity_received": received, "quantity_rejected": rejected}
        for sku, (received, rejected) in quantities.items()
    ]


def test_a_receipt_per_line_records_what_arrived_and_what_was_rejected(two_line_delivery, buyer):
    delivery = services.delivery_receive(
        delivery=two_line_delivery,
        by=buyer,
        received_on=days(0),
        lines=receipt(two_line_delivery, A=(100, 4), B=(50, 0)),
    )
    assert (delivery.status, delivery.quantity_received, delivery.quantity_rejected) == ("received", 150, 4)
    assert sorted(ReceiptLine.objects.values_list("line__sku", "quantity_received", "quantity_rejected")) == [
        ("A", 100, 4),
        ("B", 50, 0),
    ]
    back_order = delivery.order.deliveries.order_by("-sequence").first()
    assert (back_order.status, back_order.quantity_planned) == (
        "planned",
        4,
    )  # the rejected goods are owed again
    outstanding = {line.sku: line.outstanding for line in selectors.delivery_lines(delivery=back_order)}
    assert outstanding == {"A": 4, "B": 0}


def test_the_order_is_partially_received_then_received(two_line_delivery, buyer):
    order = two_line_delivery.order
    services.delivery_receive(
        delivery=two_line_delivery,
        by=buyer,
        received_on=days(0),
        lines=receipt(two_line_delivery, A=(100, 0), B=(50, 0)),
    )
    order.refresh_from_db()
    assert order.status == PurchaseOrder.Status.PARTIALLY_RECEIVED
    last = order.deliveries.get(status=Delivery.Status.PLANNED)
    with time_machine.travel("2027-01-20 09:00 +00:00", tick=False):
        services.delivery_receive(
            delivery=last, by=buyer, received_on=date(2027, 1, 20), quantity_received=10
        )
    order.refresh_from_db()
    assert order.status == PurchaseOrder.Status.RECEIVED


@pytest.mark.parametrize(
    ("quantities", "message"),
    [
        ({"A": (10, 11)}, "A: rejected (11) cannot exceed received (10)."),
        ({"A": (101, 0)}, "A: 101 received, but only 100 are outstanding."),
    ],
)
def test_a_receipt_that_does_not_add_up_is_refused_and_writes_nothing(
    two_line_delivery, buyer, quantities, message
):
    with pytest.raises(ValidationError) as exc:
        services.delivery_receive(
            delivery=two_line_delivery,
            by=buyer,
            received_on=days(0),
            lines=receipt(two_line_delivery, **quantities),
        )
    assert message in exc.value.messages
    two_line_delivery.refresh_from_db()
    assert two_line_delivery.status == Delivery.Status.SHIPPED and not ReceiptLine.objects.exists()
    assert two_line_delivery.order.deliveries.count() == 2


def test_a_total_receipt_cannot_exceed_what_shipped_or_reject_more_than_arrived(two_line_delivery, buyer):
    with pytest.raises(ValidationError, match="151 received, but only 150 are outstanding"):
        services.delivery_receive(
            delivery=two_line_delivery, by=buyer, received_on=days(0), quantity_received=151
        )
    with pytest.raises(ValidationError, match="More rejected than received"):
        services.delivery_receive(
            delivery=two_line_delivery,
            by=buyer,
            received_on=days(0),
            quantity_received=5,
            quantity_rejected=6,
        )
    two_line_delivery.refresh_from_db()
    assert two_line_delivery.status == Delivery.Status.SHIPPED


def test_a_line_of_another_delivery_is_refused(two_line_delivery, buyer):
    other = two_line_delivery.order.lines.get(sku="C")
    with pytest.raises(ValidationError, match="C is not carried by this delivery"):
        services.delivery_receive(
            delivery=two_line_delivery,
            by=buyer,
            received_on=days(0),
            lines=[{"line": other, "quantity_received": 10, "quantity_rejected": 0}],
        )


def test_only_shipped_or_due_deliveries_are_receivable(two_line_delivery):
    later = two_line_delivery.order.deliveries.get(sequence=2)
    today = days(0)
    assert two_line_delivery.is_receivable(today) and not later.is_receivable(today)
    assert later.is_receivable(later.promised_on)
    later.status = Delivery.Status.CANCELLED
    assert not later.is_receivable(later.promised_on)
