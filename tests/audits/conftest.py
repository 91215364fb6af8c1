"""Fixtures of the audits tests."""

import pytest

from tests.audits.severity_lots import SKU
from tests.factories import OrderLineFactory, PurchaseOrderFactory


@pytest.fixture
def tote_order(supplier_a):
    """An order of supplier A with one line, SKU TOTE-01: its lots count for that SKU's severity."""
    order = PurchaseOrderFactory(supplier=supplier_a)
    OrderLineFactory(order=order, sku=SKU)
    return order
