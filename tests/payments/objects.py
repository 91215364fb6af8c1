"""Supplier-A objects of the payments app for the isolation test (see tests/conftest.py objects_a)."""

from payments.models import Invoice
from tests.factories import OrderLineFactory, PurchaseOrderFactory
from tests.payments.factories import (
    DiscrepancyFactory,
    InvoiceFactory,
    InvoiceLineFactory,
    PaymentFactory,
    TermChangeFactory,
)


def payment_objects(supplier, staff_user) -> dict:
    order = PurchaseOrderFactory(supplier=supplier)
    disputed = InvoiceFactory(order=order, status=Invoice.Status.DISPUTED, submitted_by=staff_user)
    line = InvoiceLineFactory(invoice=disputed, order_line=OrderLineFactory(order=order))
    paid_in_part = InvoiceFactory(order=order, status=Invoice.Status.PARTIALLY_PAID, submitted_by=staff_user)
    return {
        "invoice": disputed,
        "discrepancy": DiscrepancyFactory(line=line),
        "payment": PaymentFactory(invoice=paid_in_part, recorded_by=staff_user),
        "term_change": TermChangeFactory(supplier=supplier, proposed_by=staff_user),
    }
