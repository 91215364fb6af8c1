"""Supplier-A objects of the payments app for the isolation test (see tests/conftest.py objects_a)."""

from decimal import Decimal

from orders.models import OrderCharge
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
        # A charge agreed on an order (its invoice charges and their discrepancies: tests/payments/test_charges.py).
        "order_charge": OrderCharge.objects.create(
            order=order, kind="tooling", amount_cap=Decimal("500.00"), created_by=staff_user
        ),
        "discrepancy": DiscrepancyFactory(line=line),
        "payment": PaymentFactory(invoice=paid_in_part, recorded_by=staff_user),
        "term_change": TermChangeFactory(supplier=supplier, proposed_by=staff_user),
    }
