"""Orders for supplier A with goods received, built through the services, ready to be invoiced."""

import pytest

from suppliers.models import Stage
from tests.payments.builders import make_order, receive


@pytest.fixture
def approved_a(supplier_a):
    supplier_a.stage = Stage.APPROVED
    supplier_a.save(update_fields=["stage"])
    return supplier_a


@pytest.fixture
def approved_b(supplier_b):
    supplier_b.stage = Stage.APPROVED
    supplier_b.save(update_fields=["stage"])
    return supplier_b


@pytest.fixture
def received_order(approved_a, buyer):
    """Order PO-PAY-1 of supplier A: 100 units at 3.40, all received."""
    order = make_order(approved_a, by=buyer, lines=[(100, "3.40")])
    receive(order, by=buyer, quantities=[100])
    return order


@pytest.fixture
def two_line_order(approved_a, buyer):
    """Order PO-PAY-2 of supplier A: 100 at 3.40 and 40 at 4.10, nothing received yet."""
    return make_order(approved_a, by=buyer, lines=[(100, "3.40"), (40, "4.10")], number="PO-PAY-2")
