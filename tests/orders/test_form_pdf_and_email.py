"""The multi-line order form (lines added and removed, SKU suggestions, lead time, errors in words, pinned
queries), receiving from the page, the PO PDF for staff and the factory, and the "order sent" email with the PDF."""

import io

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from pypdf import PdfReader

import core.pdf
from communications.models import Notification
from communications.services import notification_send_email
from orders import services
from orders.models import PurchaseOrder
from tests.factories import ContractFactory, PortalUserFactory
from tests.orders.builders import days, line_data
from tests.orders.test_views import line_form

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen_time():
    with time_machine.travel("2026-12-05 09:00 +00:00", tick=False):
        yield


@pytest.fixture
def buyer_client(client, buyer):
    client.force_login(buyer)
    return client


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def form_post(supplier, lines: list[dict], *, removed: tuple[int, ...] = (), number: str = "") -> dict:
    """What the browser posts: the order, then every row the page holds (removed rows carry DELETE=on)."""
    data = {
        "supplier": supplier.pk,
        "number": number,
        "ordered_on": days(0).isoformat(),
        "currency": "USD",
        "incoterm": "FOB",
        "notes": "",
        "lines-TOTAL_FORMS": str(len(lines)),
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "200",
    }
    for index, values in enumerate(lines):
        data.update(line_form(f"lines-{index}", **values))
        if index in removed:
            data[f"lines-{index}-DELETE"] = "on"
    return data


# --- The order form -------------------------------------------------------------------------------------------


def test_three_lines_are_saved_and_a_removed_one_is_left_out_with_a_generated_number(
    buyer_client, approved_a
):
    lines = [{"sku": "TOTE-01"}, {"sku": "GONE", "quantity": "0"}, {"sku": "TOTE-02"}, {"sku": "MUG-01"}]
    response = buyer_client.post(reverse("orders:create"), form_post(approved_a, lines, removed=(1,)))
    order = PurchaseOrder.objects.get()
    assert response.status_code == 302 and order.number == "PO-2026-00001"
    assert list(order.lines.values_list("sku", flat=True)) == ["TOTE-01", "TOTE-02", "MUG-01"]


def test_an_order_whose_lines_were_all_removed_asks_for_a_line_in_words(buyer_client, approved_a):
    response = buyer_client.post(
        reverse("orders:create"), form_post(approved_a, [{"sku": "X"}], removed=(0,))
    )
    body = response.content.decode()
    assert response.status_code == 400 and "Add at least one line." in body
    assert "Please submit" not in body and not PurchaseOrder.objects.exists()


def test_the_form_offers_skus_ordered_from_the_supplier_before_and_its_lead_time(
    buyer_client, approved_a, approved_b, make_order
):
    ContractFactory(supplier=approved_a, lead_time_days=45)
    make_order(approved_a, lines=[line_data(sku="TOTE-RED", description="Red tote")])
    make_order(approved_b, lines=[line_data(sku="B-ONLY")])
    body = buyer_client.get(reverse("orders:supplier_hints"), {"supplier": approved_a.pk}).content.decode()
    assert '<option value="TOTE-RED">Red tote</option>' in body and "B-ONLY" not in body
    assert "lead time is 45 days: required dates from 2027-01-19 on." in body
    assert 'data-earliest="2027-01-19"' in body
    page = buyer_client.get(reverse("orders:create"), {"supplier": approved_a.pk}).content.decode()
    assert "TOTE-RED" in page and 'list="sku-suggestions"' in page and "js/order-form.js" in page


def test_hints_for_junk_or_unknown_suppliers_are_empty(buyer_client):
    for junk in ("", "x", "987654321"):
        response = buyer_client.get(reverse("orders:supplier_hints"), {"supplier": junk})
        assert response.status_code == 200 and "<option" not in response.content.decode()


def test_order_form_queries_do_not_grow_with_the_suppliers_history(
    buyer_client, approved_a, make_order, django_assert_max_num_queries
):
    ContractFactory(supplier=approved_a)
    make_order(approved_a, lines=[line_data(sku="S-1")])
    url = reverse("orders:create") + f"?supplier={approved_a.pk}"
    with django_assert_max_num_queries(20) as captured:
        assert buyer_client.get(url).status_code == 200
    few = len(captured.captured_queries)
    for n in range(10):
        make_order(approved_a, lines=[line_data(sku=f"S-{n}-{i}") for i in range(3)])
    with django_assert_max_num_queries(few):
        assert buyer_client.get(url).status_code == 200


