"""The demo's SKUs off normal inspection: two in-line lots of the joggers in production rejected, so the ISO 2859-1
switching rules put that SKU on tightened inspection (the inspection form and the factory's portal say why); and ten
clean lots of a repeat SKU, whose switching score of 30 let quality staff switch it to reduced inspection."""

from datetime import timedelta
from decimal import Decimal

from audits import services as quality
from audits.models import InspectionSeverity, QCInspection, Severity
from orders import services as orders
from orders.models import PurchaseOrder


def sku_on_tightened(history, order: PurchaseOrder) -> InspectionSeverity:
    """Reject two lots of the order's joggers at in-line inspection: the SKU switches to tightened by the rules."""
    today = history.today
    factory = history.portal or history.buyer
    joggers = order.lines.get(sku="JOG-FLC-12")
    orders.production_log_add(
        line=joggers, by=factory, produced_on=today - timedelta(days=3), quantity=200, lot_numbers="JF-2610"
    )
    for lot, days_ago in (("JF-2610", 2), ("JF-2612", 1)):
        quality.inspection_record(
            supplier=history.supplier,
            by=history.qc,
            checkpoint="in_line",
            inspected_on=today - timedelta(days=days_ago),
            lot_size=200,
            order=order,
            lot_number=lot,
            major_defects=4,
            minor_defects=3,
            defective_units=6,
            notes="Uneven dye on the leg panels.",
        )
    return InspectionSeverity.objects.get(supplier=history.supplier, sku="JOG-FLC-12")


REDUCED_SKU = "SOCK-CTN-08"


def sku_on_reduced(history) -> InspectionSeverity:
    """Ten lots of 1,000 pairs of socks accepted at AQL 1.0 / 2.5 with no defect (3 points each: switching score 30),
    shipped and received on time; then quality staff approve reduced inspection with a reason (ISO 2859-1 9.3.3)."""
    today = history.today
    factory = history.portal or history.buyer
    order = orders.order_create(
        supplier=history.supplier,
        by=history.buyer,
        ordered_on=today - timedelta(days=120),
        lines=[
            {
                "sku": REDUCED_SKU,
                "description": "Cotton crew socks, 3-pack",
                "quantity": 10000,
                "unit_price": Decimal("1.85"),
                "required_on": today - timedelta(days=20),
            }
        ],
        notes="Year-round basics, shipped in one container after ten lots.",
    )
    orders.order_send(order=order, by=history.buyer)
    orders.order_acknowledge(order=order, by=factory)
    for number in range(10):
        quality.inspection_record(
            supplier=history.supplier,
            by=history.qc,
            checkpoint=QCInspection.Checkpoint.PRE_SHIPMENT,
            inspected_on=today - timedelta(days=60 - 3 * number),
            lot_size=1000,
            aql_major=Decimal("1.0"),
            aql_minor=Decimal("2.5"),
            order=order,
            lot_number=f"SC-26{number + 1:02d}",
        )
    delivery = order.deliveries.get()
    orders.delivery_ship(
        delivery=delivery,
        by=factory,
        shipped_on=today - timedelta(days=30),
        quantity_shipped=delivery.quantity_planned,
        tracking_reference="MSKU5518260",
    )
    orders.delivery_receive(
        delivery=delivery,
        by=history.buyer,
        received_on=today - timedelta(days=22),
        quantity_received=delivery.quantity_planned,
    )
    quality.severity_switch(
        supplier=history.supplier,
        by=history.qc,
        sku=REDUCED_SKU,
        severity=Severity.REDUCED,
        reason="Ten lots in a row accepted with no defect and steady production: reduced approved by QA.",
    )
    return InspectionSeverity.objects.get(supplier=history.supplier, sku=REDUCED_SKU)
