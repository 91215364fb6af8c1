"""A buyer imports a supplier spreadsheet with two bad rows, reads what is wrong with each, fixes them in the
file, uploads it again and imports it: the suppliers appear in the list, as prospects."""

import csv
import io

from django.urls import reverse
from playwright.sync_api import expect

from imports.resources import RESOURCES
from suppliers.models import Supplier
from tests.e2e.conftest import login


def spreadsheet(rows: list[dict]) -> dict:
    header = RESOURCES["suppliers"].column_names()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(column, "") for column in header])
    return {"name": "suppliers.csv", "mimeType": "text/csv", "buffer": buffer.getvalue().encode()}


def upload(page, rows):
    page.goto(reverse("imports:list"))
    page.get_by_label("The file holds").select_option("suppliers")
    page.get_by_label("Spreadsheet (CSV or XLSX)").set_input_files(spreadsheet(rows))
    with page.expect_navigation():
        page.get_by_role("button", name="Upload and preview").click()


def test_a_buyer_fixes_two_bad_rows_and_imports_the_supplier_list(page, buyer):
    rows = [
        {"name": "Hanoi Knitwear JSC", "country": "VN", "registration_number": "0101234567"},
        {"name": "Ningbo Moulds", "country": "Chna", "registration_number": "91330200X"},
        {"name": "", "country": "IN", "registration_number": "U17110TN2010"},
        {"name": "Izmir Towels", "country": "Turkey", "registration_number": "TR-55"},
    ]
    login(page, buyer.email)
    upload(page, rows)

    expect(page.locator("#import-confirm")).to_contain_text("2 rows have errors")
    expect(page.locator("#row-3")).to_contain_text("row 3, column country: country 'Chna' is not a country")
    expect(page.locator("#row-4")).to_contain_text("row 4, column name: a value is required")
    assert not Supplier.objects.exists()

    rows[1]["country"], rows[2]["name"] = "China", "Chennai Cotton Mills"
    upload(page, rows)
    expect(page.locator("#import-confirm")).to_contain_text("Every row is good")
    with page.expect_navigation():
        page.get_by_role("button", name="Import").click()

    expect(page.locator("#import-status")).to_have_text("Imported")
    expect(page.locator("#import-counts")).to_contain_text("4")
    assert sorted(Supplier.objects.values_list("name", "stage")) == [
        ("Chennai Cotton Mills", "prospect"),
        ("Hanoi Knitwear JSC", "prospect"),
        ("Izmir Towels", "prospect"),
        ("Ningbo Moulds", "prospect"),
    ]
    page.goto(reverse("suppliers:list"))
    expect(page.locator("body")).to_contain_text("Ningbo Moulds")
