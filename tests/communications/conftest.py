"""Fixtures of the communications tests."""

import pytest

from suppliers.models import Stage
from tests.factories import DeliveryFactory, OrderLineFactory


@pytest.fixture
def world(supplier_a, buyer, quality):
    """Supplier A (approved), its buyer (owner), QC, an order line with a delivery of 1000."""
    supplier_a.stage = Stage.APPROVED
    supplier_a.save(update_fields=["stage"])
    delivery = DeliveryFactory(order__supplier=supplier_a, order__buyer=buyer, quantity_planned=1000)
    OrderLineFactory(order=delivery.order, quantity=1000, sku="TOTE-1")
    return {"supplier": supplier_a, "buyer": buyer, "quality": quality, "delivery": delivery}
