"""Staff order pages: the list with filters and pinned query counts, the create form with its line formset,
the detail page, and the actions posted from it."""

import pytest
from django.urls import reverse

from orders import services
from orders.models import DateProposal, Delivery, OrderChange, OrderLine, PurchaseOrder
from suppliers.models import Stage
from tests.factories import DeliveryFactory, OrderLineFactory, PurchaseOrderFactory, QCInspectionFactory
from tests.helpers import body_of
from tests.orders.builders import days, line_data

pytestmark = pytest.mark.django_db


def orders_with_lines_and_deliveries(count, *, proposed_by):
    """Sent orders of different suppliers, each with two lines, two deliveries and a pending proposal."""
    for _ in range(count):
        order = PurchaseOrderFactory()
        OrderLineFactory.create_batch(2, order=order)
        first, _second = DeliveryFactory.create_batch(2, order=order)
        DateProposal.objects.create(
            delivery=first, proposed_on=days(50), reason="Port closed", proposed_by=proposed_by
        )


def line_form(prefix: str, **values) -> dict:
    data = {
        "sku": "TOTE-01",
        "description": "Canvas tote bag",
        "quantity": "100",
        "unit": "pcs",
        "unit_price": "3.40",
        "required_on": days(30).isoformat(),
    }
    data.update(values)
    return {f"{prefix}-{key}": value for key, value in data.items()}


def order_post(supplier, *, lines: list[dict], number="PO-WEB-1", pilot=False) -> dict:
    data = {
        "supplier": supplier.pk,
        "number": number,
        "ordered_on": days(0).isoformat(),
        "currency": "USD",
        "incoterm": "FOB",
        "notes": "",
        "lines-TOTAL_FORMS": str(max(len(lines), 3)),
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "1",
        "lines-MAX_NUM_FORMS": "1000",
    }
    if pilot:
        data["pilot"] = "on"
    for index, values in enumerate(lines):
        data.update(line_form(f"lines-{index}", **values))
    for index in range(len(lines), max(len(lines), 3)):  # the blank extra rows, as a browser posts them
        data.update(
            line_form(f"lines-{index}", sku="", description="", quantity="", unit_price="", required_on="")
        )
    return data


# --- List -----------------------------------------------------------------------------------------------------


def test_order_list_page_has_constant_queries(buyer_client, portal_a, django_assert_max_num_queries):
    orders_with_lines_and_deliveries(3, proposed_by=portal_a)
    with django_assert_max_num_queries(15) as captured:
        response = buyer_client.get(reverse("orders:list"))
    assert response.status_code == 200
    few = len(captured.captured_queries)
    orders_with_lines_and_deliveries(27, proposed_by=portal_a)
    with django_assert_max_num_queries(few):
        response = buyer_client.get(reverse("orders:list"))
    assert body_of(response).count('class="fw-semibold"') == 25  # one full page of rows


def test_order_list_shows_line_count_and_next_promised_date(buyer_client, sent_order):
    body = body_of(buyer_client.get(reverse("orders:list")))
    assert "PO-SENT" in body and "<td>2</td>" in body and days(30).isoformat() in body


def test_order_list_asks_for_an_answer_to_proposed_dates(buyer_client, sent_order, portal_a):
    delivery = sent_order.deliveries.get(sequence=1)
    services.delivery_propose_date(delivery=delivery, by=portal_a, proposed_on=days(41), reason="Port closed")
    body = body_of(buyer_client.get(reverse("orders:list")))
    assert "waiting for your answer" in body and "PO-SENT/1" in body and days(41).isoformat() in body


@pytest.fixture
def listed_orders(approved_a, approved_b, make_order, buyer):
    """Orders to filter: A's sent volume order, A's draft trial order, B's sent order with another SKU."""
    sent = make_order(approved_a, number="PO-ALPHA-SENT", lines=[line_data(sku="MUG-RED")])
    services.order_send(order=sent, by=buyer)
    make_order(approved_a, number="PO-ALPHA-TRIAL", pilot=True, lines=[line_data(sku="TOTE-BLUE")])
    other = make_order(approved_b, number="PO-BETA-SENT", lines=[line_data(sku="TOTE-GREEN")])
    services.order_send(order=other, by=buyer)


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ("status=sent", {"PO-ALPHA-SENT", "PO-BETA-SENT"}),
        ("status=draft", {"PO-ALPHA-TRIAL"}),
        ("pilot=1", {"PO-ALPHA-TRIAL"}),
        ("q=tote", {"PO-ALPHA-TRIAL", "PO-BETA-SENT"}),
        ("q=MUG-RED", {"PO-ALPHA-SENT"}),
        ("q=beta-sent", {"PO-BETA-SENT"}),
    ],
)
def test_order_list_filters(buyer_client, listed_orders, query, shown):
    body = body_of(buyer_client.get(reverse("orders:list") + "?" + query))
    every = {"PO-ALPHA-SENT", "PO-ALPHA-TRIAL", "PO-BETA-SENT"}
    assert {number for number in every if number in body} == shown


