"""Issue 18's journey (c): the factory's contact, on a phone, starts production of a sent order with a planned
finish, logs a day's output in a lot, and uploads that lot's batch test; at the desk, the buyer sees the progress
on the order page and the lot, with its lab result, on the lot-over-lot consistency page."""

import re

from django.urls import reverse
from playwright.sync_api import expect

from audits.models import BatchTest
from orders import services
from orders.models import ProductionLog, PurchaseOrder
from suppliers.models import Stage
from tests.e2e.conftest import DEFAULT_TIMEOUT_MS, login
from tests.e2e.phone import ACTIONS, LAYOUT_PROBLEMS, PHONE
from tests.factories import PDF_BYTES
from tests.orders.builders import days, line_data


def field(page, label):
    """The form control labelled `label`; crispy adds a "*" to required fields' labels."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


def test_factory_logs_production_and_a_lots_test_on_a_phone_and_the_buyer_sees_progress(
    page, browser, live_server, buyer, supplier_a, portal_a
):
    supplier_a.stage = Stage.APPROVED
    supplier_a.save(update_fields=["stage"])
    order = services.order_create(
        supplier=supplier_a,
        by=buyer,
        ordered_on=days(0),
        lines=[line_data(sku="TOTE-01", quantity=100, required_on=days(40))],
    )
    services.order_send(order=order, by=buyer)

    context = browser.new_context(base_url=live_server.url, locale="en-GB", timezone_id="UTC", viewport=PHONE)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    phone = context.new_page()
    try:
        login(phone, portal_a.email)
        phone.goto(reverse("portal:order_detail", args=[order.pk]))
        with phone.expect_navigation():
            phone.get_by_role("link", name="Start production").click()
        assert phone.evaluate(LAYOUT_PROBLEMS, ACTIONS) == []
        # A planned finish in the past is refused, and the order stays as it was.
        field(phone, "Planned finish").fill(days(-2).isoformat())
        with phone.expect_navigation():
            phone.get_by_role("button", name="Start production").click()
        expect(phone.locator("#production-start-form")).to_contain_text("cannot be in the past")
        order.refresh_from_db()
        assert order.status == PurchaseOrder.Status.SENT
        field(phone, "Planned finish").fill(days(30).isoformat())
        with phone.expect_navigation():
            phone.get_by_role("button", name="Start production").click()
        expect(phone.locator(".alert-success")).to_contain_text("Production started")

        # The day's output, in lot L-0412.
        with phone.expect_navigation():
            phone.get_by_role("link", name="Production and lots").click()
        field(phone, "Quantity produced").fill("40")
        field(phone, "Lot numbers").fill("L-0412")
        field(phone, "Issues met").fill("Handle webbing arrived a day late.")
        with phone.expect_navigation():
            phone.locator("#production-log-form").get_by_role("button", name="Save").click()
        expect(phone.locator(".alert-success")).to_contain_text("Production logged.")
        expect(phone.locator("[data-line=TOTE-01] [data-produced]")).to_have_text("40")
        expect(phone.locator("[data-lots]")).to_contain_text("L-0412")
        assert phone.evaluate(LAYOUT_PROBLEMS, ACTIONS) == []
        assert ProductionLog.objects.get().quantity == 40

        # The lot's batch test: the lab-report form opens with the order and the lot filled in.
        with phone.expect_navigation():
            phone.get_by_role("link", name="Add lab report").click()
        expect(field(phone, "Lot")).to_have_value("L-0412")
        field(phone, "Test standard").fill("EN 71-3")
        field(phone, "Laboratory").fill("SGS Shenzhen")
        field(phone, "Lab result").select_option("pass")
        field(phone, "Lab report").set_input_files(
            files=[{"name": "lab-L-0412.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}]
        )
        with phone.expect_navigation():
            phone.get_by_role("button", name="Upload").click()
        expect(phone.locator(".alert-success")).to_contain_text("Lab report uploaded")
        assert phone.evaluate(LAYOUT_PROBLEMS, ACTIONS) == []
    finally:
        context.close()
    test = BatchTest.objects.get()
    assert test.lot.number == "L-0412" and test.order == order

    # At the desk, the buyer sees the progress against the required date, then the lot with its lab result.
    login(page, buyer.email)
    page.goto(order.get_absolute_url())
    expect(page.locator("#production [data-line=TOTE-01]")).to_contain_text("40 / 100")
    expect(page.locator("#production")).to_contain_text("Handle webbing arrived a day late.")
    with page.expect_navigation():
        page.locator("#production").get_by_role("link", name="TOTE-01").click()
    expect(page.locator("[data-lot='L-0412'] [data-tests]")).to_contain_text("1 pass")
