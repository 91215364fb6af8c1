"""Every big list's sort order (and the payments-due filter) has an index PostgreSQL can use: with sequential scans
off, the plan of the page query names the index. On SQLite there is nothing to check."""

import pytest
from django.db import connection

from orders import selectors as order_selectors
from orders.models import Delivery
from payments import selectors as payment_selectors
from payments.models import Invoice

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="EXPLAIN plans are PostgreSQL's"),
]


def plan_of(queryset) -> str:
    """Return the plan PostgreSQL picks for a query when it may not read the whole table in order."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        sql, params = queryset.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_the_orders_list_walks_its_sort_index(buyer):
    assert "order_ordered_id_idx" in plan_of(order_selectors.order_list(user=buyer)[:25])


def test_the_invoices_list_walks_its_sort_index(buyer):
    assert "invoice_date_id_idx" in plan_of(payment_selectors.invoice_list(user=buyer)[:25])


def test_invoices_on_hold_walk_the_status_and_date_index(buyer):
    """The home page's preview of invoices on hold (and the list filtered by a status) read only that status."""
    queryset = Invoice.objects.filter(status=Invoice.Status.DISPUTED).order_by("-invoice_date", "-pk")
    assert "invoice_status_date_idx" in plan_of(queryset[:3])


def test_payments_due_reads_the_partial_index_of_unpaid_invoices(buyer):
    from datetime import date

    queryset = payment_selectors.invoices_due(user=buyer, today=date(2026, 6, 1))
    assert "invoice_unpaid_due_idx" in plan_of(queryset[:25])


def test_the_partial_index_condition_is_the_unpaid_statuses():
    index = next(index for index in Invoice._meta.indexes if index.name == "invoice_unpaid_due_idx")
    assert set(dict(index.condition.children)["status__in"]) == set(Invoice.UNPAID)


def test_the_deliveries_api_order_has_an_index():
    assert any(tuple(index.fields) == ("promised_on", "id") for index in Delivery._meta.indexes)


def test_issues_awaiting_a_reply_walk_the_status_side_index(buyer):
    """Every staff page's navbar counts open issues the factory raised (and the factory's home those we raised):
    the count reads index entries of that status and side only, not every open issue's row."""
    from communications.models import Side, SupplierIssue
    from scorecards.waiting import issues_awaiting_us

    queryset = issues_awaiting_us(user=buyer, today=None).order_by().values("pk")[:100]
    assert "issue_status_side_raised_idx" in plan_of(queryset)
    preview = SupplierIssue.objects.filter(status=SupplierIssue.Status.OPEN, raised_by_side=Side.SUPPLIER)
    assert "issue_status_side_raised_idx" in plan_of(preview.order_by("-raised_at")[:3])
