"""Orders built the way the app builds them: through orders.services, for supplier A once it is approved."""

import itertools

import pytest
from django.utils import timezone

from orders import services
from suppliers.models import Stage
from tests.orders.builders import days, line_data

_numbers = itertools.count(1)


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
def make_order(buyer):
    """Create a draft order through the service (lines default to one valid line)."""

    def make(supplier, *, by=None, lines=None, number=None, **kwargs):
        return services.order_create(
            supplier=supplier,
            by=by or buyer,
            number=number or f"PO-{next(_numbers):05d}",
            ordered_on=kwargs.pop("ordered_on", timezone.localdate()),
            lines=lines if lines is not None else [line_data()],
            **kwargs,
        )

    return make


@pytest.fixture
def sent_order(approved_a, make_order, buyer):
    """An order sent to supplier A: two lines on two dates, so two planned deliveries."""
    order = make_order(
        approved_a,
        number="PO-SENT",
        lines=[
            line_data(sku="TOTE-01", quantity=100, required_on=days(30)),
            line_data(sku="TOTE-02", quantity=40, required_on=days(45)),
        ],
    )
    return services.order_send(order=order, by=buyer)
