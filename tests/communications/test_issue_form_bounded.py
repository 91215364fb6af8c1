"""The "Raise an issue" page never loads every order or delivery: the choices are the chosen supplier's only,
and none before a supplier is chosen (choosing one reloads the form over HTMX)."""

import pytest
from django.urls import reverse

from tests.factories import DeliveryFactory, PurchaseOrderFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def many_orders(supplier_a, supplier_b):
    """Ten orders with a delivery each, for each of two suppliers."""
    orders = {
        supplier: PurchaseOrderFactory.create_batch(10, supplier=supplier)
        for supplier in (supplier_a, supplier_b)
    }
    for batch in orders.values():
        for order in batch:
            DeliveryFactory(order=order)
    return orders


def options(response, field: str) -> list[str]:
    return [value for value, _label in response.context["form"].fields[field].choices if value != ""]


def test_without_a_supplier_the_page_offers_no_order_or_delivery(
    client, buyer, many_orders, django_assert_max_num_queries
):
    client.force_login(buyer)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("communications:issue_create"))
    assert response.status_code == 200
    assert options(response, "order") == [] and options(response, "delivery") == []
    assert 'hx-get="/communications/issues/new/"' in response.content.decode()


def test_choosing_a_supplier_offers_only_its_orders_in_a_bounded_number_of_queries(
    client, buyer, supplier_a, many_orders, django_assert_max_num_queries
):
    client.force_login(buyer)
    with django_assert_max_num_queries(20):
        response = client.get(
            reverse("communications:issue_create"), {"supplier": supplier_a.pk, "subject": "Kept"}
        )
    orders = {str(order.pk) for order in many_orders[supplier_a]}
    assert {str(value) for value in options(response, "order")} == orders
    assert len(options(response, "delivery")) == 10
    assert response.context["form"].initial["subject"] == "Kept"


def test_raised_from_an_order_page_the_form_knows_the_supplier(client, buyer, supplier_b, many_orders):
    client.force_login(buyer)
    order = many_orders[supplier_b][0]
    response = client.get(reverse("communications:issue_create"), {"order": order.pk})
    assert str(response.context["form"].initial["supplier"]) == str(supplier_b.pk)
    assert len(options(response, "order")) == 10


def test_an_order_of_another_supplier_is_refused(client, buyer, supplier_a, supplier_b, many_orders):
    client.force_login(buyer)
    data = {
        "supplier": supplier_a.pk,
        "category": "quality",
        "severity": "medium",
        "subject": "Mixed up",
        "description": "x",
        "order": many_orders[supplier_b][0].pk,
    }
    response = client.post(reverse("communications:issue_create"), data)
    assert response.status_code == 400


# --- Many suppliers: a search box fills the drop-down -------------------------------------------------------------


@pytest.fixture
def few_listed(monkeypatch):
    """Lists stop at one supplier here, as they stop at SUPPLIER_SELECT_LIMIT (100) in use."""
    import suppliers.selectors

    monkeypatch.setattr(suppliers.selectors, "SUPPLIER_SELECT_LIMIT", 1)


def supplier_options(response) -> list[str]:
    return [
        str(value) for value, _label in response.context["form"].fields["supplier"].widget.choices if value
    ]


def test_a_few_suppliers_are_all_in_the_drop_down_without_a_search_box(client, buyer, supplier_a, supplier_b):
    client.force_login(buyer)
    response = client.get(reverse("communications:issue_create"))
    assert set(supplier_options(response)) == {str(supplier_a.pk), str(supplier_b.pk)}
    assert 'id="supplier-search"' not in response.content.decode()


def test_with_many_suppliers_the_drop_down_holds_only_the_chosen_one_and_a_search_box_fills_it(
    client, buyer, supplier_a, supplier_b, few_listed
):
    client.force_login(buyer)
    empty = client.get(reverse("communications:issue_create"))
    assert supplier_options(empty) == []
    body = empty.content.decode()
    assert 'id="supplier-search"' in body and "as=options" in body and supplier_b.name not in body
    chosen = client.get(reverse("communications:issue_create"), {"supplier": supplier_a.pk})
    assert supplier_options(chosen) == [str(supplier_a.pk)]
    found = client.get(reverse("suppliers:picker"), {"as": "options", "supplier_search": supplier_b.name[:4]})
    assert f'<option value="{supplier_b.pk}">{supplier_b.name}</option>' in found.content.decode()
    assert f'value="{supplier_a.pk}"' not in found.content.decode()


def test_with_many_suppliers_an_issue_is_raised_with_the_supplier_found(
    client, buyer, supplier_b, supplier_a, few_listed
):
    from communications.models import SupplierIssue

    client.force_login(buyer)
    response = client.post(
        reverse("communications:issue_create"),
        {
            "supplier_search": "Beta",
            "supplier": supplier_b.pk,
            "category": SupplierIssue._meta.get_field("category").choices[0][0],
            "severity": SupplierIssue._meta.get_field("severity").choices[0][0],
            "subject": "Carton labels",
            "description": "Labels missing on 3 cartons.",
        },
    )
    assert response.status_code == 302
    assert SupplierIssue.objects.get().supplier == supplier_b
    refused = client.post(reverse("communications:issue_create"), {"supplier": supplier_a.pk, "subject": ""})
    assert refused.status_code == 400
    assert supplier_options(refused) == [str(supplier_a.pk)]