def test_a_draft_is_renumbered_from_its_page(buyer_client, approved_a, make_order):
    order = make_order(approved_a)
    response = buyer_client.post(
        reverse("orders:renumber", args=[order.pk]), {"number": "PO-HAND-1"}, follow=True
    )
    order.refresh_from_db()
    assert order.number == "PO-HAND-1" and "PO number changed." in response.content.decode()


# --- Receiving from the page ----------------------------------------------------------------------------------


def test_receive_is_offered_only_on_shipped_or_due_deliveries(buyer_client, sent_order, portal_a):
    first, second = sent_order.deliveries.order_by("sequence")
    body = buyer_client.get(sent_order.get_absolute_url()).content.decode()
    assert ">Receive<" not in body  # both planned for later
    services.delivery_ship(delivery=first, by=portal_a, shipped_on=days(-1), quantity_shipped=100)
    body = buyer_client.get(sent_order.get_absolute_url()).content.decode()
    assert reverse("orders:delivery_receive", args=[sent_order.pk, first.pk]) in body
    assert reverse("orders:delivery_receive", args=[sent_order.pk, second.pk]) not in body
    refused = buyer_client.post(
        reverse("orders:delivery_receive", args=[sent_order.pk, second.pk]),
        {"received_on": days(0).isoformat(), "received": "40", "rejected": "0", "confirmed": "1"},
        follow=True,
    )
    assert "Only a delivery that shipped or is due can be received." in refused.content.decode()
    second.refresh_from_db()
    assert second.status == "planned"


# --- The PO PDF -----------------------------------------------------------------------------------------------


@pytest.fixture
def fetched(monkeypatch):
    """Every URL the PDF renderer is asked for."""
    urls = []
    original = core.pdf.safe_url_fetcher

    def spy(url, *args, **kwargs):
        urls.append(url)
        return original(url, *args, **kwargs)

    monkeypatch.setattr(core.pdf, "safe_url_fetcher", spy)
    return urls


