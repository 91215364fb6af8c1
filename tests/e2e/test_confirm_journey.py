"""Irreversible actions ask first in the browser: the dialog comes from a static script (no inline JavaScript under
the Content-Security-Policy); dismissing it sends nothing, accepting it proposes the cancellation to the factory."""

import re

from playwright.sync_api import expect

from orders.models import PurchaseOrder
from tests.e2e.conftest import login
from tests.factories import PurchaseOrderFactory


def test_cancelling_an_order_asks_first_and_dismissing_keeps_it(page, buyer, supplier_a):
    order = PurchaseOrderFactory(supplier=supplier_a, buyer=buyer, status=PurchaseOrder.Status.SENT)
    login(page, buyer.email)
    page.goto(order.get_absolute_url())
    page.get_by_role("button", name="Cancel order").click()
    # Bootstrap's collapse is "collapsing" while it opens; click only once it is fully shown.
    expect(page.locator("#cancel-form")).to_have_class(re.compile(r"\bshow\b"))
    page.locator("#cancel-form textarea[name='reason']").fill("Customer dropped the range.")
    questions = []

    def dismiss(dialog):
        questions.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    with page.expect_event("dialog"):
        page.get_by_role("button", name="Cancel the order").click()
    expect(page.locator("#cancel-form")).to_be_visible()
    assert questions and questions[0].startswith("Cancel this order?")
    order.refresh_from_db()
    assert order.status == PurchaseOrder.Status.SENT

    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.get_by_role("button", name="Cancel the order").click()
    order.refresh_from_db()
    # A sent order is cancelled only when the factory agrees: the cancellation waits for its answer.
    assert order.status == PurchaseOrder.Status.SENT
    assert order.changes.filter(kind="cancellation", status="proposed").exists()
