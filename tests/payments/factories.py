"""factory_boy factories for the payments app (rows built directly; the services are tested with real calls)."""

from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from payments.models import (
    Invoice,
    InvoiceCharge,
    InvoiceDiscrepancy,
    InvoiceLine,
    Payment,
    PaymentTermChange,
)
from tests.factories import PDF_BYTES, OrderLineFactory, PurchaseOrderFactory, UserFactory


class InvoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invoice

    order = factory.SubFactory(PurchaseOrderFactory)
    supplier = factory.SelfAttribute("order.supplier")
    number = factory.Sequence(lambda n: f"INV-{n:05d}")
    invoice_date = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=10))
    received_on = factory.SelfAttribute("invoice_date")
    currency = "USD"
    amount = Decimal("3400.00")
    payment_terms_days = 30
    terms_source = "contract MSA"
    due_on = factory.LazyAttribute(lambda o: o.invoice_date + timedelta(days=o.payment_terms_days))
    status = Invoice.Status.SUBMITTED
    submitted_by = factory.SubFactory(UserFactory)
    document = factory.django.FileField(filename="invoice.pdf", data=PDF_BYTES)


class InvoiceLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InvoiceLine

    invoice = factory.SubFactory(InvoiceFactory)
    order_line = factory.SubFactory(OrderLineFactory, order=factory.SelfAttribute("..invoice.order"))
    quantity = 1000
    unit_price = Decimal("3.40")


class DiscrepancyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InvoiceDiscrepancy

    line = factory.SubFactory(InvoiceLineFactory)
    invoice = factory.SelfAttribute("line.invoice")
    supplier = factory.SelfAttribute("invoice.supplier")
    kind = InvoiceDiscrepancy.Kind.PRICE
    expected = Decimal("3.40")
    invoiced = Decimal("3.60")


class InvoiceChargeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InvoiceCharge

    invoice = factory.SubFactory(InvoiceFactory)
    kind = "freight"
    amount = Decimal("250.00")
    reason = "Sea freight Shenzhen to Rotterdam"


class ChargeDiscrepancyFactory(factory.django.DjangoModelFactory):
    """A charge not agreed on the order: no line, its charge."""

    class Meta:
        model = InvoiceDiscrepancy

    charge = factory.SubFactory(InvoiceChargeFactory)
    line = None
    invoice = factory.SelfAttribute("charge.invoice")
    supplier = factory.SelfAttribute("invoice.supplier")
    kind = InvoiceDiscrepancy.Kind.CHARGE
    expected = Decimal("0")
    invoiced = Decimal("250.00")


class PaymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Payment

    invoice = factory.SubFactory(InvoiceFactory, status=Invoice.Status.PARTIALLY_PAID)
    supplier = factory.SelfAttribute("invoice.supplier")
    paid_on = factory.LazyFunction(timezone.localdate)
    amount = Decimal("1000.00")
    reference = factory.Sequence(lambda n: f"TT-{n:06d}")
    recorded_by = factory.SubFactory(UserFactory)


class TermChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PaymentTermChange

    supplier = factory.SubFactory("tests.factories.SupplierFactory")
    previous_terms_days = 30
    new_terms_days = 60
    reason = "Longer terms in exchange for a larger volume commitment."
    effective_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=30))
    proposed_by = factory.SubFactory(UserFactory)
