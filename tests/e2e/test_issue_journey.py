"""The issue journey as people click it: a buyer raises an issue with supplier A and sees the response clock
running; A's factory contact answers in the portal; the buyer sees the clock stopped."""

import re

from playwright.sync_api import expect

from communications.models import IssueMessage, Side, SupplierIssue
from orders.models import PurchaseOrder
from tests.e2e.conftest import DEFAULT_TIMEOUT_MS, login, watch_for_csp_violations
from tests.factories import PurchaseOrderFactory


def field(page, label):
    """The form control labelled `label`; crispy adds a "*" to required fields' labels."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


def test_buyer_raises_an_issue_and_the_factorys_reply_stops_the_clock(
    page, browser, live_server, buyer, supplier_a, supplier_b, portal_a
):
    # a. The buyer raises the issue from the Issues page.
    login(page, buyer.email)
    page.get_by_role("navigation").get_by_role("link", name="Issues", exact=True).click()
    expect(page.get_by_role("heading", name="Issues", level=1)).to_be_visible()
    expect(page.get_by_text("No issues.")).to_be_visible()
    page.get_by_role("link", name="Raise an issue").click()
    expect(page.get_by_role("heading", name="Raise an issue with a supplier", level=1)).to_be_visible()
    order = PurchaseOrderFactory(supplier=supplier_a, status=PurchaseOrder.Status.SENT)
    field(page, "Supplier").select_option(label="Alpha Factory")
    # Choosing the supplier loads its orders into the order list (only that list is replaced).
    expect(field(page, "Order").locator("option", has_text=order.number)).to_have_count(1)
    field(page, "Category").select_option(label="Quality")
    field(page, "Subject").fill("Loose threads on the tote bags")
    field(page, "Description").fill("20 of 80 samples from lot 4 have loose threads at the handle.")
    with page.expect_navigation():
        page.get_by_role("button", name="Raise issue").click()

    issue = SupplierIssue.objects.get()
    assert (issue.supplier, issue.owner, issue.raised_by_side) == (supplier_a, buyer, Side.BUYER)
    expect(page).to_have_url(re.compile(rf"/issues/{issue.pk}/$"))
    expect(page.get_by_role("alert").filter(has_text="Issue raised")).to_be_visible()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text("Loose threads on the tote bags")
    expect(heading).to_contain_text("Waiting for a reply")
    clock = page.locator("#response-clock")
    expect(clock).to_contain_text(re.compile(r"No reply yet: \d+\.\d hours and counting"))
    expect(clock).to_contain_text("target 24 h")

    # b. A's factory contact answers in the portal, in a browser of their own.
    factory = browser.new_context(base_url=live_server.url, locale="en-GB", timezone_id="Asia/Shanghai")
    factory_violations = watch_for_csp_violations(factory)
    try:
        factory.set_default_timeout(DEFAULT_TIMEOUT_MS)
        portal = factory.new_page()
        login(portal, portal_a.email)
        portal.get_by_role("navigation").get_by_role("link", name="Issues", exact=True).click()
        expect(portal.get_by_role("heading", name="Issues", level=1)).to_be_visible()
        issue_row = portal.get_by_role("row").filter(has_text="Loose threads on the tote bags")
        expect(issue_row).to_contain_text("raised by the buyer")
        expect(issue_row).to_contain_text("please reply")
        issue_row.get_by_role("link", name="Loose threads on the tote bags").click()
        expect(portal).to_have_url(re.compile(rf"/portal/issues/{issue.pk}/$"))
        expect(portal.get_by_text("20 of 80 samples from lot 4")).to_be_visible()
        field(portal, "Message").fill("We re-inspect lot 4 today and replace every faulty bag.")
        with portal.expect_navigation():
            portal.get_by_role("button", name="Send").click()
        expect(portal.get_by_role("alert").filter(has_text="Reply sent.")).to_be_visible()
        expect(portal.get_by_role("heading", level=1)).to_contain_text("Answered")
        expect(portal.get_by_text(re.compile(r"first reply after \d+\.\d h"))).to_be_visible()
        expect(portal.get_by_text("We re-inspect lot 4 today")).to_be_visible()
    finally:
        factory.close()
    assert not factory_violations

    message = IssueMessage.objects.get()
    issue.refresh_from_db()
    assert (message.side, message.logged_by) == (Side.SUPPLIER, portal_a)
    assert issue.first_response_at == message.sent_at

    # c. The buyer reloads the issue: the clock has stopped at the reply.
    page.reload()
    expect(page.locator("#response-clock")).to_contain_text(re.compile(r"Response time: \d+\.\d hours"))
    expect(page.locator("#response-clock")).not_to_contain_text("No reply yet")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Answered")
    expect(page.get_by_text("We re-inspect lot 4 today")).to_be_visible()

    # d. The list agrees, with no breach badge.
    page.get_by_role("navigation").get_by_role("link", name="Issues", exact=True).click()
    listed = page.get_by_role("row").filter(has_text="Loose threads on the tote bags")
    expect(listed).to_contain_text(re.compile(r"answered in \d+\.\d h"))
    expect(listed).to_contain_text("Answered")
    expect(listed.get_by_text("> 24 h")).to_have_count(0)


def test_with_many_suppliers_the_buyer_finds_the_supplier_by_name(
    page, live_server, buyer, supplier_a, supplier_b, monkeypatch
):
    """Beyond SUPPLIER_SELECT_LIMIT suppliers the drop-down is filled by a search box (one here, 100 in use)."""
    import suppliers.selectors

    monkeypatch.setattr(suppliers.selectors, "SUPPLIER_SELECT_LIMIT", 1)
    order = PurchaseOrderFactory(supplier=supplier_a, status=PurchaseOrder.Status.SENT)
    login(page, buyer.email)
    page.goto(f"{live_server.url}/communications/issues/new/")
    expect(field(page, "Supplier").locator("option")).to_have_count(1)
    page.get_by_label("Find a supplier").fill("Alph")
    expect(field(page, "Supplier").locator("option", has_text="Alpha Factory")).to_have_count(1)
    field(page, "Supplier").select_option(label="Alpha Factory")
    expect(field(page, "Order").locator("option", has_text=order.number)).to_have_count(1)
    field(page, "Category").select_option(label="Quality")
    field(page, "Subject").fill("Carton labels missing")
    field(page, "Description").fill("3 of 40 cartons have no label.")
    with page.expect_navigation():
        page.get_by_role("button", name="Raise issue").click()
    assert SupplierIssue.objects.get().supplier == supplier_a
