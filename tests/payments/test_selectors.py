"""Reads of payments: the invoice and due lists with pinned query counts, what each user sees, and the payment
timeliness KPI against a case computed by hand."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from payments import selectors
from payments.models import Invoice, InvoiceDiscrepancy
from scorecards import kpis
from tests.factories import SupplierFactory
from tests.payments.builders import days
from tests.payments.factories import DiscrepancyFactory, InvoiceFactory, InvoiceLineFactory, PaymentFactory

pytestmark = pytest.mark.django_db


def invoices_with_everything(count: int, **fields) -> list[Invoice]:
    """Invoices of different suppliers, each with two lines, a payment and an open discrepancy."""
    made = []
    for _ in range(count):
        invoice = InvoiceFactory(status=Invoice.Status.PARTIALLY_PAID, due_on=days(5), **fields)
        line, _other = InvoiceLineFactory.create_batch(2, invoice=invoice)
        PaymentFactory(invoice=invoice, amount=Decimal("100.00"))
        DiscrepancyFactory(line=line)
        made.append(invoice)
    return made


def evaluate(queryset) -> list:
    """Touch every attribute the list pages show."""
    return [
        (i.number, i.supplier.name, i.order.number, i.paid_total, i.outstanding, i.open_discrepancies)
        for i in queryset
    ]


@pytest.mark.parametrize("selector", ["invoice_list", "invoices_due"])
def test_invoice_lists_take_one_query_whatever_the_number_of_rows(buyer, django_assert_num_queries, selector):
    def read():
        if selector == "invoice_list":
            return selectors.invoice_list(user=buyer)
        return selectors.invoices_due(user=buyer, today=timezone.localdate())

    invoices_with_everything(3)
    with django_assert_num_queries(1):
        assert len(evaluate(read())) == 3
    invoices_with_everything(30)
    with django_assert_num_queries(1):
        assert len(evaluate(read())) == 33


def test_totals_are_not_multiplied_by_lines_or_payments(buyer):
    invoice = InvoiceFactory(amount=Decimal("1000.00"), status=Invoice.Status.PARTIALLY_PAID)
    InvoiceLineFactory.create_batch(3, invoice=invoice)
    PaymentFactory(invoice=invoice, amount=Decimal("100.00"))
    PaymentFactory(invoice=invoice, amount=Decimal("250.00"))
    row = selectors.invoice_list(user=buyer).get()
    assert (row.paid_total, row.outstanding, row.open_discrepancies) == (
        Decimal("350.00"),
        Decimal("650.00"),
        0,
    )


def test_due_list_holds_unpaid_invoices_due_within_14_days_and_every_overdue_one(buyer):
    def due(number, in_days, status, **fields):
        InvoiceFactory(
            number=number, invoice_date=days(in_days - 30), due_on=days(in_days), status=status, **fields
        )

    due("OVERDUE", -40, Invoice.Status.APPROVED)
    due("DISPUTED", 3, Invoice.Status.DISPUTED)
    due("IN-14", 14, Invoice.Status.PARTIALLY_PAID)
    due("IN-15", 15, Invoice.Status.APPROVED)
    due("PAID", 2, Invoice.Status.PAID, paid_on=days(0))
    due("REJECTED", 2, Invoice.Status.REJECTED)
    numbers = [i.number for i in selectors.invoices_due(user=buyer, today=days(0))]
    assert numbers == ["OVERDUE", "DISPUTED", "IN-14"]


def test_a_factory_contact_sees_only_its_own_invoices_payments_and_discrepancies(portal_a, supplier_a):
    mine = invoices_with_everything(1, order__supplier=supplier_a)[0]
    invoices_with_everything(2)
    assert [i.pk for i in selectors.invoice_list(user=portal_a)] == [mine.pk]
    assert {d.invoice_id for d in selectors.discrepancy_list(user=portal_a)} == {mine.pk}
    assert [i.pk for i in selectors.invoices_due(user=portal_a, today=days(0))] == [mine.pk]


def test_nobody_signed_out_sees_any_invoice():
    from django.contrib.auth.models import AnonymousUser

    invoices_with_everything(1)
    assert not selectors.invoice_list(user=AnonymousUser()).exists()


def test_order_invoicing_counts_received_and_invoiced_units_without_rejected_invoices(buyer):
    invoice = InvoiceFactory()
    InvoiceLineFactory(invoice=invoice, quantity=70)
    rejected = InvoiceFactory(order=invoice.order, status=Invoice.Status.REJECTED)
    InvoiceLineFactory(invoice=rejected, quantity=500)
    result = selectors.order_invoicing(order=invoice.order)
    assert result["received"] == 0 and result["invoiced"] == 70


def test_open_discrepancies_are_counted_per_invoice(buyer):
    invoice = InvoiceFactory(status=Invoice.Status.DISPUTED)
    line = InvoiceLineFactory(invoice=invoice)
    DiscrepancyFactory(line=line)
    DiscrepancyFactory(
        line=line,
        kind=InvoiceDiscrepancy.Kind.QUANTITY,
        status=InvoiceDiscrepancy.Status.RESOLVED,
        resolution_note="Arrived",
    )
    assert selectors.invoice_get(user=buyer, pk=invoice.pk).open_discrepancies == 1


# --- Payment timeliness (scorecards.kpis.payment_timeliness) --------------------------------------------------


def invoice(supplier, *, due: int, paid: int | None = None, status=None) -> Invoice:
    """An invoice of `supplier` due `due` days from today, paid `paid` days from today (or not)."""
    if status is None:
        status = Invoice.Status.PAID if paid is not None else Invoice.Status.APPROVED
    return InvoiceFactory(
        order__supplier=supplier,
        invoice_date=days(due - 30),
        due_on=days(due),
        paid_on=days(paid) if paid is not None else None,
        status=status,
    )


def timeliness(supplier, **kwargs) -> kpis.PaymentKpiValue:
    args = {"start": days(-90), "end": days(30), "today": days(0), **kwargs}
    return kpis.payment_timeliness(**args).get(supplier.pk, kpis.EMPTY_INVOICES)


def test_payment_timeliness_by_hand(supplier_a):
    invoice(supplier_a, due=-50, paid=-55)  # early: on time
    invoice(supplier_a, due=-40, paid=-40)  # on the due date: on time
    invoice(supplier_a, due=-30, paid=-25)  # 5 days late
    invoice(supplier_a, due=-10)  # unpaid and 10 days past due: late
    invoice(supplier_a, due=-12, status=Invoice.Status.PARTIALLY_PAID)  # part paid is not paid: 12 days late
    invoice(supplier_a, due=5)  # not due yet: not counted
    invoice(supplier_a, due=-20, status=Invoice.Status.REJECTED)  # rejected: not counted
    invoice(supplier_a, due=-120, paid=-100)  # outside the window: not counted
    invoice(supplier_a, due=10, paid=-1)  # paid before its due date inside the window: on time
    value = timeliness(supplier_a)
    assert (value.numerator, value.denominator) == (3, 6)
    assert value.value == Decimal("50.00")
    assert value.days_late == 5 + 10 + 12
    assert value.average_days_late == Decimal("9.0")


def test_payment_timeliness_is_per_supplier_in_one_query(supplier_a, supplier_b, django_assert_num_queries):
    for supplier in (supplier_a, supplier_b, SupplierFactory()):
        for due in (-30, -20, -10):
            invoice(supplier, due=due, paid=due)
    invoice(supplier_b, due=-5)
    with django_assert_num_queries(1):
        values = kpis.payment_timeliness(start=days(-90), end=days(0), today=days(0))
    assert len(values) == 3
    assert values[supplier_a.pk].value == Decimal("100.00")
    assert values[supplier_a.pk].average_days_late == Decimal("0")
    assert (values[supplier_b.pk].numerator, values[supplier_b.pk].denominator) == (3, 4)
    assert values[supplier_b.pk].average_days_late == Decimal("5.0")


def test_payment_timeliness_below_three_invoices_is_insufficient_data(supplier_a):
    invoice(supplier_a, due=-10, paid=-12)
    invoice(supplier_a, due=-5)
    value = timeliness(supplier_a)
    assert (value.numerator, value.denominator) == (1, 2)
    assert value.value is None and value.average_days_late is None
    assert timeliness(SupplierFactory()).value is None


def test_payment_timeliness_can_be_limited_to_what_a_user_sees(supplier_a, supplier_b, portal_a):
    for supplier in (supplier_a, supplier_b):
        for due in (-30, -20, -10):
            invoice(supplier, due=due, paid=due + 1)
    values = kpis.payment_timeliness(
        start=days(-90), end=days(0), today=days(0), invoices=Invoice.objects.visible_to(portal_a)
    )
    assert set(values) == {supplier_a.pk}
    assert values[supplier_a.pk].value == Decimal("0.00")
    assert values[supplier_a.pk].average_days_late == Decimal("1.0")


def test_timeliness_window_uses_the_due_date(supplier_a):
    today = timezone.localdate()
    for offset in (1, 2, 3):
        invoice(supplier_a, due=-offset, paid=-offset)
    value = kpis.payment_timeliness(start=today - timedelta(days=2), end=today, today=today)[supplier_a.pk]
    assert value.denominator == 2
