"""Big list pages (orders, invoices, red flags) filter by supplier through a search box: suggestions come from a
bounded endpoint (at most 20 suppliers the user may see), and no page embeds a drop-down of every supplier."""

import pytest
from django.urls import reverse

from orders import selectors as order_selectors
from tests.factories import PurchaseOrderFactory, SupplierFactory
from tests.helpers import body_of

pytestmark = pytest.mark.django_db

BIG_PAGES = ["orders:list", "payments:invoice_list", "scorecards:flag_list"]


@pytest.fixture
def many_suppliers(db):
    return [SupplierFactory(name=f"Zeta Mills {index:02d}") for index in range(30)]


def test_the_picker_suggests_at_most_20_suppliers_by_name(
    buyer_client, many_suppliers, django_assert_max_num_queries
):
    with django_assert_max_num_queries(6):
        body = body_of(buyer_client.get(reverse("suppliers:picker"), {"supplier": " zeta\x00 mills "}))
    assert body.count("<option") == 20 and 'value="Zeta Mills 00"' in body and "Zeta Mills 20" not in body


def test_the_picker_matches_part_of_a_name(buyer_client, many_suppliers, supplier_a):
    body = body_of(buyer_client.get(reverse("suppliers:picker"), {"supplier": "ills 07"}))
    assert body.count("<option") == 1 and "Zeta Mills 07" in body


def test_a_factory_contact_gets_no_suggestions(client, portal_a, many_suppliers):
    client.force_login(portal_a)
    answer = client.get(reverse("suppliers:picker"), {"supplier": "zeta"})
    assert answer.status_code in (403, 404) and b"Zeta" not in answer.content


@pytest.mark.parametrize("name", BIG_PAGES)
def test_big_pages_embed_a_search_box_not_every_supplier(buyer_client, many_suppliers, name):
    body = body_of(buyer_client.get(reverse(name)))
    assert 'list="supplier-options"' in body and reverse("suppliers:picker") in body
    assert "Zeta Mills 13" not in body


def test_the_orders_list_filters_by_supplier_name_or_id(buyer, buyer_client, supplier_a, supplier_b):
    PurchaseOrderFactory(supplier=supplier_a, number="PO-OF-A")
    PurchaseOrderFactory(supplier=supplier_b, number="PO-OF-B")
    by_name = order_selectors.order_list(user=buyer, filters={"supplier": supplier_a.name[2:].upper()})
    assert [order.number for order in by_name] == ["PO-OF-A"]
    body = body_of(buyer_client.get(reverse("orders:list"), {"supplier": supplier_b.pk}))
    assert "PO-OF-B" in body and "PO-OF-A" not in body and f'value="{supplier_b.name}"' in body
