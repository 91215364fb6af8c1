"""Staff payment pages: lists with pinned query counts, the invoice form with its line formset, the invoice page
and the forms posted from it, and the payment-term pages. A refused form shows why and writes nothing."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from payments import services
from payments.models import Invoice, InvoiceDiscrepancy, InvoiceLine, Payment, PaymentTermChange
from tests.helpers import InDays, body_of, on_the_day
from tests.payments.builders import HTML_AS_PDF, days, pdf, record
from tests.payments.selectors_data import many_invoices

pytestmark = pytest.mark.django_db


def invoice_post(order, *, lines: list[tuple[str, str]], number="INV-WEB-1", **fields) -> dict:
    """The invoice form as a browser posts it: one (quantity, unit price) pair per order line."""
    data = {
        "number": number,
        "invoice_date": days(-5).isoformat(),
        "received_on": days(-2).isoformat(),
        "notes": "",
        "form-TOTAL_FORMS": str(order.lines.count()),
        "form-INITIAL_FORMS": "0",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
    }
    for index, (quantity, price) in enumerate(lines):
        data[f"form-{index}-quantity"] = quantity
        data[f"form-{index}-unit_price"] = price
    data.update(fields)
    return data


def create_url(order) -> str:
    return reverse("payments:invoice_create") + f"?order={order.pk}"


def nothing_written() -> bool:
    return not (Invoice.objects.exists() or InvoiceLine.objects.exists())


# --- Lists ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["payments:invoice_list", "payments:invoice_due"])
def test_invoice_list_pages_have_constant_queries(buyer_client, django_assert_max_num_queries, name):
    many_invoices(3)
    with django_assert_max_num_queries(12) as captured:
        response = buyer_client.get(reverse(name))
    assert response.status_code == 200
    few = len(captured.captured_queries)
    many_invoices(27)
    with django_assert_max_num_queries(few):
        response = buyer_client.get(reverse(name))
    assert body_of(response).count("INV-") >= 25


def test_invoice_list_filters_by_supplier_and_status(buyer_client, received_order, buyer):
    record(received_order, by=buyer, items=[(100, "3.55")], number="INV-HIKE")
    other = many_invoices(1)[0]
    body = body_of(buyer_client.get(reverse("payments:invoice_list"), {"status": "disputed"}))
    assert "INV-HIKE" in body and other.number not in body and "1 discrepancy" in body
    body = body_of(buyer_client.get(reverse("payments:invoice_list"), {"supplier": other.supplier_id}))
    assert "INV-HIKE" not in body and other.number in body


def test_due_page_marks_overdue_invoices(buyer_client, received_order, buyer):
    invoice = record(received_order, by=buyer, items=[(100, "3.40")], invoice_date=days(-33))
    services.invoice_approve(invoice=invoice, by=buyer)
    body = body_of(buyer_client.get(reverse("payments:invoice_due")))
    assert "INV-1" in body and "3 days overdue" in body


# --- Recording an invoice -------------------------------------------------------------------------------------


def test_create_page_first_asks_for_the_order(buyer_client, received_order):
    body = body_of(buyer_client.get(reverse("payments:invoice_create")))
    assert "PO-PAY-1" in body and 'name="order"' in body
    body = body_of(buyer_client.get(create_url(received_order)))
    assert "SKU-1" in body and "Received on this order so far: 100 units" in body


def test_a_matching_invoice_is_recorded_and_opens_its_page(buyer_client, received_order):
    response = buyer_client.post(
        create_url(received_order), invoice_post(received_order, lines=[("100", "3.40")]), follow=True
    )
    invoice = Invoice.objects.get()
    assert response.redirect_chain[-1][0] == invoice.get_absolute_url()
    assert "it matches the order and the receipts" in body_of(response)
    assert (invoice.amount, invoice.due_on, invoice.received_on) == (Decimal("340.00"), days(25), days(-2))


def test_a_price_hike_is_recorded_on_hold_with_its_discrepancy(buyer_client, received_order):
    response = buyer_client.post(
        create_url(received_order), invoice_post(received_order, lines=[("100", "3.60")]), follow=True
    )
    body = body_of(response)
    assert "the three-way match found discrepancies to resolve" in body
    assert "Price above the agreed price" in body and "agreed 3.40 USD, invoiced 3.60 USD" in body
    assert Invoice.objects.get().status == Invoice.Status.DISPUTED


@pytest.mark.parametrize(
    ("lines", "fields", "message"),
    [
        ([("", "")], {}, "Enter the quantity and unit price of at least one line."),
        ([("100", "")], {}, "Enter the unit price invoiced."),
        ([("0", "3.40")], {}, "Ensure this value is greater than or equal to 1."),
        ([("100", "3.40")], {"number": ""}, "This field is required."),
        (
            [("100", "3.40")],
            {"invoice_date": InDays(3, text=True)},
            "An invoice date cannot be in the future.",
        ),
        (
            [("100", "3.40")],
            {"received_on": InDays(-9, text=True)},
            "An invoice cannot arrive before its own date.",
        ),
    ],
)
def test_a_refused_invoice_form_shows_why_and_writes_nothing(
    buyer_client, received_order, lines, fields, message
):
    response = buyer_client.post(
        create_url(received_order), invoice_post(received_order, lines=lines, **on_the_day(fields))
    )
    assert response.status_code == 400
    assert message in body_of(response)
    assert nothing_written()


def test_an_html_file_named_pdf_is_refused(buyer_client, received_order):
    data = invoice_post(
        received_order,
        lines=[("100", "3.40")],
        document=SimpleUploadedFile("invoice.pdf", HTML_AS_PDF, content_type="application/pdf"),
    )
    response = buyer_client.post(create_url(received_order), data)
    assert response.status_code == 400 and "This file type is not accepted" in body_of(response)
    assert nothing_written()


def test_an_invoice_for_an_order_the_buyer_cannot_invoice_answers_404(
    buyer_client, two_line_order, buyer, portal_a
):
    from orders import services as orders

    orders.order_cancel(order=two_line_order, by=buyer, reason="Not needed")
    orders.order_change_accept(change=two_line_order.changes.get(), by=portal_a)  # the factory agrees
    assert buyer_client.get(create_url(two_line_order)).status_code == 404
    assert buyer_client.get(reverse("payments:invoice_create") + "?order=abc").status_code == 404


def test_quality_staff_cannot_open_the_invoice_form(client, quality, received_order):
    client.force_login(quality)
    assert client.get(create_url(received_order)).status_code == 403


# --- The invoice page and its forms ---------------------------------------------------------------------------


@pytest.fixture
def disputed(received_order, buyer):
    return record(received_order, by=buyer, items=[(100, "3.60")], document=pdf())


def test_invoice_page_shows_lines_match_discrepancies_and_terms(buyer_client, disputed):
    body = body_of(buyer_client.get(disputed.get_absolute_url()))
    for text in (
        "INV-1",
        "PO-PAY-1",
        "Price above the agreed price",
        "default terms",
        "invoice PDF",
        "Resolve",
    ):
        assert text in body, text
    assert "Approve for payment" not in body  # on hold


def test_resolving_without_a_note_shows_the_error_in_place(buyer_client, disputed):
    discrepancy = disputed.discrepancies.get()
    response = buyer_client.post(reverse("payments:discrepancy_resolve", args=[discrepancy.pk]), {"note": ""})
    assert response.status_code == 400 and "This field is required." in body_of(response)
    discrepancy.refresh_from_db()
    assert discrepancy.status == InvoiceDiscrepancy.Status.OPEN


def test_resolve_then_approve_then_pay_from_the_invoice_page(buyer_client, disputed):
    discrepancy = disputed.discrepancies.get()
    response = buyer_client.post(
        reverse("payments:discrepancy_resolve", args=[discrepancy.pk]),
        {"note": "Surcharge agreed"},
        follow=True,
    )
    assert "Discrepancy resolved." in body_of(response) and "Approve for payment" in body_of(response)
    response = buyer_client.post(reverse("payments:invoice_approve", args=[disputed.pk]), follow=True)
    assert "Invoice approved for payment." in body_of(response) and "Record payment" in body_of(response)
    response = buyer_client.post(
        reverse("payments:payment_record", args=[disputed.pk]),
        {"paid_on": days(0).isoformat(), "amount": "360.00", "reference": "TT-77"},
        follow=True,
    )
    assert "Payment recorded; the invoice is paid in full." in body_of(response)
    disputed.refresh_from_db()
    assert disputed.status == Invoice.Status.PAID and disputed.paid_on == days(0)


def test_approving_an_invoice_on_hold_shows_why_not(buyer_client, disputed):
    response = buyer_client.post(reverse("payments:invoice_approve", args=[disputed.pk]), follow=True)
    assert "Resolve the open discrepancies first (1 open)." in body_of(response)
    disputed.refresh_from_db()
    assert disputed.status == Invoice.Status.DISPUTED


def test_an_overpayment_shows_the_open_amount_on_the_form_and_writes_nothing(
    buyer_client, received_order, buyer
):
    invoice = services.invoice_approve(
        invoice=record(received_order, by=buyer, items=[(100, "3.40")]), by=buyer
    )
    response = buyer_client.post(
        reverse("payments:payment_record", args=[invoice.pk]),
        {"paid_on": days(0).isoformat(), "amount": "340.01", "reference": "TT-1"},
    )
    assert response.status_code == 400
    assert "That is more than the 340.00 USD still open on this invoice." in body_of(response)
    assert 'value="340.01"' in body_of(response)  # what was typed stays
    assert not Payment.objects.exists()


def test_rejecting_needs_a_reason(buyer_client, disputed):
    response = buyer_client.post(reverse("payments:invoice_reject", args=[disputed.pk]), {"reason": ""})
    assert response.status_code == 400 and "This field is required." in body_of(response)
    response = buyer_client.post(
        reverse("payments:invoice_reject", args=[disputed.pk]), {"reason": "Send it at 3.40"}, follow=True
    )
    assert "Invoice rejected; the supplier sees the reason." in body_of(response)
    disputed.refresh_from_db()
    assert disputed.status == Invoice.Status.REJECTED


# --- Payment terms --------------------------------------------------------------------------------------------


def term_post(supplier, **fields) -> dict:
    data = {
        "supplier": supplier.pk,
        "new_terms_days": "60",
        "effective_on": days(7).isoformat(),
        "reason": "Group terms",
    }
    data.update(fields)
    return data


def test_a_buyer_proposes_new_terms(buyer_client, approved_a):
    response = buyer_client.post(reverse("payments:term_change_create"), term_post(approved_a), follow=True)
    body = body_of(response)
    assert "The terms change only once they accept it." in body and "Waiting for the supplier" in body
    assert PaymentTermChange.objects.get().status == PaymentTermChange.Status.PROPOSED


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"new_terms_days": "30"}, "30 days are already the terms in force"),
        ({"effective_on": InDays(-1, text=True)}, "New terms cannot take effect in the past."),
        ({"reason": ""}, "This field is required."),
        ({"new_terms_days": "500"}, "Ensure this value is less than or equal to 365."),
    ],
)
def test_a_refused_proposal_shows_why_and_writes_nothing(buyer_client, approved_a, fields, message):
    response = buyer_client.post(
        reverse("payments:term_change_create"), term_post(approved_a, **on_the_day(fields))
    )
    assert response.status_code == 400 and message in body_of(response)
    assert not PaymentTermChange.objects.exists()


@pytest.fixture
def proposal(approved_a, buyer):
    return services.term_change_propose(
        supplier=approved_a, by=buyer, new_terms_days=60, effective_on=days(7), reason="Group terms"
    )


def test_only_a_manager_records_an_agreement(buyer_client, client, manager, proposal):
    url = reverse("payments:term_change_agree", args=[proposal.pk])
    assert buyer_client.get(url).status_code == 403
    assert buyer_client.post(url, {"note": "They said yes"}).status_code == 403
    client.force_login(manager)
    response = client.post(url, {"note": ""})
    assert response.status_code == 400 and "This field is required." in body_of(response)
    response = client.post(url, {"note": "Agreed with Ada on the phone"}, follow=True)
    assert "Agreement recorded" in body_of(response)
    proposal.refresh_from_db()
    assert proposal.status == PaymentTermChange.Status.AGREED


def test_withdrawing_twice_shows_why_not(buyer_client, proposal):
    url = reverse("payments:term_change_withdraw", args=[proposal.pk])
    assert "Proposal withdrawn" in body_of(buyer_client.post(url, follow=True))
    assert "it cannot be answered again" in body_of(buyer_client.post(url, follow=True))


def test_term_change_list_shows_the_trail(buyer_client, proposal, portal_a):
    services.term_change_dispute(change=proposal, by=portal_a, comment="Too long for our bank")
    body = body_of(buyer_client.get(reverse("payments:term_change_list")))
    assert "Disputed by the supplier" in body and "Too long for our bank" in body and "Group terms" in body


def test_invoice_page_has_constant_queries(buyer_client, approved_a, buyer, django_assert_max_num_queries):
    from tests.payments.builders import make_order, receive

    def invoice_with(lines: int, number: str) -> Invoice:
        order = make_order(approved_a, by=buyer, lines=[(10, "1.00")] * lines, number=f"PO-{number}")
        receive(order, by=buyer, quantities=[5] * lines)
        invoice = record(order, by=buyer, items=[(10, "1.50")] * lines, number=number)
        for discrepancy in invoice.discrepancies.all()[: lines - 1]:
            services.discrepancy_resolve(discrepancy=discrepancy, by=buyer, note="Settled")
        return invoice

    small, large = invoice_with(1, "SMALL"), invoice_with(6, "LARGE")
    with django_assert_max_num_queries(20) as captured:
        assert buyer_client.get(small.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(len(captured.captured_queries)):
        assert buyer_client.get(large.get_absolute_url()).status_code == 200
