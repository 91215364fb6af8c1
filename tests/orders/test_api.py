"""The orders API: an ERP posts orders with nested lines; the factory's token acknowledges, ships and proposes
dates for its own orders only; staff record receipts."""

import pytest

from orders import services
from orders.models import DateProposal, Delivery, OrderLine, PurchaseOrder
from suppliers.models import Stage
from tests.factories import (
    DeliveryFactory,
    OrderLineFactory,
    PilotProgramFactory,
    PurchaseOrderFactory,
)
from tests.helpers import authed
from tests.orders.builders import days

pytestmark = pytest.mark.django_db


def order_payload(supplier, **overrides) -> dict:
    payload = {
        "number": "PO-ERP-1",
        "supplier": supplier.pk,
        "ordered_on": days(0).isoformat(),
        "lines": [
            {
                "sku": "TOTE-01",
                "description": "Canvas tote",
                "quantity": 100,
                "unit_price": "3.40",
                "required_on": days(30).isoformat(),
            },
            {
                "sku": "TOTE-02",
                "description": "Canvas tote, large",
                "quantity": 60,
                "unit_price": "4.10",
                "required_on": days(30).isoformat(),
            },
            {
                "sku": "MUG-01",
                "description": "Mug",
                "quantity": 20,
                "unit_price": "1.00",
                "required_on": days(50).isoformat(),
            },
        ],
    }
    payload.update(overrides)
    return payload


def nothing_written() -> bool:
    return not (PurchaseOrder.objects.exists() or OrderLine.objects.exists() or Delivery.objects.exists())


# --- Creating orders ------------------------------------------------------------------------------------------


