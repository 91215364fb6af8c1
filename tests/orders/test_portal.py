"""The factory's side of an order in the portal: acknowledge, propose a date, record a shipment; drafts unseen."""

import pytest
from django.urls import reverse

from orders import services
from orders.models import DateProposal, Delivery, PurchaseOrder
from tests.factories import DeliveryFactory, OrderLineFactory, PurchaseOrderFactory, api_token_for
from tests.helpers import body_of
from tests.orders.builders import days, line_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft_order(approved_a, make_order):
    return make_order(approved_a, number="PO-SECRET-DRAFT", lines=[line_data(sku="SECRET-SKU")])


def first_delivery(order) -> Delivery:
    return order.deliveries.get(sequence=1)


def test_portal_order_list_shows_sent_orders_and_asks_for_acknowledgement(portal_client, sent_order):
    body = body_of(portal_client.get(reverse("portal:orders")))
    assert "PO-SENT" in body and "please acknowledge" in body


def test_factory_acknowledges_the_order_in_the_portal(portal_client, sent_order, portal_a):
    page = body_of(portal_client.get(reverse("portal:order_detail", args=[sent_order.pk])))
    assert "Acknowledge order" in page
    response = portal_client.post(reverse("portal:order_detail", args=[sent_order.pk]), follow=True)
    assert "Thank you: the order is acknowledged." in body_of(response)
    sent_order.refresh_from_db()
    assert sent_order.status == PurchaseOrder.Status.ACKNOWLEDGED and sent_order.acknowledged_by == portal_a
    assert "Acknowledge order" not in body_of(response)


def test_acknowledging_twice_in_the_portal_shows_why_not(portal_client, sent_order):
    url = reverse("portal:order_detail", args=[sent_order.pk])
    portal_client.post(url)
    response = portal_client.post(url, follow=True)
    assert "The order is Acknowledged; this step is not possible now." in body_of(response)


def test_proposed_date_appears_as_pending_on_the_staff_page(
    portal_client, staff_client, sent_order, portal_a
):
    delivery = first_delivery(sent_order)
    url = reverse("portal:delivery_propose", args=[delivery.pk])
    assert portal_client.get(url).status_code == 200
    response = portal_client.post(url, {"proposed_on": days(39).isoformat(), "reason": "Dye lot failed"})
    assert response.status_code == 302
    assert response.url == reverse("portal:order_detail", args=[sent_order.pk])
    proposal = DateProposal.objects.get()
    assert (proposal.delivery, proposal.proposed_by, proposal.status) == (delivery, portal_a, "pending")
    delivery.refresh_from_db()
    assert delivery.promised_on == days(30)

    staff_page = body_of(staff_client.get(sent_order.get_absolute_url()))
    assert f"Supplier proposed <strong>{days(39).isoformat()}</strong>" in staff_page
    assert "Dye lot failed" in staff_page and "Waiting for the buyer" in staff_page
    assert reverse("orders:proposal_decide", args=[sent_order.pk, proposal.pk]) in staff_page

    portal_page = body_of(portal_client.get(reverse("portal:order_detail", args=[sent_order.pk])))
    assert f"You proposed {days(39).isoformat()}" in portal_page and "Waiting for the buyer" in portal_page


def test_factory_records_a_shipment(portal_client, sent_order):
    delivery = first_delivery(sent_order)
    url = reverse("portal:delivery_ship", args=[delivery.pk])
    form = body_of(portal_client.get(url))
    assert 'value="100"' in form  # the planned quantity is offered
    response = portal_client.post(
        url,
        {"shipped_on": days(0).isoformat(), "quantity_shipped": "100", "tracking_reference": "MSKU1234567"},
        follow=True,
    )
    assert "Shipment recorded." in body_of(response) and "MSKU1234567" in body_of(response)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.shipped_on, delivery.quantity_shipped) == ("shipped", days(0), 100)


def test_shipping_every_delivery_in_the_portal_ships_the_order(portal_client, sent_order):
    for delivery in sent_order.deliveries.all():
        portal_client.post(
            reverse("portal:delivery_ship", args=[delivery.pk]),
            {"shipped_on": days(0).isoformat(), "quantity_shipped": str(delivery.quantity_planned)},
        )
    sent_order.refresh_from_db()
    assert sent_order.status == PurchaseOrder.Status.SHIPPED


# --- Drafts stay the buyer's own ------------------------------------------------------------------------------


def test_draft_order_is_invisible_in_the_portal(portal_client, draft_order):
    assert portal_client.get(reverse("portal:order_detail", args=[draft_order.pk])).status_code == 404
    assert portal_client.post(reverse("portal:order_detail", args=[draft_order.pk])).status_code == 404
    delivery = first_delivery(draft_order)
    assert portal_client.get(reverse("portal:delivery_propose", args=[delivery.pk])).status_code == 404
    assert portal_client.get(reverse("portal:delivery_ship", args=[delivery.pk])).status_code == 404
    draft_order.refresh_from_db()
    assert draft_order.status == PurchaseOrder.Status.DRAFT


def test_draft_order_is_absent_from_the_portal_list(portal_client, draft_order, sent_order):
    body = body_of(portal_client.get(reverse("portal:orders")))
    assert "PO-SENT" in body and "PO-SECRET-DRAFT" not in body


