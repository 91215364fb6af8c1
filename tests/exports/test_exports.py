"""Exports of the list pages: the columns and rows on screen, typed XLSX cells, formula cells defused, the
portal's exports scoped to the factory, and memory that does not grow with the number of rows."""

import csv
import gc
import io
import re
import tracemalloc
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from html import unescape

import openpyxl
import pytest
from django.db import connection
from django.urls import reverse

from core import exports
from core.exports import Column, csv_lines, xlsx_file
from orders.exports import DELIVERY_COLUMNS
from orders.models import Delivery
from orders.selectors import delivery_list
from suppliers.exports import SUPPLIER_COLUMNS
from suppliers.models import Stage, Supplier
from suppliers.selectors import supplier_list
from tests.factories import DeliveryFactory, PurchaseOrderFactory, SupplierFactory

STAFF_LISTS = [
    "suppliers:list",
    "orders:list",
    "orders:delivery_list",
    "payments:payment_list",
    "audits:audit_list",
    "audits:capa_list",
    "audits:inspection_list",
    "communications:issue_list",
    "payments:invoice_list",
    "scorecards:flag_list",
    "scorecards:portfolio",
]
PORTAL_LISTS = [
    "portal:orders",
    "portal:deliveries",
    "portal:inspections",
    "portal:audits",
    "portal:capa_list",
    "portal:issues",
    "portal:invoices",
]


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def screen_table(body: str) -> tuple[list[str], list[list[str]]]:
    """Return the header cells and row cells (as text) of the page's table next to its export links (the first
    table after them, or the one just before them)."""
    links = body.index("export-links")
    start = body.find("<table", links)
    start = start if start != -1 else body.rindex("<table", 0, links)
    table = body[start : body.index("</table>", start)]
    head = re.search(r"<thead.*?</thead>", table, re.S).group(0)
    headers = [_text(cell) for cell in re.findall(r"<th[^>]*>(.*?)</th>", head, re.S)]
    body_rows = re.search(r"<tbody.*?</tbody>", table, re.S).group(0)
    rows = [
        [_text(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body_rows, re.S)
    ]
    return headers, [row for row in rows if len(row) == len(headers)]


def download_csv(client, url: str, query: str = "") -> list[list[str]]:
    response = client.get(f"{url}?{query}&export=csv" if query else f"{url}?export=csv")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    text = b"".join(response.streaming_content).decode("utf-8").removeprefix("\ufeff")
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize("name", STAFF_LISTS)
def test_each_staff_list_exports_the_columns_it_shows(client, buyer, objects_a, name):
    Supplier.objects.filter(pk=objects_a["supplier"].pk).update(stage=Stage.APPROVED)  # in the portfolio
    client.force_login(buyer)
    headers, _rows = screen_table(client.get(reverse(name)).content.decode())
    headers = [h for h in headers if h != "Select"]  # the red-flag inbox's checkbox column
    exported = download_csv(client, reverse(name))
    assert [h.removesuffix(" ▲").removesuffix(" ▼") for h in headers] == exported[0]
    assert len(exported) > 1


@pytest.mark.parametrize("name", PORTAL_LISTS)
def test_each_portal_list_exports_the_columns_it_shows_and_only_its_own_rows(
    client, objects_a, portal_a, supplier_b, quality, name
):
    from tests.conftest import supplier_objects

    objects_b = supplier_objects(supplier_b, quality)
    client.force_login(portal_a)
    headers, _rows = screen_table(client.get(reverse(name)).content.decode())
    exported = download_csv(client, reverse(name))
    assert headers[: len(exported[0])] == exported[0]
    text = "\n".join(",".join(row) for row in exported)
    for marker in (objects_b["order"].number, objects_b["invoice"].number, objects_b["capa"].title):
        assert marker not in text
    assert len(exported) > 1


def test_filtered_supplier_export_holds_exactly_the_rows_on_screen(client, buyer):
    for n in range(6):
        SupplierFactory(name=f"Approved {n}", stage=Stage.APPROVED, owner=buyer)
    for n in range(4):
        SupplierFactory(name=f"Prospect {n}", stage=Stage.PROSPECT, owner=buyer)
    client.force_login(buyer)
    query = "stage=approved&ordering=-name"
    _headers, rows = screen_table(client.get(f"{reverse('suppliers:list')}?{query}").content.decode())
    exported = download_csv(client, reverse("suppliers:list"), query)
    # On screen the name cell also shows the city, under the name.
    assert [row[0] for row in exported[1:]] == [row[0].removesuffix(" Shenzhen") for row in rows]
    assert [row[0] for row in exported[1:]] == [f"Approved {n}" for n in reversed(range(6))]
    screen_first, exported_first = rows[0], exported[1]
    assert screen_first[1:6] == exported_first[1:6]


def test_filtered_order_export_matches_the_screen_cell_for_cell(client, buyer, supplier_a, supplier_b):
    for _ in range(3):
        PurchaseOrderFactory(supplier=supplier_a, status="sent")
        PurchaseOrderFactory(supplier=supplier_b, status="sent")
    PurchaseOrderFactory(supplier=supplier_a, status="closed")
    client.force_login(buyer)
    query = f"supplier={supplier_a.pk}&status=sent"
    _headers, rows = screen_table(client.get(f"{reverse('orders:list')}?{query}").content.decode())
    exported = download_csv(client, reverse("orders:list"), query)
    assert len(rows) == 3
    assert exported[1:] == [[cell.replace("—", "") for cell in row] for row in rows]


def test_xlsx_export_types_dates_and_numbers(client, buyer, objects_a):
    client.force_login(buyer)
    response = client.get(reverse("payments:invoice_list") + "?export=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.active
    header = [cell.value for cell in sheet[1]]
    assert header[:4] == ["Invoice", "Supplier", "PO", "Invoice date"]
    row = [cell.value for cell in sheet[2]]
    assert isinstance(row[header.index("Invoice date")], datetime | date)
    assert sheet.cell(row=2, column=header.index("Invoice date") + 1).number_format == "yyyy-mm-dd"
    assert isinstance(row[header.index("Amount")], int | float | Decimal)
    assert sheet.max_row == 3  # the two invoices of supplier A's objects


def test_cells_that_would_run_as_formulas_are_defused(client, buyer):
    SupplierFactory(name='=HYPERLINK("http://evil.test","x")', owner=buyer, city="-cmd", stage=Stage.APPROVED)
    client.force_login(buyer)
    exported = download_csv(client, reverse("suppliers:list"))
    assert exported[1][0] == '\'=HYPERLINK("http://evil.test","x")'
    response = client.get(reverse("suppliers:list") + "?export=xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet["A2"].data_type == "s"
    assert sheet["A2"].value.startswith("=HYPERLINK")


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1"])
def test_neutralise_quotes_every_formula_start(text):
    assert exports.neutralise(text) == "'" + text


def test_negative_numbers_stay_numbers():
    column = Column("n", lambda row: row, "number")
    assert exports.text_value(Decimal("-3.5"), column.kind) == "-3.5"


def test_a_factory_contact_export_ignores_a_filter_for_another_supplier(client, portal_a, supplier_b):
    theirs = PurchaseOrderFactory(supplier=supplier_b)
    client.force_login(portal_a)
    exported = download_csv(client, reverse("portal:orders"), f"supplier={supplier_b.pk}")
    assert theirs.number not in str(exported)


def test_bad_export_format_shows_the_page(client, buyer):
    client.force_login(buyer)
    response = client.get(reverse("orders:list") + "?export=pdf")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")


def test_supplier_export_reads_rows_a_chunk_at_a_time(buyer, monkeypatch, django_assert_max_num_queries):
    monkeypatch.setattr(exports, "CHUNK_SIZE", 20)
    make_suppliers(100, buyer)
    with django_assert_max_num_queries(2 * (100 // 20 + 1) + 2):  # rows and their categories, per chunk
        lines = list(csv_lines(supplier_list(user=buyer, today=date.today()), SUPPLIER_COLUMNS))
    assert len(lines) == 101


def make_suppliers(count: int, owner) -> None:
    start = Supplier.objects.count()
    Supplier.objects.bulk_create(
        [
            Supplier(
                name=f"Bulk factory {start + n:07d}", country="CN", timezone="Asia/Shanghai", owner=owner
            )
            for n in range(count)
        ],
        batch_size=500,
    )


def peak_memory(run) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        run()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def make_deliveries(order, count: int) -> None:
    start = Delivery.objects.filter(order=order).count()
    day = date(2026, 12, 1)
    Delivery.objects.bulk_create(
        [
            Delivery(
                order=order,
                supplier_id=order.supplier_id,
                sequence=start + n + 1,
                promised_on=day + timedelta(days=n % 300),
                original_promised_on=day,
                quantity_planned=100 + n,
            )
            for n in range(count)
        ],
        batch_size=1000,
    )


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_delivery_export_takes_the_same_memory_for_ten_times_the_rows(buyer, monkeypatch, fmt):
    """Ten times the rows, about the same peak: rows are read and written a chunk at a time, so a million
    deliveries export in the memory of one chunk."""
    monkeypatch.setattr(exports, "CHUNK_SIZE", 100)
    order = PurchaseOrderFactory(supplier=SupplierFactory(owner=buyer))

    def run():
        rows = delivery_list(user=buyer)
        if fmt == "csv":
            for _line in csv_lines(rows, DELIVERY_COLUMNS):
                pass
        else:
            xlsx_file(rows, DELIVERY_COLUMNS, title="deliveries").close()

    make_deliveries(order, 400)
    small = peak_memory(run)
    make_deliveries(order, 3600)
    large = peak_memory(run)
    assert large < small * 2, (small, large)


def test_filtered_delivery_export_matches_the_screen_cell_for_cell(client, buyer, supplier_a, supplier_b):
    order = PurchaseOrderFactory(supplier=supplier_a)
    other = PurchaseOrderFactory(supplier=supplier_b)
    for n in range(5):
        DeliveryFactory(order=order, promised_on=date(2026, 12, 10) + timedelta(days=n))
        DeliveryFactory(order=other, promised_on=date(2026, 12, 10) + timedelta(days=n))
    client.force_login(buyer)
    query = f"supplier={supplier_a.pk}&due_from=2026-12-11&due_to=2026-12-13&status=planned"
    _headers, rows = screen_table(client.get(f"{reverse('orders:delivery_list')}?{query}").content.decode())
    exported = download_csv(client, reverse("orders:delivery_list"), query)
    assert len(rows) == 3
    assert exported[1:] == rows


def test_the_delivery_list_page_reads_a_bounded_number_of_queries(
    client, buyer, supplier_a, django_assert_max_num_queries
):
    order = PurchaseOrderFactory(supplier=supplier_a)
    for _ in range(30):
        DeliveryFactory(order=order)
    client.force_login(buyer)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("orders:delivery_list")).status_code == 200


def test_a_streamed_csv_shows_date_times_in_the_users_own_timezone(client, buyer, supplier_a):
    from communications.models import SupplierIssue

    buyer.timezone = "Asia/Shanghai"
    buyer.save(update_fields=["timezone"])
    SupplierIssue.objects.create(
        supplier=supplier_a,
        category="quality",
        subject="Late lab report",
        description="",
        raised_by=buyer,
        owner=buyer,
        raised_at=datetime(2026, 1, 1, 20, 0, tzinfo=UTC),
    )
    client.force_login(buyer)
    exported = download_csv(client, reverse("communications:issue_list"))
    assert exported[1][exported[0].index("Raised")] == "2026-01-02 04:00"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="EXPLAIN plans are PostgreSQL's")
def test_the_delivery_and_payment_lists_walk_their_sort_indexes(buyer):
    from payments.selectors import payment_list
    from tests.test_list_indexes import plan_of

    assert "delivery_promised_id_idx" in plan_of(delivery_list(user=buyer)[:25])
    assert "payment_paid_id_idx" in plan_of(payment_list(user=buyer)[:25])
