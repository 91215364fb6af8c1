"""Objects of inspection severity for the isolation fixtures (merged into tests/conftest.py supplier_objects)."""

from audits.models import InspectionSeverity
from audits.services import severity_switch


def switching_objects(supplier, quality):
    """A SKU of `supplier` switched to tightened inspection by hand."""
    severity_switch(
        supplier=supplier, by=quality, sku="ISO-SKU", severity="tightened", reason="Customer complaint"
    )
    return {"inspection_severity": InspectionSeverity.objects.get(supplier=supplier, sku="ISO-SKU")}
