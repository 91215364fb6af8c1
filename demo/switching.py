"""The demo's SKU on tightened inspection: two in-line lots of the joggers in production rejected, so the ISO 2859-1
switching rules put the SKU on tightened inspection (the inspection form and the factory's portal say why)."""

from datetime import timedelta

from audits import services as quality
from audits.models import InspectionSeverity
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
