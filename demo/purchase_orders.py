"""The demo's multi-line purchase order: numbered by the generator, sent with its PDF, one delivery shipped."""

from datetime import timedelta
from decimal import Decimal

from django.urls import reverse

from orders import services as orders
from orders.models import PurchaseOrder

LINES = [
    ("TEE-ORG-03", "Organic cotton T-shirt, navy, size M", 1200, "4.15", 20),
    ("TEE-ORG-04", "Organic cotton T-shirt, white, size L", 800, "4.15", 20),
    ("POLO-PIQ-07", "Piqué polo shirt, embroidered logo", 600, "7.90", 50),
]


def multi_line_order(history) -> PurchaseOrder:
    """A three-line PO with a generated number (PO-2026-00042 style), sent to the factory, whose contacts get it
    by email with the PDF attached; the first delivery is shipped, so "Receive" is offered on it."""
    today = history.today
    order = orders.order_create(
        supplier=history.supplier,
        by=history.buyer,
        ordered_on=today - timedelta(days=40),
        incoterm="FOB",
        lines=[
            {
                "sku": sku,
                "description": description,
                "quantity": quantity,
                "unit_price": Decimal(price),
                "required_on": today + timedelta(days=offset - 21),
            }
            for sku, description, quantity, price, offset in LINES
        ],
        notes="Spring range, first drop.",
    )
    orders.order_send(order=order, by=history.buyer)
    orders.order_acknowledge(order=order, by=history.portal or history.buyer)
    first = order.deliveries.order_by("sequence").first()
    orders.delivery_ship(
        delivery=first,
        by=history.portal or history.buyer,
        shipped_on=today - timedelta(days=3),
        quantity_shipped=first.quantity_planned,
        tracking_reference="MSKU7730412",
    )
    return order


def pdf_path(order: PurchaseOrder) -> str:
    """Return where staff download the order's PDF."""
    return reverse("orders:pdf", args=[order.pk])
