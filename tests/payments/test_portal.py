"""The factory's side of payments in the portal: its invoices with status, expected payment date and payments;
submitting an invoice with lines and its PDF; answering proposed payment terms. Never another supplier's."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from orders import services as order_services
from payments import services
from payments.models import Invoice, PaymentTermChange
from tests.factories import PDF_BYTES
from tests.helpers import body_of
from tests.orders.builders import line_data
from tests.payments.builders import HTML_AS_PDF, PNG_BYTES, days, make_order, pdf, receive, record

pytestmark = pytest.mark.django_db


def submit_url(order) -> str:
    return reverse("portal:invoice_submit", args=[order.pk])


def submission(order, *, lines, document=None, number="F-2024-001", **fields) -> dict:
    data = {
        "number": number,
        "invoice_date": days(-1).isoformat(),
        "notes": "",
        "form-TOTAL_FORMS": str(order.lines.count()),
        "form-INITIAL_FORMS": "0",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "document": document if document is not None else pdf(),
    }
    for index, (quantity, price) in enumerate(lines):
        data[f"form-{index}-quantity"] = quantity
        data[f"form-{index}-unit_price"] = price
    data.update(fields)
    return data


# --- Submitting an invoice ------------------------------------------------------------------------------------


def test_the_factory_submits_an_invoice_with_lines_and_its_pdf(
    portal_client, two_line_order, buyer, portal_a
):
    receive(two_line_order, by=buyer, quantities=[100, 40])
    page = body_of(portal_client.get(submit_url(two_line_order)))
    assert "SKU-1" in page and "SKU-2" in page and "Your payment terms today: 30 days" in page
    response = portal_client.post(
        submit_url(two_line_order),
        submission(two_line_order, lines=[("100", "3.40"), ("40", "4.10")]),
        follow=True,
    )
    invoice = Invoice.objects.get()
    assert response.redirect_chain[-1][0] == reverse("portal:invoice_detail", args=[invoice.pk])
    assert f"Expected payment date: {days(29).isoformat()}" in body_of(response)
    assert invoice.submitted_by == portal_a and invoice.supplier_id == portal_a.supplier_id
    assert invoice.amount == Decimal("504.00") and invoice.received_on == days(0)
    assert invoice.status == Invoice.Status.SUBMITTED
    assert invoice.document.name.startswith("invoices/") and invoice.document.name.endswith(".pdf")


def test_the_factory_may_invoice_part_of_an_order(portal_client, two_line_order, buyer):
    receive(two_line_order, by=buyer, quantities=[100])
    portal_client.post(
        submit_url(two_line_order), submission(two_line_order, lines=[("100", "3.40"), ("", "")])
    )
    assert Invoice.objects.get().lines.count() == 1


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (HTML_AS_PDF, "invoice.pdf", "This file type is not accepted"),
        (PNG_BYTES, "invoice.png", "Upload the invoice as a PDF."),
    ],
    ids=["html-disguised-as-pdf", "image"],
)
def test_a_file_that_is_not_a_pdf_is_refused(portal_client, received_order, content, name, message):
    document = SimpleUploadedFile(name, content, content_type="application/pdf")
    response = portal_client.post(
        submit_url(received_order), submission(received_order, lines=[("100", "3.40")], document=document)
    )
    assert response.status_code == 400 and message in body_of(response)
    assert not Invoice.objects.exists()


def test_the_pdf_is_required(portal_client, received_order):
    data = submission(received_order, lines=[("100", "3.40")])
    data.pop("document")
    response = portal_client.post(submit_url(received_order), data)
    assert response.status_code == 400 and "This field is required." in body_of(response)
    assert not Invoice.objects.exists()


def test_a_price_above_the_agreed_one_puts_the_factorys_invoice_on_hold(portal_client, received_order):
    response = portal_client.post(
        submit_url(received_order), submission(received_order, lines=[("100", "3.75")]), follow=True
    )
    body = body_of(response)
    assert "This invoice is on hold" in body and "Price above the agreed price" in body
    assert "agreed 3.40, invoiced 3.75" in body


def test_the_factory_of_b_cannot_invoice_an_order_of_a(client, portal_b, received_order):
    client.force_login(portal_b)
    assert client.get(submit_url(received_order)).status_code == 404
    response = client.post(submit_url(received_order), submission(received_order, lines=[("100", "3.40")]))
    assert response.status_code == 404
    assert not Invoice.objects.exists()


def test_a_draft_order_cannot_be_invoiced_from_the_portal(portal_client, approved_a, buyer):
    draft = order_services.order_create(
        supplier=approved_a, by=buyer, number="PO-D", ordered_on=days(-1), lines=[line_data()]
    )
    assert portal_client.get(submit_url(draft)).status_code == 404


# --- Invoices and payments ------------------------------------------------------------------------------------


def test_invoice_list_shows_status_expected_payment_date_and_payments(portal_client, received_order, buyer):
    invoice = record(received_order, by=buyer, items=[(100, "3.40")], invoice_date=days(-10))
    services.invoice_approve(invoice=invoice, by=buyer)
    services.payment_record(
        invoice=invoice, by=buyer, paid_on=days(0), amount=Decimal("100"), reference="TT-9"
    )
    body = body_of(portal_client.get(reverse("portal:invoices")))
    assert "INV-1" in body and "Partially paid" in body and days(20).strftime("%Y-%m-%d") in body
    assert "Insufficient data: 0 invoice(s) fell due" in body
    assert "PO-PAY-1" in body  # the order can take another invoice
    detail = body_of(portal_client.get(reverse("portal:invoice_detail", args=[invoice.pk])))
    assert "TT-9" in detail and "100.00 USD" in detail and "Expected payment date" in detail


def test_invoice_list_shows_how_promptly_the_buyer_paid(portal_client, approved_a, buyer):
    order = make_order(approved_a, by=buyer, lines=[(300, "1.00")])
    receive(order, by=buyer, quantities=[300])
    for number, (invoice_days, paid_days) in enumerate([(-60, -31), (-50, -20), (-45, -10)]):
        invoice = record(
            order, by=buyer, items=[(100, "1.00")], number=f"N{number}", invoice_date=days(invoice_days)
        )
        services.invoice_approve(invoice=invoice, by=buyer)
        services.payment_record(
            invoice=invoice, by=buyer, paid_on=days(paid_days), amount=invoice.amount, reference=f"T{number}"
        )
    body = body_of(portal_client.get(reverse("portal:invoices")))
    assert "66.67 % paid on time" in body
    assert "2 of 3 invoices paid by their due date; the late ones by 5.0 days on average." in body


def test_the_factory_sees_why_an_invoice_was_rejected(portal_client, received_order, buyer):
    invoice = record(received_order, by=buyer, items=[(100, "3.90")])
    services.invoice_reject(invoice=invoice, by=buyer, reason="Price not agreed; send it at 3.40.")
    body = body_of(portal_client.get(reverse("portal:invoice_detail", args=[invoice.pk])))
    assert "Price not agreed; send it at 3.40." in body and "corrected invoice" in body


def test_lists_seen_by_b_hold_nothing_of_a(client, portal_b, received_order, buyer):
    record(received_order, by=buyer, items=[(100, "3.40")], number="INV-SECRET-A")
    services.term_change_propose(
        supplier=received_order.supplier,
        by=buyer,
        new_terms_days=60,
        effective_on=days(3),
        reason="Secret reason",
    )
    client.force_login(portal_b)
    for name in ("portal:invoices", "portal:payment_terms"):
        body = body_of(client.get(reverse(name)))
        for marker in ("INV-SECRET-A", "PO-PAY-1", "Secret reason"):
            assert marker not in body, (name, marker)


# --- Payment terms --------------------------------------------------------------------------------------------


@pytest.fixture
def proposal(approved_a, buyer):
    return services.term_change_propose(
        supplier=approved_a,
        by=buyer,
        new_terms_days=60,
        effective_on=days(7),
        reason="Align with group terms",
    )


def test_the_factory_is_told_of_a_proposal_and_accepts_it(portal_client, proposal, portal_a):
    assert "We proposed new payment terms" in body_of(portal_client.get(reverse("portal:invoices")))
    page = body_of(portal_client.get(reverse("portal:payment_terms")))
    assert "Align with group terms" in page and "Accept or dispute" in page
    url = reverse("portal:payment_terms_answer", args=[proposal.pk])
    response = portal_client.post(url, {"decision": "accept", "comment": ""}, follow=True)
    assert f"the new terms apply from {days(7).isoformat()}" in body_of(response)
    proposal.refresh_from_db()
    assert proposal.status == PaymentTermChange.Status.ACCEPTED and proposal.answered_by == portal_a


def test_disputing_without_a_comment_shows_why_and_changes_nothing(portal_client, proposal):
    url = reverse("portal:payment_terms_answer", args=[proposal.pk])
    response = portal_client.post(url, {"decision": "dispute", "comment": ""})
    assert response.status_code == 400 and "Tell us what you disagree with" in body_of(response)
    proposal.refresh_from_db()
    assert proposal.status == PaymentTermChange.Status.PROPOSED


def test_the_factory_disputes_with_a_comment(portal_client, proposal):
    url = reverse("portal:payment_terms_answer", args=[proposal.pk])
    response = portal_client.post(
        url, {"decision": "dispute", "comment": "Our bank will not finance 60 days"}, follow=True
    )
    assert "Your objection was sent to the buyer" in body_of(response)
    proposal.refresh_from_db()
    assert proposal.status == PaymentTermChange.Status.DISPUTED
    answer_page = body_of(portal_client.get(url))
    assert "Send my answer" not in answer_page and "Our bank will not finance 60 days" in answer_page


def test_answering_twice_shows_why_not(portal_client, proposal):
    url = reverse("portal:payment_terms_answer", args=[proposal.pk])
    portal_client.post(url, {"decision": "accept"})
    response = portal_client.post(url, {"decision": "dispute", "comment": "Changed our mind"})
    assert response.status_code == 400 and "it cannot be answered again" in body_of(response)


def test_the_factory_of_b_cannot_answer_a_proposal_to_a(client, portal_b, proposal):
    client.force_login(portal_b)
    url = reverse("portal:payment_terms_answer", args=[proposal.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"decision": "accept"}).status_code == 404
    proposal.refresh_from_db()
    assert proposal.status == PaymentTermChange.Status.PROPOSED


def test_the_invoice_pdf_downloads_for_its_factory_only(client, portal_a, portal_b, received_order):
    invoice = record(received_order, by=portal_a, items=[(100, "3.40")], document=pdf())
    client.force_login(portal_a)
    response = client.get(invoice.document.url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF_BYTES
    client.force_login(portal_b)
    assert client.get(invoice.document.url).status_code == 404


def test_portal_invoice_pages_have_constant_queries(portal_client, supplier_a, django_assert_max_num_queries):
    from tests.payments.selectors_data import many_invoices

    def mine(count):
        for invoice in many_invoices(count):
            Invoice.objects.filter(pk=invoice.pk).update(supplier=supplier_a)

    mine(2)
    with django_assert_max_num_queries(20) as captured:
        assert portal_client.get(reverse("portal:invoices")).status_code == 200
    mine(20)
    with django_assert_max_num_queries(len(captured.captured_queries)):
        body = body_of(portal_client.get(reverse("portal:invoices")))
    assert body.count("INV-") >= 22