def test_order_list_filters_by_supplier(buyer_client, listed_orders, approved_b):
    body = body_of(buyer_client.get(reverse("orders:list"), {"supplier": approved_b.pk}))
    assert "PO-BETA-SENT" in body and "PO-ALPHA" not in body


def test_sku_search_lists_an_order_once_even_if_several_lines_match(buyer_client, approved_a, make_order):
    make_order(approved_a, number="PO-TWICE", lines=[line_data(sku="TOTE-1"), line_data(sku="TOTE-2")])
    body = body_of(buyer_client.get(reverse("orders:list") + "?q=tote"))
    assert body.count(">PO-TWICE<") == 1


def test_quality_staff_see_orders_but_cannot_create_them(client, quality, approved_a):
    client.force_login(quality)
    assert client.get(reverse("orders:list")).status_code == 200
    assert client.get(reverse("orders:create")).status_code == 403
    response = client.post(reverse("orders:create"), order_post(approved_a, lines=[{}]))
    assert response.status_code == 403
    assert not PurchaseOrder.objects.exists()


def test_staff_order_pages_do_not_exist_for_a_factory_contact(client, portal_a, sent_order):
    client.force_login(portal_a)
    assert client.get(reverse("orders:list")).status_code == 404
    assert client.get(sent_order.get_absolute_url()).status_code == 404


# --- Create ---------------------------------------------------------------------------------------------------


def test_create_page_shows_the_order_form_and_empty_lines(buyer_client, approved_a):
    response = buyer_client.get(reverse("orders:create") + f"?supplier={approved_a.pk}")
    assert response.status_code == 200
    body = body_of(response)
    assert 'name="lines-TOTAL_FORMS"' in body and 'name="lines-0-sku"' in body
    assert 'name="lines-__prefix__-sku"' in body  # the template "Add line" clones


def test_valid_order_creates_a_draft_with_its_deliveries_and_redirects(buyer_client, approved_a, buyer):
    data = order_post(
        approved_a,
        lines=[
            {"sku": "TOTE-01", "quantity": "100"},
            {"sku": "TOTE-02", "quantity": "50", "required_on": days(45).isoformat()},
        ],
    )
    response = buyer_client.post(reverse("orders:create"), data)
    order = PurchaseOrder.objects.get()
    assert response.status_code == 302 and response.url == order.get_absolute_url()
    assert (order.number, order.status, order.buyer) == ("PO-WEB-1", PurchaseOrder.Status.DRAFT, buyer)
    assert sorted(order.lines.values_list("sku", flat=True)) == ["TOTE-01", "TOTE-02"]
    assert [(d.promised_on, d.quantity_planned) for d in order.deliveries.order_by("sequence")] == [
        (days(30), 100),
        (days(45), 50),
    ]


def test_invalid_line_shows_the_error_and_creates_nothing(buyer_client, approved_a):
    data = order_post(approved_a, lines=[{"sku": "TOTE-01"}, {"sku": "TOTE-02", "quantity": "0"}])
    response = buyer_client.post(reverse("orders:create"), data)
    assert response.status_code == 400
    assert "Ensure this value is greater than or equal to 1." in body_of(response)
    assert not PurchaseOrder.objects.exists() and not OrderLine.objects.exists()


def test_order_without_any_line_is_refused(buyer_client, approved_a):
    response = buyer_client.post(reverse("orders:create"), order_post(approved_a, lines=[]))
    assert response.status_code == 400
    body = body_of(response)
    assert "Add at least one line." in body and "Please submit" not in body
    assert not PurchaseOrder.objects.exists()


def test_volume_order_for_a_vetting_supplier_shows_the_stage_rule_and_creates_nothing(
    buyer_client, supplier_a
):
    supplier_a.stage = Stage.VETTING
    supplier_a.save()
    response = buyer_client.post(reverse("orders:create"), order_post(supplier_a, lines=[{}]))
    assert response.status_code == 400
    assert "Place a trial order instead." in body_of(response)
    assert not PurchaseOrder.objects.exists() and not Delivery.objects.exists()


# --- Detail and actions ---------------------------------------------------------------------------------------