def test_staff_creates_a_draft_with_nested_lines_and_planned_deliveries(api_client, buyer, approved_a):
    response = authed(api_client, buyer).post("/api/v1/orders/", order_payload(approved_a), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["status"] == "draft" and data["number"] == "PO-ERP-1" and data["supplier"] == approved_a.pk
    assert [line["sku"] for line in data["lines"]] == ["TOTE-01", "TOTE-02", "MUG-01"]
    assert [(d["sequence"], d["promised_on"], d["quantity_planned"]) for d in data["deliveries"]] == [
        (1, days(30).isoformat(), 160),
        (2, days(50).isoformat(), 20),
    ]
    assert all(d["order_number"] == "PO-ERP-1" and d["status"] == "planned" for d in data["deliveries"])
    assert PurchaseOrder.objects.get().buyer == buyer


def test_status_in_the_payload_is_ignored(api_client, buyer, approved_a):
    payload = order_payload(approved_a, status="received")
    response = authed(api_client, buyer).post("/api/v1/orders/", payload, format="json")
    assert response.status_code == 201 and response.json()["status"] == "draft"


def test_invalid_line_gets_400_with_the_field_error_and_writes_nothing(api_client, buyer, approved_a):
    payload = order_payload(approved_a)
    payload["lines"][1]["quantity"] = 0
    response = authed(api_client, buyer).post("/api/v1/orders/", payload, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "lines": {"1": {"quantity": ["Ensure this value is greater than or equal to 1."]}}
    }
    assert nothing_written()


def test_stage_rule_of_the_service_gets_400_with_its_message_and_writes_nothing(
    api_client, buyer, supplier_a
):
    supplier_a.stage = Stage.VETTING
    supplier_a.save()
    response = authed(api_client, buyer).post("/api/v1/orders/", order_payload(supplier_a), format="json")
    assert response.status_code == 400
    assert "Place a trial order instead." in response.json()["non_field_errors"][0]
    assert nothing_written()


def test_order_without_lines_gets_400_and_writes_nothing(api_client, buyer, approved_a):
    response = authed(api_client, buyer).post(
        "/api/v1/orders/", order_payload(approved_a, lines=[]), format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Add at least one line."]}
    assert nothing_written()


def test_pilot_programme_of_another_supplier_gets_400_on_that_field(
    api_client, buyer, supplier_a, supplier_b
):
    for supplier in (supplier_a, supplier_b):
        supplier.stage = Stage.PILOT
        supplier.save()
    other = PilotProgramFactory(supplier=supplier_b)
    response = authed(api_client, buyer).post(
        "/api/v1/orders/", order_payload(supplier_a, pilot_program=other.pk), format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"pilot_program": ["That pilot programme belongs to another supplier."]}
    assert nothing_written()


def test_quality_staff_cannot_create_orders_over_the_api(api_client, quality, approved_a):
    response = authed(api_client, quality).post("/api/v1/orders/", order_payload(approved_a), format="json")
    assert response.status_code == 403
    assert nothing_written()


def test_factory_token_cannot_create_orders(api_client, portal_a, approved_a):
    response = authed(api_client, portal_a).post("/api/v1/orders/", order_payload(approved_a), format="json")
    assert response.status_code == 403
    assert nothing_written()


def test_staff_sends_a_draft_over_the_api(api_client, buyer, approved_a, make_order):
    order = make_order(approved_a)
    response = authed(api_client, buyer).post(f"/api/v1/orders/{order.pk}/send/")
    assert response.status_code == 200 and response.json()["status"] == "sent"
    second = api_client.post(f"/api/v1/orders/{order.pk}/send/")
    assert second.status_code == 400
    assert second.json() == {"non_field_errors": ["The order is Sent; this step is not possible now."]}


# --- The factory's token --------------------------------------------------------------------------------------


def test_factory_acknowledges_its_own_order(api_client, portal_a, sent_order):
    response = authed(api_client, portal_a).post(f"/api/v1/orders/{sent_order.pk}/acknowledge/")
    assert response.status_code == 200 and response.json()["status"] == "acknowledged"
    sent_order.refresh_from_db()
    assert sent_order.acknowledged_by == portal_a
    assert api_client.post(f"/api/v1/orders/{sent_order.pk}/acknowledge/").status_code == 400


def test_factory_cannot_acknowledge_another_suppliers_order(api_client, portal_b, sent_order):
    response = authed(api_client, portal_b).post(f"/api/v1/orders/{sent_order.pk}/acknowledge/")
    assert response.status_code == 404
    sent_order.refresh_from_db()
    assert sent_order.status == PurchaseOrder.Status.SENT


def test_factory_cannot_send_an_order(api_client, portal_a, sent_order):
    response = authed(api_client, portal_a).post(f"/api/v1/orders/{sent_order.pk}/send/")
    assert response.status_code == 403


def test_factory_records_a_shipment(api_client, portal_a, sent_order):
    delivery = sent_order.deliveries.get(sequence=1)
    response = authed(api_client, portal_a).post(
        f"/api/v1/deliveries/{delivery.pk}/ship/",
        {"shipped_on": days(0).isoformat(), "quantity_shipped": 100, "tracking_reference": "BL-77"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    data = response.json()
    assert (data["status"], data["quantity_shipped"], data["tracking_reference"]) == ("shipped", 100, "BL-77")


def test_shipment_dated_in_the_future_gets_400_on_that_field(api_client, portal_a, sent_order):
    delivery = sent_order.deliveries.get(sequence=1)
    response = authed(api_client, portal_a).post(
        f"/api/v1/deliveries/{delivery.pk}/ship/",
        {"shipped_on": days(5).isoformat(), "quantity_shipped": 100},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"shipped_on": ["A shipment date cannot be in the future."]}
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.PLANNED


def test_factory_proposes_a_date(api_client, portal_a, sent_order):
    delivery = sent_order.deliveries.get(sequence=1)
    response = authed(api_client, portal_a).post(
        f"/api/v1/deliveries/{delivery.pk}/propose-date/",
        {"proposed_on": days(41).isoformat(), "reason": "Typhoon warning"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["promised_on"] == days(30).isoformat()  # unchanged until the buyer accepts
    proposal = DateProposal.objects.get()
    assert (proposal.proposed_on, proposal.proposed_by, proposal.status) == (days(41), portal_a, "pending")


def test_factory_cannot_record_a_receipt(api_client, portal_a, sent_order):
    delivery = sent_order.deliveries.get(sequence=1)
    response = authed(api_client, portal_a).post(
        f"/api/v1/deliveries/{delivery.pk}/receive/",
        {"received_on": days(0).isoformat(), "quantity_received": 100},
        format="json",
    )
    assert response.status_code == 403
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.PLANNED and delivery.received_on is None


def test_factory_cannot_ship_another_suppliers_delivery(api_client, portal_b, sent_order):
    delivery = sent_order.deliveries.get(sequence=1)
    response = authed(api_client, portal_b).post(
        f"/api/v1/deliveries/{delivery.pk}/ship/",
        {"shipped_on": days(0).isoformat(), "quantity_shipped": 100},
        format="json",
    )
    assert response.status_code == 404
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.PLANNED


def test_staff_records_a_receipt_and_the_order_follows(api_client, quality, approved_a, make_order, buyer):
    order = services.order_send(order=make_order(approved_a), by=buyer)
    delivery = order.deliveries.get()
    response = authed(api_client, quality).post(
        f"/api/v1/deliveries/{delivery.pk}/receive/",
        {"received_on": days(0).isoformat(), "quantity_received": delivery.quantity_planned},
        format="json",
    )
    assert response.status_code == 200 and response.json()["status"] == "received"
    order.refresh_from_db()
    assert order.status == PurchaseOrder.Status.RECEIVED


def test_factory_sees_only_its_own_orders(api_client, portal_a, sent_order, approved_b, make_order, buyer):
    services.order_send(order=make_order(approved_b, number="PO-BETA"), by=buyer)
    data = authed(api_client, portal_a).get("/api/v1/orders/").json()
    assert [row["number"] for row in data["results"]] == ["PO-SENT"]


# --- Query counts ---------------------------------------------------------------------------------------------


def make_orders(count):
    for _ in range(count):
        order = PurchaseOrderFactory()
        OrderLineFactory.create_batch(3, order=order)
        DeliveryFactory.create_batch(2, order=order)


def test_order_list_api_has_constant_queries(api_client, buyer, django_assert_max_num_queries):
    client = authed(api_client, buyer)
    make_orders(3)
    # One query more since orders carry their agreed charges (prefetched: one query for the page).
    with django_assert_max_num_queries(9) as captured:
        assert client.get("/api/v1/orders/").status_code == 200
    few = len(captured.captured_queries)
    make_orders(27)
    with django_assert_max_num_queries(few):
        response = client.get("/api/v1/orders/")
    assert response.json()["count"] == 30
    assert all(len(row["lines"]) == 3 and len(row["deliveries"]) == 2 for row in response.json()["results"])


def test_delivery_list_api_has_constant_queries(
    api_client, portal_a, supplier_a, django_assert_max_num_queries
):
    client = authed(api_client, portal_a)
    order = PurchaseOrderFactory(supplier=supplier_a)
    DeliveryFactory.create_batch(3, order=order)
    with django_assert_max_num_queries(8) as captured:
        assert client.get("/api/v1/deliveries/").status_code == 200
    few = len(captured.captured_queries)
    for _ in range(9):
        DeliveryFactory.create_batch(3, order=PurchaseOrderFactory(supplier=supplier_a))
    with django_assert_max_num_queries(few):
        assert len(client.get("/api/v1/deliveries/").json()["results"]) == 30
