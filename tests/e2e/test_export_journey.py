"""A buyer filters the supplier list and exports what the screen shows to XLSX; the spreadsheet opens with
openpyxl and holds the filtered suppliers, under the table's headings, with the expiry date as a real date."""

import datetime
import io
from pathlib import Path

import openpyxl
from django.urls import reverse
from playwright.sync_api import expect

from suppliers.models import Stage
from tests.e2e.conftest import login
from tests.factories import CertificationFactory, SupplierFactory


def test_a_buyer_exports_the_filtered_supplier_list_to_xlsx(page, buyer):
    approved = [
        SupplierFactory(name=f"Approved Mill {n}", stage=Stage.APPROVED, owner=buyer) for n in range(3)
    ]
    for n in range(2):
        SupplierFactory(name=f"Prospect Mill {n}", stage=Stage.PROSPECT, owner=buyer)
    expiry = datetime.date.today() + datetime.timedelta(days=200)
    CertificationFactory(supplier=approved[0], status="verified", valid_until=expiry)
    login(page, buyer.email)

    page.goto(reverse("suppliers:list"))
    expect(page.locator("#supplier-table tbody tr")).to_have_count(5)
    page.locator("select[name=stage]").select_option("approved")
    expect(page.locator("#supplier-table tbody tr")).to_have_count(3)
    headings = page.locator("#supplier-table thead th").all_inner_texts()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Export XLSX").click()
    download = download_info.value
    assert download.suggested_filename.startswith("suppliers-") and download.suggested_filename.endswith(
        ".xlsx"
    )

    sheet = openpyxl.load_workbook(io.BytesIO(Path(download.path()).read_bytes())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == [heading.strip() for heading in headings]
    assert sorted(row[0] for row in rows[1:]) == [s.name for s in approved]
    first = next(row for row in rows[1:] if row[0] == approved[0].name)
    assert first[-1].date() == expiry  # a date cell, not text
