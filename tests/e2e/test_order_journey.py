"""A buyer builds a three-line purchase order in the browser (adding and removing lines without a reload), sends
it, and downloads its PDF; the factory's contact gets the "order sent" email with the same PDF attached."""

import io
import re
from pathlib import Path

from django.core import mail
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from orders.models import PurchaseOrder
from suppliers.models import Stage
from tests.e2e.conftest import login
from tests.factories import ContractFactory
from tests.orders.builders import days


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def fill_line(page, index: int, *, sku: str, quantity: str, price: str, required_on: str) -> None:
    page.locator(f"input[name='lines-{index}-sku']").fill(sku)
    page.locator(f"input[name='lines-{index}-description']").fill(f"{sku} description")
    page.locator(f"input[name='lines-{index}-quantity']").fill(quantity)
    page.locator(f"input[name='lines-{index}-unit_price']").fill(price)
    page.locator(f"input[name='lines-{index}-required_on']").fill(required_on)


def test_a_buyer_builds_sends_and_downloads_a_three_line_po(page, buyer, supplier_a, portal_a):
    supplier_a.stage = Stage.APPROVED
    supplier_a.save(update_fields=["stage"])
    ContractFactory(supplier=supplier_a, lead_time_days=45)
    mail.outbox.clear()
    login(page, buyer.email)

    page.goto(reverse("orders:create") + f"?supplier={supplier_a.pk}")
    expect(page.locator("#lead-time")).to_contain_text("lead time is 45 days")
    fill_line(page, 0, sku="TOTE-01", quantity="100", price="3.40", required_on=days(60).isoformat())
    add = page.get_by_role("button", name="Add line")
    add.click()
    # A date sooner than the lead time is warned about next to the field, before saving.
    fill_line(page, 1, sku="MISTAKE", quantity="1", price="1", required_on=days(10).isoformat())
    page.locator("input[name='lines-1-required_on']").dispatch_event("change")
    expect(page.locator("tr.order-line").nth(1).locator(".lead-time-warning")).to_contain_text("lead time")
    add.click()
    fill_line(page, 2, sku="MUG-02", quantity="50", price="2.10", required_on=days(60).isoformat())
    page.locator("tr.order-line").nth(1).get_by_role("button", name="Remove line").click()
    expect(page.locator("tr.order-line:visible")).to_have_count(2)
    add.click()
    fill_line(page, 3, sku="CAP-03", quantity="20", price="4.00", required_on=days(75).isoformat())
    expect(page.locator("tr.order-line:visible")).to_have_count(3)
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()

    order = PurchaseOrder.objects.get()
    assert order.number == f"PO-{timezone.localdate().year}-00001"
    assert list(order.lines.values_list("sku", flat=True)) == ["TOTE-01", "MUG-02", "CAP-03"]
    expect(page.get_by_role("heading", name=re.compile(order.number))).to_be_visible()
    # Printed, the page is the order alone: no buttons, no navigation.
    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="Send to supplier")).to_be_hidden()
    expect(page.locator("nav.navbar")).to_be_hidden()
    expect(page.get_by_role("heading", name=re.compile(order.number))).to_be_visible()
    page.emulate_media(media="screen")

    with page.expect_navigation():
        page.get_by_role("button", name="Send to supplier").click()
    expect(page.locator(".alert-success")).to_contain_text("Order sent to the supplier.")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="PO as PDF").click()
    download = download_info.value
    assert download.suggested_filename == f"{order.number}.pdf"
    text = pdf_text(Path(download.path()).read_bytes())
    assert all(sku in text for sku in ("TOTE-01", "MUG-02", "CAP-03")) and "MISTAKE" not in text

    [email] = [m for m in mail.outbox if portal_a.email in m.to]
    assert order.number in email.subject
    [(name, content, mimetype)] = email.attachments
    assert (name, mimetype) == (f"{order.number}.pdf", "application/pdf")
    assert "CAP-03" in pdf_text(content)