def test_detail_page_renders_with_constant_queries(
    buyer_client, sent_order, portal_a, quality, buyer, django_assert_max_num_queries
):
    def grow(n):
        for _ in range(n):
            line = OrderLineFactory(order=sent_order)
            delivery = DeliveryFactory(order=sent_order)
            DateProposal.objects.create(
                delivery=delivery, proposed_on=days(60), reason="Late", proposed_by=portal_a
            )
            QCInspectionFactory(
                supplier=sent_order.supplier,
                order=sent_order,
                delivery=delivery,
                inspector=quality,
                report="",
            )
            OrderChange.objects.create(
                order=sent_order,
                supplier=sent_order.supplier,
                line=line,
                kind=OrderChange.Kind.QUANTITY,
                old_value="1",
                new_value="2",
                reason="More",
                changed_by=buyer,
                days_before_required=10,
            )

    grow(1)
    with django_assert_max_num_queries(20) as captured:
        response = buyer_client.get(sent_order.get_absolute_url())
    assert response.status_code == 200
    few = len(captured.captured_queries)
    grow(15)
    with django_assert_max_num_queries(few):
        response = buyer_client.get(sent_order.get_absolute_url())
    assert body_of(response).count("Waiting for the buyer") == 16


def test_detail_page_shows_lines_totals_and_deliveries(buyer_client, sent_order):
    body = body_of(buyer_client.get(sent_order.get_absolute_url()))
    assert "TOTE-01" in body and "TOTE-02" in body
    assert ">140<" in body and "476.00 USD" in body  # 100 + 40 pieces at 3.40
    assert f'id="delivery-{sent_order.deliveries.get(sequence=1).pk}"' in body


def test_sending_from_the_page_moves_the_draft_on(buyer_client, approved_a, make_order):
    order = make_order(approved_a)
    response = buyer_client.post(reverse("orders:send", args=[order.pk]), follow=True)
    assert "Order sent to the supplier." in body_of(response)
    order.refresh_from_db()
    assert order.status == PurchaseOrder.Status.SENT


def test_sending_twice_from_the_page_shows_why_not(buyer_client, sent_order):
    response = buyer_client.post(reverse("orders:send", args=[sent_order.pk]), follow=True)
    assert "The order is Sent; this step is not possible now." in body_of(response)


def test_receiving_from_the_page_records_the_receipt(buyer_client, shipped_delivery, buyer):
    url = reverse("orders:delivery_receive", args=[shipped_delivery.order_id, shipped_delivery.pk])
    line = shipped_delivery.order.lines.get(sku="TOTE-01")
    assert line.required_on == shipped_delivery.original_promised_on
    data = {"received_on": days(0).isoformat(), "received_0": "95", "rejected_0": "5"}
    confirm = buyer_client.post(url, data)
    assert confirm.status_code == 200 and "Please confirm the receipt." in body_of(confirm)
    shipped_delivery.refresh_from_db()
    assert shipped_delivery.status == Delivery.Status.SHIPPED  # nothing written before the confirmation
    response = buyer_client.post(url, {**data, "confirmed": "1"}, follow=True)
    assert "Receipt recorded." in body_of(response)
    shipped_delivery.refresh_from_db()
    assert (shipped_delivery.status, shipped_delivery.quantity_received, shipped_delivery.received_by) == (
        "received",
        95,
        buyer,
    )
    assert shipped_delivery.quantity_rejected == 5


def test_receipt_dated_in_the_future_is_refused_on_the_page(buyer_client, shipped_delivery):
    url = reverse("orders:delivery_receive", args=[shipped_delivery.order_id, shipped_delivery.pk])
    line = shipped_delivery.order.lines.get(sku="TOTE-01")
    assert line.required_on == shipped_delivery.original_promised_on
    data = {"received_on": days(3).isoformat(), "received_0": "95", "rejected_0": "0"}
    response = buyer_client.post(url, {**data, "confirmed": "1"}, follow=True)
    assert "A receipt date cannot be in the future." in body_of(response)
    shipped_delivery.refresh_from_db()
    assert shipped_delivery.status == Delivery.Status.SHIPPED and shipped_delivery.received_on is None


@pytest.fixture
def shipped_delivery(sent_order, portal_a):
    """The first delivery of the sent order (100 × TOTE-01), shipped by the factory yesterday."""
    delivery = sent_order.deliveries.get(sequence=1)
    return services.delivery_ship(delivery=delivery, by=portal_a, shipped_on=days(-1), quantity_shipped=100)


