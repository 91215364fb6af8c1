"""Lots for the inspection-severity tests (test_severity, test_severity_reduced): one pre-shipment inspection of a
lot of 1000 at level II (code letter J), and the state of the SKU it counts for."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from audits import services
from audits.models import InspectionSeverity, QCInspection

SKU = "TOTE-01"  # the SKU of the tote_order fixture (tests/audits/conftest.py)


def record(
    supplier, by, order=None, lot_number="", aql_major="2.5", aql_minor="4.0", lot_size=1000, **fields
):
    """Record a pre-shipment inspection of a lot of 1000 (level II, AQL 2.5 / 4.0, unless given), inspected
    yesterday; `fields` are its defects (none: accepted)."""
    return services.inspection_record(
        supplier=supplier,
        by=by,
        order=order,
        lot_number=lot_number,
        checkpoint=QCInspection.Checkpoint.PRE_SHIPMENT,
        inspected_on=timezone.localdate() - timedelta(days=1),
        lot_size=lot_size,
        aql_major=Decimal(aql_major),
        aql_minor=Decimal(aql_minor),
        **fields,
    )


def state_of(supplier, sku=SKU) -> InspectionSeverity:
    """The stored severity of the supplier's SKU."""
    return InspectionSeverity.objects.get(supplier=supplier, sku=sku, category=None)
