"""The import kinds, one resource each: its template's columns and how a row becomes records (via services)."""

from .base import Cells, Column, Resource, RowErrors
from .evidence import CertificationResource, ContactResource, ReferenceResource
from .orders import OrderResource, ReceiptResource
from .prices import PriceListResource
from .suppliers import SupplierResource

RESOURCES: dict[str, type[Resource]] = {
    resource.kind: resource
    for resource in (
        SupplierResource,
        ContactResource,
        CertificationResource,
        ReferenceResource,
        OrderResource,
        ReceiptResource,
        PriceListResource,
    )
}

__all__ = ["RESOURCES", "Cells", "Column", "Resource", "RowErrors"]
