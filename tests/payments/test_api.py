"""The payments API: an ERP records invoices and payments; the factory's token submits invoices for its own
orders (never choosing the supplier) and answers proposed payment terms; a manager records agreements."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from payments import services
from payments.models import Invoice, Payment, PaymentTermChange
from tests.factories import PDF_BYTES
from tests.helpers import authed
from tests.payments.builders import HTML_AS_PDF, days, make_order, receive, record

pytestmark = pytest.mark.django_db


def invoice_json(order, *items, number="INV-ERP-1") -> dict:
    lines = list(order.lines.order_by("pk"))
    return {
        "order": order.pk,
        "number": number,
        "invoice_date": days(-3).isoformat(),
        "lines": [
            {"order_line": lines[index].pk, "quantity": quantity, "unit_price": price}
            for index, (quantity, price) in enumerate(items)
        ],
    }


def invoice_multipart(order, *items, document=None, **extra) -> dict:
    """The same invoice as multipart, with the PDF: lines as lines[0]order_line, lines[0]quantity, ..."""
    payload = invoice_json(order, *items)
    data = {key: value for key, value in payload.items() if key != "lines"}
    for index, line in enumerate(payload["lines"]):
        for key, value in line.items():
            data[f"lines[{index}]{key}"] = value
    data["document"] = document or SimpleUploadedFile("inv.pdf", PDF_BYTES, content_type="application/pdf")
    data.update(extra)
    return data


# --- Invoices -------------------------------------------------------------------------------------------------


def test_an_erp_records_an_invoice_and_gets_the_match_back(api_client, buyer, received_order):
    response = authed(api_client, buyer).post(
        "/api/v1/invoices/", invoice_json(received_order, (120, "3.50")), format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (
        body["status"] == "disputed" and body["amount"] == "420.00" and body["due_on"] == days(27).isoformat()
    )
    assert sorted(d["kind"] for d in body["discrepancies"]) == ["price", "quantity"]
    assert body["lines"][0]["agreed_unit_price"] == "3.4000" and body["document_url"] is None


def test_a_bad_invoice_answers_400_with_the_reason_and_writes_nothing(api_client, buyer, received_order):
    payload = invoice_json(received_order, (100, "3.40"))
    payload["lines"][0]["order_line"] = 987654
    response = authed(api_client, buyer).post("/api/v1/invoices/", payload, format="json")
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Line 1: that item is not on order PO-PAY-1."]}
    assert not Invoice.objects.exists()


def test_the_factory_token_submits_an_invoice_with_its_pdf_for_its_own_order(
    api_client, portal_a, received_order, supplier_b
):
    data = invoice_multipart(
        received_order, (100, "3.40"), supplier=supplier_b.pk, received_on=days(-30).isoformat()
    )
    response = authed(api_client, portal_a).post("/api/v1/invoices/", data, format="multipart")
    assert response.status_code == 201, response.json()
    invoice = Invoice.objects.get()
    assert invoice.supplier_id == portal_a.supplier_id  # never the supplier it sent
    assert invoice.received_on == days(0)  # it arrives the day it is submitted
    assert response.json()["document_url"].startswith("http://testserver/files/invoices/")


def test_the_factory_token_must_send_a_real_pdf(api_client, portal_a, received_order):
    client = authed(api_client, portal_a)
    data = invoice_multipart(received_order, (100, "3.40"))
    data.pop("document")
    response = client.post("/api/v1/invoices/", data, format="multipart")
    assert response.status_code == 400 and response.json() == {"document": ["Attach the invoice as a PDF."]}
    fake = SimpleUploadedFile("inv.pdf", HTML_AS_PDF, content_type="application/pdf")
    response = client.post(
        "/api/v1/invoices/", invoice_multipart(received_order, (100, "3.40"), document=fake)
    )
    assert response.status_code == 400 and "not accepted" in str(response.json())
    assert not Invoice.objects.exists()


def test_the_factory_token_cannot_invoice_an_order_of_another_supplier(api_client, portal_b, received_order):
    response = authed(api_client, portal_b).post(
        "/api/v1/invoices/", invoice_multipart(received_order, (100, "3.40")), format="multipart"
    )
    assert response.status_code == 400 and "order" in response.json()
    assert not Invoice.objects.exists()


def test_the_factory_token_cannot_approve_its_own_invoice(api_client, portal_a, received_order, buyer):
    invoice = record(received_order, by=buyer, items=[(100, "3.40")])
    response = authed(api_client, portal_a).post(f"/api/v1/invoices/{invoice.pk}/approve/")
    assert response.status_code == 403
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.SUBMITTED


def test_approve_answers_400_while_a_discrepancy_is_open_then_resolve_and_approve(
    api_client, buyer, received_order
):
    client = authed(api_client, buyer)
    invoice = record(received_order, by=buyer, items=[(100, "3.55")])
    response = client.post(f"/api/v1/invoices/{invoice.pk}/approve/")
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Resolve the open discrepancies first (1 open)."]}
    discrepancy = invoice.discrepancies.get()
    assert client.post(f"/api/v1/invoice-discrepancies/{discrepancy.pk}/resolve/", {}).status_code == 400
    response = client.post(f"/api/v1/invoice-discrepancies/{discrepancy.pk}/resolve/", {"note": "Accepted"})
    assert response.status_code == 200 and response.json()["status"] == "resolved"
    response = client.post(f"/api/v1/invoices/{invoice.pk}/approve/")
    assert response.status_code == 200 and response.json()["status"] == "approved"


def test_reject_needs_a_reason(api_client, buyer, received_order):
    invoice = record(received_order, by=buyer, items=[(100, "3.55")])
    client = authed(api_client, buyer)
    assert client.post(f"/api/v1/invoices/{invoice.pk}/reject/", {}).status_code == 400
    response = client.post(f"/api/v1/invoices/{invoice.pk}/reject/", {"reason": "Wrong price"})
    assert response.status_code == 200 and response.json()["rejection_reason"] == "Wrong price"


def test_the_factory_token_lists_only_its_own_invoices(api_client, portal_a, portal_b, received_order, buyer):
    record(received_order, by=buyer, items=[(100, "3.40")])
    assert authed(api_client, portal_a).get("/api/v1/invoices/").json()["count"] == 1
    assert authed(api_client, portal_b).get("/api/v1/invoices/").json()["count"] == 0


def test_invoice_list_has_constant_queries(api_client, buyer, django_assert_max_num_queries):
    from tests.payments.selectors_data import many_invoices

    client = authed(api_client, buyer)
    many_invoices(3)
    with django_assert_max_num_queries(12) as captured:
        assert client.get("/api/v1/invoices/").status_code == 200
    few = len(captured.captured_queries)
    many_invoices(20)
    with django_assert_max_num_queries(few):
        assert client.get("/api/v1/invoices/").json()["count"] == 23


# --- Payments -------------------------------------------------------------------------------------------------


@pytest.fixture
def approved_invoice(received_order, buyer):
    return services.invoice_approve(invoice=record(received_order, by=buyer, items=[(100, "3.40")]), by=buyer)


def test_an_erp_records_payments_until_the_invoice_is_paid(api_client, buyer, approved_invoice):
    client = authed(api_client, buyer)
    payment = {
        "invoice": approved_invoice.pk,
        "paid_on": days(0).isoformat(),
        "amount": "300.00",
        "reference": "A",
    }
    assert client.post("/api/v1/payments/", payment).status_code == 201
    response = client.post("/api/v1/payments/", {**payment, "amount": "40.01", "reference": "B"})
    assert response.status_code == 400
    assert response.json() == {"amount": ["That is more than the 40.00 USD still open on this invoice."]}
    assert (
        client.post("/api/v1/payments/", {**payment, "amount": "40.00", "reference": "A"}).status_code == 400
    )
    assert (
        client.post("/api/v1/payments/", {**payment, "amount": "40.00", "reference": "C"}).status_code == 201
    )
    approved_invoice.refresh_from_db()
    assert approved_invoice.status == Invoice.Status.PAID and Payment.objects.count() == 2


def test_the_factory_token_reads_its_payments_but_cannot_record_one(
    api_client, portal_a, approved_invoice, buyer
):
    services.payment_record(
        invoice=approved_invoice, by=buyer, paid_on=days(0), amount=Decimal("10"), reference="X"
    )
    client = authed(api_client, portal_a)
    assert client.get("/api/v1/payments/").json()["count"] == 1
    payment = {
        "invoice": approved_invoice.pk,
        "paid_on": days(0).isoformat(),
        "amount": "1.00",
        "reference": "Y",
    }
    assert client.post("/api/v1/payments/", payment).status_code == 403


# --- Payment-term changes -------------------------------------------------------------------------------------


@pytest.fixture
def proposal(approved_a, buyer):
    return services.term_change_propose(
        supplier=approved_a, by=buyer, new_terms_days=60, effective_on=days(7), reason="Group terms"
    )


def test_a_buyer_proposes_terms_through_the_api(api_client, buyer, approved_a):
    payload = {
        "supplier": approved_a.pk,
        "new_terms_days": 45,
        "effective_on": days(1).isoformat(),
        "reason": "R",
    }
    response = authed(api_client, buyer).post("/api/v1/payment-term-changes/", payload)
    assert response.status_code == 201 and response.json()["previous_terms_days"] == 30


def test_the_factory_token_accepts_its_proposal(api_client, portal_a, proposal):
    response = authed(api_client, portal_a).post(f"/api/v1/payment-term-changes/{proposal.pk}/accept/", {})
    assert response.status_code == 200 and response.json()["status"] == "accepted"


def test_the_factory_token_disputes_only_with_a_comment(api_client, portal_a, proposal):
    client = authed(api_client, portal_a)
    url = f"/api/v1/payment-term-changes/{proposal.pk}/dispute/"
    response = client.post(url, {})
    assert response.status_code == 400 and "comment" in response.json()
    response = client.post(url, {"comment": "Too long"})
    assert response.status_code == 200 and response.json()["supplier_comment"] == "Too long"
    assert client.post(f"/api/v1/payment-term-changes/{proposal.pk}/accept/", {}).status_code == 400


def test_the_factory_token_cannot_propose_or_withdraw(api_client, portal_a, proposal, approved_a):
    client = authed(api_client, portal_a)
    payload = {
        "supplier": approved_a.pk,
        "new_terms_days": 10,
        "effective_on": days(1).isoformat(),
        "reason": "R",
    }
    assert client.post("/api/v1/payment-term-changes/", payload).status_code == 403
    assert client.post(f"/api/v1/payment-term-changes/{proposal.pk}/withdraw/").status_code == 403
    assert PaymentTermChange.objects.count() == 1


def test_staff_cannot_accept_through_the_api(api_client, buyer, proposal):
    response = authed(api_client, buyer).post(f"/api/v1/payment-term-changes/{proposal.pk}/accept/", {})
    assert response.status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == PaymentTermChange.Status.PROPOSED


def test_only_a_manager_records_an_agreement_through_the_api(api_client, buyer, manager, proposal):
    url = f"/api/v1/payment-term-changes/{proposal.pk}/record-agreement/"
    assert authed(api_client, buyer).post(url, {"note": "Phone call"}).status_code == 403
    response = authed(api_client, manager).post(url, {"note": "Phone call with Ada"})
    assert response.status_code == 200 and response.json()["status"] == "agreed"


def test_received_goods_make_the_factory_tokens_invoice_match(api_client, portal_a, approved_a, buyer):
    order = make_order(approved_a, by=buyer, lines=[(100, "3.40")], number="PO-API-9")
    receive(order, by=buyer, quantities=[100])
    response = authed(api_client, portal_a).post(
        "/api/v1/invoices/", invoice_multipart(order, (100, "3.40")), format="multipart"
    )
    assert response.status_code == 201 and response.json()["status"] == "submitted"