def test_staff_download_the_po_pdf_with_header_lines_terms_and_accepted_changes(
    buyer_client, sent_order, buyer, portal_a, settings, fetched
):
    settings.FORGELINE_COMPANY_NAME = "Harbour Goods Ltd"
    ContractFactory(supplier=sent_order.supplier, payment_terms_days=60)
    services.order_line_change(line=sent_order.lines.get(sku="TOTE-02"), by=buyer, quantity=55, reason="More")
    services.order_change_accept(change=sent_order.changes.get(), by=portal_a)
    # A change still waiting for the factory is not part of the order yet.
    services.order_line_change(line=sent_order.lines.get(sku="TOTE-01"), by=buyer, quantity=77, reason="Less")
    response = buyer_client.get(reverse("orders:pdf", args=[sent_order.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="PO-SENT.pdf"' in response["Content-Disposition"]
    text = pdf_text(response.content)
    for expected in (
        "Harbour Goods Ltd",
        "PO-SENT",
        "TOTE-01",
        "TOTE-02",
        "FOB",
        "60 days after the invoice",
    ):
        assert expected in text
    assert "Quantity changed" in text and "40 → 55" in text
    assert "100 → 77" not in text
    assert all(url.startswith(("file:", "data:")) for url in fetched)


def test_supplier_text_in_the_pdf_fetches_nothing(buyer_client, approved_a, make_order, fetched):
    order = make_order(
        approved_a, lines=[line_data(sku="X-1", description='<img src="http://198.51.100.7/p.png"> tote')]
    )
    text = pdf_text(buyer_client.get(reverse("orders:pdf", args=[order.pk])).content)
    assert "X-1" in text and not any("198.51.100.7" in url for url in fetched)


def test_the_factory_downloads_its_own_sent_order_only(
    client, sent_order, portal_a, portal_b, approved_a, make_order
):
    client.force_login(portal_a)
    response = client.get(reverse("portal:order_pdf", args=[sent_order.pk]))
    assert response.status_code == 200 and "TOTE-01" in pdf_text(response.content)
    draft = make_order(approved_a)
    assert client.get(reverse("portal:order_pdf", args=[draft.pk])).status_code == 404
    client.force_login(portal_b)
    assert client.get(reverse("portal:order_pdf", args=[sent_order.pk])).status_code == 404


# --- The "order sent" email -----------------------------------------------------------------------------------


def test_sending_an_order_emails_each_factory_contact_the_pdf_in_their_language(
    approved_a, portal_a, make_order, buyer, django_capture_on_commit_callbacks
):
    vietnamese = PortalUserFactory(supplier=approved_a, language="vi")
    order = make_order(
        approved_a, lines=[line_data(sku="TOTE-01"), line_data(sku="MUG-02"), line_data(sku="CAP-3")]
    )
    with django_capture_on_commit_callbacks(execute=False):
        services.order_send(order=order, by=buyer)
    notes = {
        n.user_id: n for n in Notification.objects.filter(attachment_kind="order_pdf", attachment_id=order.pk)
    }
    assert set(notes) == {portal_a.pk, vietnamese.pk}
    for note in notes.values():
        assert notification_send_email(notification_id=note.pk)
    assert len(mail.outbox) == 2
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert order.number in subjects[vietnamese.email] and "Đơn đặt hàng mới" in subjects[vietnamese.email]
    for message in mail.outbox:
        [(name, content, mimetype)] = message.attachments
        assert (name, mimetype) == (f"{order.number}.pdf", "application/pdf")
        assert all(sku in pdf_text(content) for sku in ("TOTE-01", "MUG-02", "CAP-3"))
    # Sent once: the outbox row is claimed, a second call sends nothing.
    assert not notification_send_email(notification_id=notes[portal_a.pk].pk) and len(mail.outbox) == 2


def test_a_draft_notifies_nobody(approved_a, portal_a, make_order):
    make_order(approved_a)
    assert not Notification.objects.exists()


# --- The API --------------------------------------------------------------------------------------------------


def test_the_api_generates_the_po_number_when_omitted(api_client, buyer, approved_a):
    from tests.orders.test_api import authed, order_payload

    payload = order_payload(approved_a)
    del payload["number"]
    response = authed(api_client, buyer).post("/api/v1/orders/", payload, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["number"] == "PO-2026-00001" and len(response.json()["lines"]) == 3


def test_the_api_receives_per_line_with_rejected_quantities(api_client, buyer, sent_order, portal_a):
    from tests.orders.test_api import authed

    delivery = sent_order.deliveries.get(sequence=1)
    services.delivery_ship(delivery=delivery, by=portal_a, shipped_on=days(-1), quantity_shipped=100)
    line = sent_order.lines.get(sku="TOTE-01")
    client = authed(api_client, buyer)
    url = f"/api/v1/deliveries/{delivery.pk}/receive/"
    bad = client.post(
        url,
        {
            "received_on": days(0).isoformat(),
            "lines": [{"line": line.pk, "quantity_received": 5, "quantity_rejected": 6}],
        },
        format="json",
    )
    assert bad.status_code == 400 and "TOTE-01: rejected (6) cannot exceed received (5)." in str(bad.json())
    response = client.post(
        url,
        {
            "received_on": days(0).isoformat(),
            "lines": [{"line": line.pk, "quantity_received": 100, "quantity_rejected": 3}],
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert (response.json()["quantity_received"], response.json()["quantity_rejected"]) == (100, 3)
    sent_order.refresh_from_db()
    assert sent_order.status == PurchaseOrder.Status.PARTIALLY_RECEIVED


def test_the_factory_sees_what_was_rejected_on_its_order(client, sent_order, portal_a, buyer):
    delivery = sent_order.deliveries.get(sequence=1)
    services.delivery_ship(delivery=delivery, by=portal_a, shipped_on=days(-1), quantity_shipped=100)
    services.delivery_receive(
        delivery=delivery, by=buyer, received_on=days(0), quantity_received=100, quantity_rejected=3
    )
    client.force_login(portal_a)
    body = client.get(reverse("portal:order_detail", args=[sent_order.pk])).content.decode()
    assert "3 rejected" in body and "Partially received" in body
