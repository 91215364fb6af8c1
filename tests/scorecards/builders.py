"""Rows for the KPI tests, dated by hand: deliveries, inspections, invoices and issues of one supplier, and the
query count of one page."""

from datetime import date, datetime, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from communications.models import Side, SupplierIssue
from orders.models import Delivery, PurchaseOrder
from payments.models import Invoice
from tests.factories import DeliveryFactory, PurchaseOrderFactory, QCInspectionFactory
from tests.payments.factories import InvoiceFactory


def order_for(supplier) -> PurchaseOrder:
    return PurchaseOrder.objects.filter(supplier=supplier).first() or PurchaseOrderFactory(supplier=supplier)


def delivery(supplier, promised: date, received: date | None = None, **fields) -> Delivery:
    """A delivery promised on `promised`, received on `received` (or not yet)."""
    if received is not None:
        fields.setdefault("status", Delivery.Status.RECEIVED)
        fields.setdefault("quantity_received", 1000)
    return DeliveryFactory(order=order_for(supplier), promised_on=promised, received_on=received, **fields)


def received_deliveries(order, *, on_time: int = 0, late: int = 0, first: int = 10, step: int = 1) -> None:
    """Received deliveries of `order`, promised `first`, `first + step`, … days ago: the first `late` of them three
    days after their date, the other `on_time` a day early."""
    today = timezone.localdate()
    for n in range(on_time + late):
        promised = today - timedelta(days=first + step * n)
        DeliveryFactory(
            order=order,
            promised_on=promised,
            received_on=promised + timedelta(days=3 if n < late else -1),
            status=Delivery.Status.RECEIVED,
            quantity_received=1000,
        )


def inspection(supplier, on: date, sample: int, defective: int):
    return QCInspectionFactory(
        supplier=supplier, inspected_on=on, sample_size=sample, defective_units=defective, report=""
    )


def invoice(supplier, due: date, paid: date | None = None, status: str | None = None) -> Invoice:
    """An invoice falling due on `due`, paid in full on `paid` (or not)."""
    status = status or (Invoice.Status.PAID if paid else Invoice.Status.APPROVED)
    return InvoiceFactory(
        order=order_for(supplier),
        invoice_date=due - timedelta(days=30),
        due_on=due,
        paid_on=paid,
        status=status,
    )


def issue(
    supplier, raised_at: datetime, answered_after: float | None = None, side=Side.BUYER
) -> SupplierIssue:
    """An issue raised at `raised_at` by `side`, first answered `answered_after` hours later (or not)."""
    return SupplierIssue.objects.create(
        supplier=supplier,
        raised_by_side=side,
        category=SupplierIssue.Category.QUALITY,
        subject=f"Issue raised {raised_at:%Y-%m-%d %H:%M}",
        description="See the photos.",
        raised_by=supplier.owner,
        owner=supplier.owner,
        raised_at=raised_at,
        first_response_at=None if answered_after is None else raised_at + timedelta(hours=answered_after),
        status=SupplierIssue.Status.OPEN if answered_after is None else SupplierIssue.Status.ANSWERED,
    )


def queries(client, url) -> int:
    """Return how many queries one request for `url` takes."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)