def test_draft_order_is_absent_from_the_api_for_the_factory(api_client, portal_a, draft_order, sent_order):
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_for(portal_a)}")
    numbers = [row["number"] for row in api_client.get("/api/v1/orders/").json()["results"]]
    assert numbers == ["PO-SENT"]
    assert api_client.get(f"/api/v1/orders/{draft_order.pk}/").status_code == 404
    deliveries = api_client.get("/api/v1/deliveries/").json()["results"]
    assert {row["order"] for row in deliveries} == {sent_order.pk}
    assert api_client.get("/api/v1/orders/", {"search": "SECRET-SKU"}).json()["count"] == 0


def test_draft_becomes_visible_once_sent(portal_client, draft_order, buyer):
    services.order_send(order=draft_order, by=buyer)
    assert portal_client.get(reverse("portal:order_detail", args=[draft_order.pk])).status_code == 200


def test_other_suppliers_order_answers_404_in_the_portal(client, portal_b, sent_order):
    client.force_login(portal_b)
    assert client.get(reverse("portal:order_detail", args=[sent_order.pk])).status_code == 404
    assert client.post(reverse("portal:order_detail", args=[sent_order.pk])).status_code == 404
    delivery = first_delivery(sent_order)
    response = client.post(
        reverse("portal:delivery_ship", args=[delivery.pk]),
        {"shipped_on": days(0).isoformat(), "quantity_shipped": "100"},
    )
    assert response.status_code == 404
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.PLANNED
    sent_order.refresh_from_db()
    assert sent_order.status == PurchaseOrder.Status.SENT


def test_staff_cannot_use_the_portal_pages(staff_client, sent_order):
    assert staff_client.get(reverse("portal:order_detail", args=[sent_order.pk])).status_code == 403


# --- Form errors change nothing -------------------------------------------------------------------------------


def test_proposal_without_a_reason_shows_the_error_and_writes_nothing(portal_client, sent_order):
    delivery = first_delivery(sent_order)
    response = portal_client.post(
        reverse("portal:delivery_propose", args=[delivery.pk]),
        {"proposed_on": days(39).isoformat(), "reason": ""},
    )
    assert response.status_code == 400
    assert "This field is required." in body_of(response)
    assert not DateProposal.objects.exists()


def test_second_proposal_while_one_waits_shows_the_error(portal_client, sent_order):
    url = reverse("portal:delivery_propose", args=[first_delivery(sent_order).pk])
    portal_client.post(url, {"proposed_on": days(39).isoformat(), "reason": "Dye lot failed"})
    response = portal_client.post(url, {"proposed_on": days(45).isoformat(), "reason": "Still failing"})
    assert response.status_code == 400
    assert "already waiting for the buyer&#x27;s answer" in body_of(response)
    assert DateProposal.objects.count() == 1


def test_shipment_dated_in_the_future_shows_the_error_and_writes_nothing(portal_client, sent_order):
    delivery = first_delivery(sent_order)
    response = portal_client.post(
        reverse("portal:delivery_ship", args=[delivery.pk]),
        {"shipped_on": days(5).isoformat(), "quantity_shipped": "100"},
    )
    assert response.status_code == 400
    assert "A shipment date cannot be in the future." in body_of(response)
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.PLANNED and delivery.shipped_on is None


def test_shipment_of_nothing_shows_the_error_and_writes_nothing(portal_client, sent_order):
    delivery = first_delivery(sent_order)
    response = portal_client.post(
        reverse("portal:delivery_ship", args=[delivery.pk]),
        {"shipped_on": days(0).isoformat(), "quantity_shipped": "0"},
    )
    assert response.status_code == 400
    assert "Ensure this value is greater than or equal to 1." in body_of(response)
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.PLANNED


def test_shipped_delivery_offers_no_more_actions(portal_client, sent_order, portal_a):
    delivery = first_delivery(sent_order)
    services.delivery_ship(delivery=delivery, by=portal_a, shipped_on=days(0), quantity_shipped=100)
    body = body_of(portal_client.get(reverse("portal:order_detail", args=[sent_order.pk])))
    assert reverse("portal:delivery_ship", args=[delivery.pk]) not in body
    response = portal_client.post(
        reverse("portal:delivery_propose", args=[delivery.pk]),
        {"proposed_on": days(39).isoformat(), "reason": "Too late"},
    )
    assert response.status_code == 400
    assert "Only a delivery not yet shipped can get a new date." in body_of(response)


def test_portal_order_list_has_constant_queries(portal_client, supplier_a, django_assert_max_num_queries):
    def add_orders(count):
        for _ in range(count):
            order = PurchaseOrderFactory(supplier=supplier_a)
            OrderLineFactory.create_batch(2, order=order)
            DeliveryFactory.create_batch(2, order=order)

    add_orders(3)
    with django_assert_max_num_queries(12) as captured:
        assert portal_client.get(reverse("portal:orders")).status_code == 200
    few = len(captured.captured_queries)
    add_orders(27)
    with django_assert_max_num_queries(few):
        response = portal_client.get(reverse("portal:orders"))
    assert body_of(response).count("please acknowledge") == 25  # one full page


def test_portal_order_detail_has_constant_queries(
    portal_client, sent_order, portal_a, django_assert_max_num_queries
):
    def add_deliveries(count):
        for _ in range(count):
            OrderLineFactory(order=sent_order)
            delivery = DeliveryFactory(order=sent_order)
            services.delivery_propose_date(
                delivery=delivery, by=portal_a, proposed_on=days(70), reason="Holiday"
            )

    add_deliveries(1)
    url = reverse("portal:order_detail", args=[sent_order.pk])
    with django_assert_max_num_queries(15) as captured:
        assert portal_client.get(url).status_code == 200
    few = len(captured.captured_queries)
    add_deliveries(12)
    with django_assert_max_num_queries(few):
        assert body_of(portal_client.get(url)).count("You proposed") == 13
