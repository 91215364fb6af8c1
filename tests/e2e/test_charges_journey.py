"""Hidden charges in the browser: the buyer agrees a tooling charge on an order; the factory, on a 390 px phone,
submits an invoice with that tooling and an unagreed freight surcharge; the invoice is held as a hidden cost, and
the buyer settles the discrepancy from the invoice's page."""

from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from payments.models import Invoice, InvoiceDiscrepancy
from scorecards import alerts
from scorecards.models import RedFlag
from tests.e2e.conftest import DEFAULT_TIMEOUT_MS, login, watch_for_csp_violations
from tests.e2e.phone import PHONE, layout_problems
from tests.payments.builders import make_order, receive


@pytest.fixture
def phone(browser, live_server, transactional_db):
    """A phone-sized touch browser (390×844) on the live server."""
    context = browser.new_context(
        base_url=live_server.url,
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
        locale="en-GB",
        timezone_id="UTC",
    )
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    violations = watch_for_csp_violations(context)
    page = context.new_page()
    yield page
    context.close()
    assert not violations, violations


def test_an_unagreed_freight_surcharge_is_held_and_settled(page, phone, buyer, supplier_a, portal_a):
    supplier_a.stage = "approved"
    supplier_a.save(update_fields=["stage"])
    order = make_order(supplier_a, by=buyer, lines=[(100, "3.40")])
    receive(order, by=buyer, quantities=[100])

    # The buyer agrees a tooling charge on the order's page.
    login(page, buyer.email)
    page.goto(order.get_absolute_url())
    page.get_by_label("Kind").select_option("tooling")
    page.get_by_label("Agreed up to").fill("800")
    page.get_by_label("Note").fill("Mould for the new lid")
    with page.expect_navigation():
        page.get_by_role("button", name="Agree this charge").click()
    expect(page.locator("#charges")).to_contain_text("Mould for the new lid")

    # The factory, on its phone, bills the tooling and a freight surcharge nobody agreed.
    login(phone, portal_a.email)
    phone.goto(reverse("portal:invoice_submit", args=[order.pk]))
    expect(phone.locator("#agreed-charges")).to_contain_text("Tooling ≤ 800.00 USD")
    assert not layout_problems(phone)
    phone.locator("input[name='number']").fill("NB-2026-17")
    phone.locator("input[name='form-0-quantity']").fill("100")
    phone.locator("input[name='document']").set_input_files(
        files=[{"name": "invoice.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}]
    )
    rows = phone.locator(".charge-row")
    rows.nth(0).locator("select").select_option("tooling")
    rows.nth(0).locator("input[name$='amount']").fill("800")
    rows.nth(0).locator("input[name$='reason']").fill("Mould for the new lid")
    rows.nth(1).locator("select").select_option("freight")
    rows.nth(1).locator("input[name$='amount']").fill("420")
    rows.nth(1).locator("input[name$='reason']").fill("Peak-season freight surcharge")
    with phone.expect_navigation():
        phone.get_by_role("button", name="Submit the invoice").click()
    expect(phone.locator(".alert-warning")).to_contain_text("on hold")
    expect(phone.locator("body")).to_contain_text("Extra charge not agreed on the order")
    assert not layout_problems(phone)

    invoice = Invoice.objects.get()
    assert invoice.amount == Decimal("1560.00") and invoice.status == Invoice.Status.DISPUTED
    discrepancy = InvoiceDiscrepancy.objects.get()
    assert (discrepancy.kind, discrepancy.charge.kind) == ("charge", "freight")
    alerts.flags_evaluate(today=invoice.invoice_date, now=invoice.submitted_at)
    assert RedFlag.objects.filter(rule=RedFlag.Rule.HIDDEN_COST, discrepancy=discrepancy).exists()

    # The buyer settles it from the invoice's page; the invoice can then be approved.
    page.goto(invoice.get_absolute_url())
    expect(page.locator(f"#discrepancy-{discrepancy.pk}")).to_contain_text("charged 420.00 USD")
    page.locator(f"#note-{discrepancy.pk}").fill("Surcharge accepted once, by email of 3 May")
    with page.expect_navigation():
        page.get_by_role("button", name="Resolve").click()
    expect(page.get_by_role("button", name="Approve for payment")).to_be_visible()


def pdf_bytes() -> bytes:
    from tests.factories import PDF_BYTES

    return PDF_BYTES
