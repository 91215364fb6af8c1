"""The inspection form: the sampling plan sits beside the lot size, and the order and delivery choices are the
chosen supplier's own (none before a supplier is chosen)."""

import re

import pytest
from django.urls import reverse

from orders.models import PurchaseOrder
from tests.factories import DeliveryFactory, PurchaseOrderFactory

pytestmark = pytest.mark.django_db

CREATE = reverse("audits:inspection_create")
CHOICES = reverse("audits:inspection_choices")


@pytest.fixture
def orders(supplier_a, supplier_b):
    """Two orders with a delivery each for supplier A, and as many for supplier B."""
    made = {}
    for name, supplier in (("a", supplier_a), ("b", supplier_b)):
        for n in range(2):
            order = PurchaseOrderFactory(supplier=supplier, status=PurchaseOrder.Status.SENT)
            made[f"{name}{n}"] = (order, DeliveryFactory(order=order))
    return made


def options(page: str, name: str) -> set[str]:
    select = re.search(rf'<select name="{name}".*?</select>', page, re.S).group(0)
    return {value for value in re.findall(r'<option value="(\d+)"', select)}


def test_without_a_supplier_no_order_or_delivery_is_offered(client, quality, orders):
    client.force_login(quality)
    page = client.get(CREATE).content.decode()
    assert options(page, "order") == set() and options(page, "delivery") == set()
    assert "Choose the supplier first" in page


def test_choosing_a_supplier_offers_only_its_orders_and_deliveries(client, quality, orders, supplier_a):
    client.force_login(quality)
    page = client.get(CHOICES, {"supplier": supplier_a.pk}).content.decode()
    assert options(page, "order") == {str(orders[k][0].pk) for k in ("a0", "a1")}
    assert options(page, "delivery") == {str(orders[k][1].pk) for k in ("a0", "a1")}
    assert 'id="order-delivery"' in page


def test_the_supplier_select_reloads_the_choices_with_htmx(client, quality, orders):
    client.force_login(quality)
    page = client.get(CREATE).content.decode()
    select = re.search(r'<select name="supplier"[^>]*>', page).group(0)
    assert f'hx-get="{CHOICES}"' in select and 'hx-target="#order-delivery"' in select


def test_an_order_in_the_address_preselects_its_supplier_and_limits_the_choices(client, quality, orders):
    client.force_login(quality)
    order = orders["b1"][0]
    page = client.get(CREATE, {"order": order.pk}).content.decode()
    assert options(page, "order") == {str(orders[k][0].pk) for k in ("b0", "b1")}


def test_a_posted_order_of_another_supplier_is_refused(client, quality, orders, supplier_a):
    client.force_login(quality)
    response = client.post(
        CREATE,
        {
            "supplier": supplier_a.pk,
            "order": orders["b0"][0].pk,
            "checkpoint": "pre_shipment",
            "lot_size": 1000,
        },
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_the_sampling_plan_shows_right_under_the_lot_size(client, quality, supplier_a):
    client.force_login(quality)
    page = client.post(
        CREATE, {"supplier": supplier_a.pk, "lot_size": "1000", "level": "II"}
    ).content.decode()
    lot = page.index('name="lot_size"')
    plan = page.index('id="sampling-plan"')
    defects = page.index('name="critical_defects"')
    assert lot < plan < defects
    assert "Code letter J." in page[plan:defects]


def test_the_choices_fragment_takes_the_same_queries_for_many_orders(
    client, quality, supplier_a, django_assert_max_num_queries
):
    client.force_login(quality)
    for _n in range(3):
        DeliveryFactory(order=PurchaseOrderFactory(supplier=supplier_a))
    with django_assert_max_num_queries(8) as few:
        client.get(CHOICES, {"supplier": supplier_a.pk})
    for _n in range(20):
        DeliveryFactory(order=PurchaseOrderFactory(supplier=supplier_a))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(CHOICES, {"supplier": supplier_a.pk})


def test_a_buyer_cannot_load_inspection_choices(client, buyer, supplier_a):
    client.force_login(buyer)
    assert client.get(CHOICES, {"supplier": supplier_a.pk}).status_code == 403