def test_delivery_of_another_order_cannot_be_received_through_this_one(buyer_client, sent_order, approved_a):
    stranger = DeliveryFactory(order=PurchaseOrderFactory(supplier=approved_a))
    response = buyer_client.post(
        reverse("orders:delivery_receive", args=[sent_order.pk, stranger.pk]),
        {"received_on": days(0).isoformat(), "quantity_received": "1"},
    )
    assert response.status_code == 404


@pytest.fixture
def proposal(sent_order, portal_a):
    return services.delivery_propose_date(
        delivery=sent_order.deliveries.get(sequence=1),
        by=portal_a,
        proposed_on=days(37),
        reason="Dye shortage",
    )


def test_accepting_a_proposal_on_the_page_moves_the_promised_date(buyer_client, sent_order, proposal):
    response = buyer_client.post(
        reverse("orders:proposal_decide", args=[sent_order.pk, proposal.pk]),
        {"decision": "accept", "note": "Fine"},
        follow=True,
    )
    assert "The new date is accepted." in body_of(response)
    assert Delivery.objects.get(pk=proposal.delivery_id).promised_on == days(37)
    assert f"originally {days(30).isoformat()}" in body_of(response)


def test_rejecting_a_proposal_on_the_page_keeps_the_promised_date(buyer_client, sent_order, proposal):
    response = buyer_client.post(
        reverse("orders:proposal_decide", args=[sent_order.pk, proposal.pk]),
        {"decision": "reject", "note": "We need the goods"},
        follow=True,
    )
    assert "the promised date stays" in body_of(response)
    proposal.refresh_from_db()
    assert proposal.status == DateProposal.Status.REJECTED
    assert Delivery.objects.get(pk=proposal.delivery_id).promised_on == days(30)


def test_answering_a_proposal_twice_on_the_page_shows_why_not(buyer_client, sent_order, proposal):
    url = reverse("orders:proposal_decide", args=[sent_order.pk, proposal.pk])
    buyer_client.post(url, {"decision": "reject"})
    response = buyer_client.post(url, {"decision": "accept"}, follow=True)
    assert "This proposal was already answered." in body_of(response)
    assert Delivery.objects.get(pk=proposal.delivery_id).promised_on == days(30)


def test_line_change_after_sending_without_a_reason_shows_the_error(buyer_client, sent_order):
    line = sent_order.lines.get(sku="TOTE-01")
    response = buyer_client.post(
        reverse("orders:line_change", args=[sent_order.pk, line.pk]),
        {"quantity": "150", "required_on": line.required_on.isoformat(), "reason": ""},
    )
    assert response.status_code == 400
    assert "Say why the order changes; the supplier sees it." in body_of(response)
    line.refresh_from_db()
    assert line.quantity == 100 and not OrderChange.objects.exists()


def test_line_change_of_a_sent_order_with_a_reason_is_proposed_and_shown(buyer_client, sent_order):
    line = sent_order.lines.get(sku="TOTE-01")
    response = buyer_client.post(
        reverse("orders:line_change", args=[sent_order.pk, line.pk]),
        {"quantity": "150", "required_on": line.required_on.isoformat(), "reason": "Promo extended"},
        follow=True,
    )
    body = body_of(response)
    assert "Change proposed to the factory" in body and "100 → 150" in body
    assert "30 days before the required date" in body and "Waiting for an answer" in body
    line.refresh_from_db()
    assert line.quantity == 100


def test_cancelling_from_the_page_needs_a_reason(buyer_client, sent_order):
    response = buyer_client.post(reverse("orders:cancel", args=[sent_order.pk]), {"reason": ""}, follow=True)
    assert "Say why the order is cancelled." in body_of(response)
    sent_order.refresh_from_db()
    assert sent_order.status == PurchaseOrder.Status.SENT
    response = buyer_client.post(
        reverse("orders:cancel", args=[sent_order.pk]), {"reason": "Range dropped"}, follow=True
    )
    assert "Cancellation proposed to the factory" in body_of(response)
    sent_order.refresh_from_db()
    assert sent_order.status == PurchaseOrder.Status.SENT
    assert sent_order.changes.get().kind == OrderChange.Kind.CANCELLATION


def test_order_list_reads_a_supplier_filter_that_is_not_an_id_as_name_text(buyer_client, sent_order):
    # The supplier search box sends a name (or part of one); links from a supplier page send its id.
    response = buyer_client.get(reverse("orders:list") + "?supplier=abc")
    assert response.status_code == 200 and "PO-SENT" not in body_of(response)
    response = buyer_client.get(reverse("orders:list") + "?supplier=alpha%00")
    assert response.status_code == 200
    assert "PO-SENT" in body_of(buyer_client.get(reverse("orders:list") + "?supplier=alpha"))
