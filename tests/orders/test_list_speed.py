"""The orders list pages first and computes its per-row figures (line count, next promised date) for the page only:
the same figures as an aggregate over orders joined to lines and deliveries, in a pinned number of queries."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import Count, Min, Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from orders import selectors
from orders.models import Delivery, PurchaseOrder
from tests.factories import DeliveryFactory, OrderLineFactory, PurchaseOrderFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def varied_orders(supplier_a):
    """Orders with 0–3 lines and planned, received and cancelled deliveries on various dates."""
    today = timezone.localdate()
    for index in range(8):
        order = PurchaseOrderFactory(supplier=supplier_a, ordered_on=today - timedelta(days=index % 3))
        OrderLineFactory.create_batch(index % 4, order=order)
        for sequence, status in enumerate(
            [Delivery.Status.RECEIVED, Delivery.Status.PLANNED, Delivery.Status.PLANNED][: index % 4], start=1
        ):
            DeliveryFactory(
                order=order,
                sequence=sequence,
                status=status,
                promised_on=today + timedelta(days=10 * sequence - index),
            )
        DeliveryFactory(order=order, sequence=9, status=Delivery.Status.CANCELLED, promised_on=today)


def test_order_list_figures_equal_the_aggregate_over_all_deliveries(buyer, varied_orders):
    listed = [(order.pk, order.line_count, order.next_promised) for order in selectors.order_list(user=buyer)]
    aggregated = [
        (order.pk, order.line_count, order.next_promised)
        for order in PurchaseOrder.objects.visible_to(buyer)
        .annotate(
            line_count=Count("lines", distinct=True),
            next_promised=Min(
                "deliveries__promised_on", filter=Q(deliveries__status=Delivery.Status.PLANNED)
            ),
        )
        .order_by("-ordered_on", "-pk")
    ]
    assert listed == aggregated
    assert {count for _pk, count, _next in listed} == {0, 1, 2, 3}


def test_order_list_page_is_one_query_without_group_by_and_the_count_leaves_the_figures_out(
    buyer, varied_orders, django_assert_num_queries
):
    queryset = selectors.order_list(user=buyer)
    with CaptureQueriesContext(connection) as captured, django_assert_num_queries(2):
        assert queryset.count() == 8
        page = list(queryset[:5])
    count_sql, page_sql = (query["sql"].upper() for query in captured.captured_queries)
    assert "GROUP BY" not in page_sql and "LIMIT 5" in page_sql
    assert "DELIVERY" not in count_sql.replace("ORDERS_PURCHASEORDER", "")
    assert [order.supplier.name for order in page]  # supplier came with the rows


def test_order_list_text_filter_keeps_one_row_per_order(buyer, varied_orders):
    order = PurchaseOrder.objects.filter(lines__isnull=False).distinct().first()
    sku = order.lines.first().sku
    rows = list(selectors.order_list(user=buyer, filters={"q": sku}))
    assert len(rows) == len({row.pk for row in rows}) and order.pk in {row.pk for row in rows}
