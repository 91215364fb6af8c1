"""Long lists do not count every row: past EXACT_COUNT_UP_TO rows the number of pages is estimated (PostgreSQL's
planner; an exact count elsewhere), "next" is still exact, and a page past the estimate is served, not a 500.
The cap is lowered here so that a handful of orders is a "long" list."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core import pagination
from core.pagination import EstimatedCountPaginator
from orders.models import PurchaseOrder
from tests.factories import PurchaseOrderFactory
from tests.helpers import authed

pytestmark = pytest.mark.django_db
POSTGRES = connection.vendor == "postgresql"


@pytest.fixture
def twelve_orders(supplier_a):
    today = timezone.localdate()
    return [
        PurchaseOrderFactory(supplier=supplier_a, ordered_on=today - timedelta(days=i)) for i in range(12)
    ]


@pytest.fixture
def cap_at_five(monkeypatch):
    monkeypatch.setattr(EstimatedCountPaginator, "exact_up_to", 5)


def test_a_short_list_is_counted_exactly_and_the_count_stops_at_the_cap(twelve_orders):
    paginator = EstimatedCountPaginator(PurchaseOrder.objects.order_by("pk"), 5)
    with CaptureQueriesContext(connection) as captured:
        assert paginator.count == 12 and paginator.num_pages == 3
    assert not paginator.estimated
    assert "LIMIT 10001" in captured.captured_queries[0]["sql"].upper()  # a capped count, not the whole table


def test_a_long_list_is_estimated_and_paged_by_the_row_read_past_its_end(twelve_orders, cap_at_five):
    paginator = EstimatedCountPaginator(PurchaseOrder.objects.order_by("-ordered_on", "-pk"), 5)
    assert paginator.count >= 6  # the cap plus one at least, whatever the planner guesses
    assert paginator.estimated is POSTGRES
    if not POSTGRES:
        assert paginator.count == 12  # no planner to ask: counted
        return
    seen = []
    number = 1
    while True:
        page = paginator.page(number)
        seen += [order.pk for order in page]
        if not page.has_next():
            break
        number = page.next_page_number()
    expected = list(PurchaseOrder.objects.order_by("-ordered_on", "-pk").values_list("pk", flat=True))
    assert seen == expected and number == 3  # every order once, and no "next" after the last


def test_pages_past_an_estimate_are_served_empty_and_nonsense_falls_back(twelve_orders, cap_at_five):
    paginator = EstimatedCountPaginator(PurchaseOrder.objects.order_by("pk"), 5)
    if not POSTGRES:
        pytest.skip("no estimate without PostgreSQL's planner")
    assert list(paginator.get_page(paginator.num_pages + 2)) == [] or paginator.num_pages + 2 <= 3
    assert paginator.get_page("x").number == 1
    assert paginator.get_page(-3).number == paginator.num_pages  # Django's get_page: the last page
    assert paginator.get_page(10**9).number == paginator.num_pages


def test_the_orders_page_says_about_when_estimated(buyer_client, supplier_a, twelve_orders, cap_at_five):
    PurchaseOrderFactory.create_batch(14, supplier=supplier_a)  # 26 orders: two pages of 25
    response = buyer_client.get("/orders/")
    assert response.status_code == 200
    body = response.content.decode()
    assert ("/ about " in body) is POSTGRES
    assert "page=2" in body
    # A page past the estimate's end answers (empty), never a server error.
    assert buyer_client.get("/orders/", {"page": 999}).status_code == 200


def test_the_api_counts_exactly_up_to_the_cap_and_follows_next_to_the_end(
    api_client, buyer, twelve_orders, cap_at_five, monkeypatch
):
    monkeypatch.setattr(pagination.EstimatedPageNumberPagination, "page_size", 5)
    client = authed(api_client, buyer)
    data = client.get("/api/v1/orders/").json()
    assert data["count"] >= 6 and len(data["results"]) == 5
    seen = [row["id"] for row in data["results"]]
    while data["next"]:
        data = client.get(data["next"]).json()
        seen += [row["id"] for row in data["results"]]
    assert sorted(seen) == sorted(order.pk for order in twelve_orders) and len(seen) == 12


def test_a_factorys_lists_are_always_counted_never_estimated(
    portal_client, api_client, portal_a, supplier_a, twelve_orders, cap_at_five, monkeypatch
):
    # The planner's figure for one supplier's rows comes from the whole table's statistics: a factory never sees it.
    PurchaseOrderFactory.create_batch(14, supplier=supplier_a)
    body = portal_client.get(reverse("portal:orders")).content.decode()
    assert "/ about " not in body
    monkeypatch.setattr(pagination.EstimatedPageNumberPagination, "page_size", 5)
    data = authed(api_client, portal_a).get("/api/v1/orders/").json()
    assert data["count"] == PurchaseOrder.objects.filter(supplier=supplier_a).count() == 26


def test_next_never_leads_past_the_last_page_served(twelve_orders, cap_at_five, monkeypatch):
    if not POSTGRES:
        pytest.skip("no estimate without PostgreSQL's planner")
    monkeypatch.setattr(
        EstimatedCountPaginator, "max_page", property(lambda self: 2)
    )  # an estimate far too low
    paginator = EstimatedCountPaginator(PurchaseOrder.objects.order_by("pk"), 5)
    assert paginator.page(1).has_next() and not paginator.page(2).has_next()
    with pytest.raises(pagination.EmptyPage):
        paginator.page(3)
