"""The global search: every kind by number or name, grouped and bounded, in a constant number of queries, and
scoped like every list (a factory contact finds its own company's rows only)."""

import pytest
from django.urls import reverse

from core.search import PER_KIND, clean_query, search_everything
from tests.conftest import supplier_objects
from tests.factories import ContactFactory, PurchaseOrderFactory, SupplierFactory

pytestmark = pytest.mark.django_db

SEARCH = reverse("search")
PORTAL_SEARCH = reverse("portal:search")


def kinds(groups) -> dict[str, list[str]]:
    return {group.source.kind: [hit.title for hit in group.hits] for group in groups}


@pytest.fixture
def a(supplier_a, quality):
    return supplier_objects(supplier_a, quality)


@pytest.fixture
def b(supplier_b, quality):
    return supplier_objects(supplier_b, quality)


def test_too_short_or_empty_queries_search_nothing(buyer):
    assert clean_query(" a ") == "" and clean_query("") == ""
    assert search_everything(user=buyer, query="a") == []


def test_staff_find_every_kind_by_number_or_name(buyer, a):
    assert "Alpha Factory" in kinds(search_everything(user=buyer, query="alpha"))["suppliers"]
    assert [a["order"].number] == kinds(search_everything(user=buyer, query=a["order"].number))["orders"]
    assert a["invoice"].number in kinds(search_everything(user=buyer, query=a["invoice"].number))["invoices"]
    assert a["contact"].name in kinds(search_everything(user=buyer, query=a["contact"].name))["contacts"]
    issue = a["issue"]
    assert (
        f"#{issue.pk} {issue.subject}" in kinds(search_everything(user=buyer, query=f"#{issue.pk}"))["issues"]
    )
    capa = a["capa"]
    found = kinds(search_everything(user=buyer, query=capa.title))["corrective_actions"]
    assert f"#{capa.pk} {capa.title}" in found


def test_results_are_grouped_by_kind_and_bounded(client, buyer):
    supplier = SupplierFactory(name="Zeta Works")
    for n in range(PER_KIND + 3):
        PurchaseOrderFactory(supplier=supplier, number=f"ZW-{n:03d}")
    client.force_login(buyer)
    response = client.get(SEARCH, {"q": "ZW-"})
    (group,) = [g for g in response.context["groups"] if g.source.kind == "orders"]
    assert len(group.hits) == PER_KIND and group.more
    page = response.content.decode()
    assert 'id="kind-orders"' in page and "Only the first 10 are shown" in page


def test_the_search_takes_the_same_queries_for_many_matches(client, buyer, django_assert_max_num_queries):
    client.force_login(buyer)
    supplier = SupplierFactory(name="Queries Co")
    PurchaseOrderFactory(supplier=supplier, number="QC-1")
    ContactFactory(supplier=supplier, name="Queries Person")
    client.get(SEARCH, {"q": "Queries"})  # warm the session and caches
    with django_assert_max_num_queries(12) as few:
        client.get(SEARCH, {"q": "Queries"})
    for n in range(15):
        made = SupplierFactory(name=f"Queries Co {n}")
        PurchaseOrderFactory(supplier=made, number=f"QC-{n + 2}")
        ContactFactory(supplier=made, name=f"Queries Person {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(SEARCH, {"q": "Queries"})


def test_a_factory_contact_finds_only_its_own_company(client, portal_b, a, b):
    client.force_login(portal_b)
    for query in (a["order"].number, "Alpha", a["contact"].name, a["invoice"].number, a["capa"].title):
        response = client.get(PORTAL_SEARCH, {"q": query})
        assert response.status_code == 200
        found = [hit.url for group in response.context["groups"] for hit in group.hits]
        page = response.content.decode()
        assert "Alpha Factory" not in page, query
        assert all(url.startswith("/portal/") for url in found), found
    own = client.get(PORTAL_SEARCH, {"q": b["order"].number}).context["groups"]
    assert [hit.url for group in own for hit in group.hits] == [
        reverse("portal:order_detail", args=[b["order"].pk])
    ]


def test_the_search_box_is_in_both_navbars(client, buyer, portal_a):
    client.force_login(buyer)
    assert f'action="{SEARCH}"' in client.get(reverse("suppliers:list")).content.decode()
    client.force_login(portal_a)
    assert f'action="{PORTAL_SEARCH}"' in client.get(reverse("portal:home")).content.decode()


def test_a_factory_contact_cannot_open_the_staff_search_nor_staff_the_portals(client, buyer, portal_a):
    client.force_login(portal_a)
    assert client.get(SEARCH, {"q": "alpha"}).status_code in (403, 404)
    client.force_login(buyer)
    assert client.get(PORTAL_SEARCH, {"q": "alpha"}).status_code == 403


def test_junk_in_the_query_is_harmless(client, buyer):
    client.force_login(buyer)
    for junk in ("%", "_", "'; drop table x; --", "#99999999999999999999999", "x" * 5000, "\x00ab"):
        assert client.get(SEARCH, {"q": junk}).status_code == 200


def test_the_api_searches_like_the_page_and_a_factory_token_finds_its_own_only(
    api_client, buyer, portal_b, a, b
):
    api_client.force_authenticate(buyer)
    response = api_client.get(reverse("api:search-list"), {"q": a["order"].number})
    assert response.status_code == 200
    (orders,) = [group for group in response.json() if group["kind"] == "orders"]
    assert orders["hits"][0]["title"] == a["order"].number and orders["more"] is False
    api_client.force_authenticate(portal_b)
    assert api_client.get(reverse("api:search-list"), {"q": a["order"].number}).json() == []
    own = api_client.get(reverse("api:search-list"), {"q": b["order"].number}).json()
    assert own[0]["hits"][0]["url"] == reverse("portal:order_detail", args=[b["order"].pk])


def test_a_corrective_action_of_a_hidden_audit_is_not_found_by_its_own_factory(client, portal_a, hidden_a):
    capa = hidden_a["capa"]
    client.force_login(portal_a)
    for query in (capa.title, f"#{capa.pk}"):
        groups = client.get(PORTAL_SEARCH, {"q": query}).context["groups"]
        assert not [g for g in groups if g.source.kind == "corrective_actions"], query
