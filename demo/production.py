"""The demo's order in production: started with a planned finish, two days of output logged in two lots (one
with an issue the buyer was told of), a lab report for the first lot and an in-line inspection that sampled it."""

from datetime import timedelta
from decimal import Decimal

from audits import services as quality
from demo.files import demo_pdf
from orders import services as orders
from orders.models import PurchaseOrder


def order_in_production(history) -> PurchaseOrder:
    """A two-line PO the factory started 6 days ago; one line is behind its required date at the current rate."""
    today = history.today
    factory = history.portal or history.buyer
    order = orders.order_create(
        supplier=history.supplier,
        by=history.buyer,
        ordered_on=today - timedelta(days=20),
        lines=[
            {
                "sku": "HOOD-FLC-11",
                "description": "Fleece hoodie, charcoal, size M",
                "quantity": 900,
                "unit_price": Decimal("9.60"),
                "required_on": today + timedelta(days=24),
            },
            {
                "sku": "JOG-FLC-12",
                "description": "Fleece joggers, charcoal, size M",
                "quantity": 2000,
                "unit_price": Decimal("7.20"),
                "required_on": today + timedelta(days=10),
            },
        ],
        notes="Autumn range.",
    )
    orders.order_send(order=order, by=history.buyer)
    orders.order_acknowledge(order=order, by=factory)
    orders.order_start_production(order=order, by=factory, planned_finish_on=today + timedelta(days=22))
    hoodies, joggers = order.lines.order_by("pk")
    orders.production_log_add(
        line=hoodies, by=factory, produced_on=today - timedelta(days=5), quantity=240, lot_numbers="HF-2611"
    )
    orders.production_log_add(
        line=joggers,
        by=factory,
        produced_on=today - timedelta(days=1),
        quantity=300,
        lot_numbers="JF-2612",
        issues="Fleece dyeing lot came out uneven; 60 panels re-cut, line slowed for a day.",
    )
    quality.batch_test_submit(
        supplier=history.supplier,
        by=factory,
        order=order,
        lot_number="HF-2611",
        standard="OEKO-TEX 100",
        laboratory="Bureau Veritas Ho Chi Minh",
        tested_on=today - timedelta(days=3),
        outcome="pass",
        report=demo_pdf("Lab report HF-2611"),
    )
    quality.inspection_record(
        supplier=history.supplier,
        by=history.qc,
        checkpoint="in_line",
        inspected_on=today - timedelta(days=4),
        lot_size=240,
        order=order,
        lot_number="HF-2611",
        major_defects=1,
        minor_defects=2,
        defective_units=2,
    )
    return order
