"""The demo's order in production: a plan, two log entries in two lots, a lab report and an in-line inspection."""

import random

import pytest
from django.utils import timezone

from demo.history import History
from demo.production import order_in_production
from orders.selectors_production import order_production
from suppliers.models import Stage
from tests.factories import PortalUserFactory, SupplierFactory

pytestmark = pytest.mark.django_db


def test_the_demo_has_an_order_in_production_with_two_log_entries_and_a_lot_test(buyer, quality, manager):
    supplier = SupplierFactory(name="Saigon Garment Joint Stock", owner=buyer, stage=Stage.APPROVED)
    history = History(
        supplier=supplier,
        buyer=buyer,
        qc=quality,
        manager=manager,
        portal=PortalUserFactory(supplier=supplier),
        rng=random.Random(1),
        today=timezone.localdate(),
        index=1,
    )
    order = order_in_production(history)
    assert order.status == "in_production" and order.production_logs.count() == 2
    lot = order.production_lots.get(number="HF-2611")
    assert lot.batch_tests.count() == 1 and lot.inspections.count() == 1
    production = order_production(order=order)
    assert production["behind"]  # the joggers cannot make their date at 300 a day
