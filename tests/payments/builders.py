"""Small builders for the payments tests: orders with goods received, invoices recorded through the service."""

from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from orders import services as orders
from orders.models import Delivery, PurchaseOrder
from payments import services
from payments.models import Invoice
from tests.factories import PDF_BYTES

PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
HTML_AS_PDF = b"<html><body><script>alert(1)</script></body></html>"


def days(n: int):
    """Return the date n days from today (negative: in the past)."""
    return timezone.localdate() + timedelta(days=n)


def pdf(name: str = "invoice.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def make_order(supplier, *, by, lines: list[tuple[int, str]], number: str = "PO-PAY-1") -> PurchaseOrder:
    """Create and send an order with lines of (quantity, agreed unit price), one delivery per line."""
    order = orders.order_create(
        supplier=supplier,
        by=by,
        number=number,
        ordered_on=days(-60),
        currency="USD",
        lines=[
            {
                "sku": f"SKU-{index}",
                "description": f"Item {index}",
                "quantity": quantity,
                "unit_price": Decimal(price),
                "required_on": days(-30 + index),
            }
            for index, (quantity, price) in enumerate(lines, start=1)
        ],
    )
    return orders.order_send(order=order, by=by)


def receive(order: PurchaseOrder, *, by, quantities: list[int]) -> None:
    """Receive the order's deliveries, in order, with the quantities given (fewer entries: the rest wait)."""
    for delivery, quantity in zip(order.deliveries.order_by("sequence"), quantities, strict=False):
        orders.delivery_receive(delivery=delivery, by=by, received_on=days(-20), quantity_received=quantity)


def bill(order: PurchaseOrder, *items: tuple[int, str], lines=None) -> list[dict]:
    """Return invoice lines billing the order's lines in order: (quantity, unit price) each."""
    order_lines = list(lines or order.lines.order_by("pk"))
    return [
        {"order_line": order_lines[index], "quantity": quantity, "unit_price": Decimal(price)}
        for index, (quantity, price) in enumerate(items)
        if quantity
    ]


def record(order: PurchaseOrder, *, by, items, number: str = "INV-1", invoice_date=None, **kwargs) -> Invoice:
    """Record an invoice through the service."""
    return services.invoice_record(
        order=order,
        by=by,
        number=number,
        invoice_date=invoice_date or days(-10),
        lines=bill(order, *items),
        **kwargs,
    )


def first_delivery(order) -> Delivery:
    return order.deliveries.order_by("sequence").first()
