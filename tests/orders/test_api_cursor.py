"""The API's deliveries list pages by cursor (keyset), newest first: no COUNT(*) and no OFFSET, every delivery seen
once when following `next`, and the same number of queries on any page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import DeliveryFactory, PurchaseOrderFactory
from tests.helpers import authed

pytestmark = pytest.mark.django_db


@pytest.fixture
def many_deliveries(supplier_a, supplier_b):
    """120 deliveries of supplier A (three pages of 50) and 5 of supplier B."""
    for _ in range(40):
        DeliveryFactory.create_batch(3, order=PurchaseOrderFactory(supplier=supplier_a))
    DeliveryFactory.create_batch(5, order=PurchaseOrderFactory(supplier=supplier_b))


def follow(client, url) -> list[list[int]]:
    """Return the ids on every page, following `next` links to the end."""
    pages = []
    while url:
        answer = client.get(url)
        assert answer.status_code == 200
        data = answer.json()
        assert "count" not in data and set(data) == {"next", "previous", "results"}
        pages.append([row["id"] for row in data["results"]])
        url = data["next"]
    return pages


def test_following_next_lists_every_visible_delivery_once_newest_first(api_client, portal_a, many_deliveries):
    pages = follow(authed(api_client, portal_a), "/api/v1/deliveries/")
    ids = [pk for page in pages for pk in page]
    assert [len(page) for page in pages] == [50, 50, 20]
    assert ids == sorted(ids, reverse=True) and len(set(ids)) == 120


def test_a_later_page_takes_no_more_queries_with_no_count_and_no_offset(
    api_client, buyer, many_deliveries, django_assert_max_num_queries
):
    client = authed(api_client, buyer)
    with CaptureQueriesContext(connection) as first:
        second_url = client.get("/api/v1/deliveries/").json()["next"]
    with CaptureQueriesContext(connection) as second:
        assert len(client.get(second_url).json()["results"]) == 50
    assert len(second.captured_queries) <= len(first.captured_queries)  # the first also stamps the token
    sql = " ".join(query["sql"].upper() for query in second.captured_queries)
    assert "COUNT(" not in sql and "OFFSET" not in sql


def test_a_filter_still_applies_and_a_forged_cursor_answers_404(
    api_client, buyer, supplier_b, many_deliveries
):
    client = authed(api_client, buyer)
    assert len(follow(client, f"/api/v1/deliveries/?supplier={supplier_b.pk}")[0]) == 5
    assert client.get("/api/v1/deliveries/", {"cursor": "not-a-cursor"}).status_code == 404
    assert client.get("/api/v1/deliveries/", {"ordering": "received_on"}).status_code == 200
