"""The demo's multi-line purchase order: generated number, sent with its PDF, a shipped delivery to receive."""

import io
import random

import pytest
from django.utils import timezone
from pypdf import PdfReader

from communications.models import Notification
from demo.history import History
from demo.purchase_orders import multi_line_order
from orders.pdf import order_pdf
from suppliers.models import Stage
from tests.factories import PortalUserFactory, SupplierFactory

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_sent_three_line_po_with_its_pdf(buyer, quality, manager):
    supplier = SupplierFactory(name="Saigon Garment Joint Stock", owner=buyer, stage=Stage.APPROVED)
    portal = PortalUserFactory(supplier=supplier)
    history = History(
        supplier=supplier,
        buyer=buyer,
        qc=quality,
        manager=manager,
        portal=portal,
        rng=random.Random(1),
        today=timezone.localdate(),
        index=1,
    )
    order = multi_line_order(history)
    assert order.number.startswith(f"PO-{order.ordered_on.year}-") and order.lines.count() == 3
    assert order.deliveries.filter(status="shipped").count() == 1
    assert Notification.objects.filter(
        user=portal, attachment_kind="order_pdf", attachment_id=order.pk
    ).exists()
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(order_pdf(order=order))).pages)
    assert all(sku in text for sku in ("TEE-ORG-03", "TEE-ORG-04", "POLO-PIQ-07")), text
