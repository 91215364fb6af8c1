"""Supplier-A objects of the pricing app for the isolation test (see tests/conftest.py supplier_objects)."""

from decimal import Decimal

from django.core.files.base import ContentFile

from pricing.models import PriceAgreement, PriceChangeDocument
from tests.factories import PDF_BYTES
from tests.pricing.builders import breakdown_row, change_row, days


def pricing_objects(supplier, staff_user) -> dict:
    agreement = PriceAgreement.objects.create(
        supplier=supplier, sku="ISO-SKU", unit_price=Decimal("2.50"), currency="USD", valid_from=days(-30)
    )
    change = change_row(agreement, requested_by=staff_user)
    document = PriceChangeDocument.objects.create(
        request=change,
        supplier=supplier,
        file=ContentFile(PDF_BYTES, name="costs.pdf"),
        uploaded_by=staff_user,
    )
    return {
        "price_agreement": agreement,
        "price_change": change,
        "price_change_document": document,
        "cost_breakdown": breakdown_row(supplier, requested_by=staff_user, answered=True),
    }
