"""Many invoices of different suppliers for the query-count tests of lists."""

from decimal import Decimal

from payments.models import Invoice
from tests.payments.builders import days
from tests.payments.factories import DiscrepancyFactory, InvoiceFactory, InvoiceLineFactory, PaymentFactory


def many_invoices(count: int) -> list[Invoice]:
    """Approved, part-paid invoices due in 5 days, each with two lines, a payment and an open discrepancy."""
    made = []
    for _ in range(count):
        invoice = InvoiceFactory(status=Invoice.Status.PARTIALLY_PAID, due_on=days(5))
        line, _other = InvoiceLineFactory.create_batch(2, invoice=invoice)
        PaymentFactory(invoice=invoice, amount=Decimal("100.00"))
        DiscrepancyFactory(line=line)
        made.append(invoice)
    return made
