"""The main staff and portal pages under the Content-Security-Policy, in a real browser: everything still works
(menus, htmx, charts, the email preview's styles, Swagger UI, the browsable API, the admin) and the browser
reports no violation (the `page` fixture fails a test on any)."""

import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from accounts.roles import Role
from orders.models import Delivery
from suppliers import triggers
from suppliers.models import Stage
from tests.e2e.conftest import login
from tests.factories import (
    DeliveryFactory,
    PortalUserFactory,
    PurchaseOrderFactory,
    SupplierFactory,
    UserFactory,
)


def supplier_with_history(name, *, owner):
    """An approved supplier with a quarter of received deliveries (so its scorecard draws charts)."""
    supplier = SupplierFactory(name=name, owner=owner, stage=Stage.APPROVED)
    order = PurchaseOrderFactory(supplier=supplier, number="PO-CSP-1")
    today = timezone.localdate()
    with triggers.muted():
        for n in range(8):
            promised = today - timedelta(days=7 * n + 3)
            DeliveryFactory(
                order=order,
                promised_on=promised,
                received_on=promised + timedelta(days=n % 3),
                status=Delivery.Status.RECEIVED,
                quantity_received=100,
            )
    return supplier


def open_url(page, path):
    response = page.goto(path)
    assert response.ok, (path, response.status)
    return response


def menu(page, *names):
    """Open a top-bar menu (a Bootstrap dropdown: needs its script) and follow an item."""
    navigation = page.get_by_role("navigation")
    for name in names[:-1]:
        navigation.get_by_role("button", name=name, exact=True).click()
    with page.expect_navigation():
        navigation.get_by_role("link", name=names[-1], exact=True).click()


def test_csp_violations_reach_the_page_fixture(page, buyer):
    """The watch that fails every journey on a violation sees one (so its silence means something)."""
    login(page, buyer.email)
    page.evaluate("document.body.setAttribute('style', 'outline: 1px solid red')")
    page.wait_for_timeout(300)
    assert any("style-src" in v for v in page.csp_violations), page.csp_violations
    page.csp_violations.clear()


def test_main_staff_pages_run_under_the_policy(page):
    manager = UserFactory(role=Role.MANAGER, full_name="Mona Manager", is_staff=True, is_superuser=True)
    supplier = supplier_with_history("Kestrel Textiles", owner=manager)

    login(page, manager.email)
    response = open_url(page, "/")
    policy = response.headers["content-security-policy"]
    assert "'nonce-" in policy and "unsafe-inline" not in policy
    assert "camera=()" in response.headers["permissions-policy"]
    assert response.headers["cache-control"] == "no-store"

    # Bootstrap's dropdowns and htmx's live filter need their scripts.
    menu(page, "Quality", "QC inspections")
    expect(page.get_by_role("heading", level=1)).to_contain_text("inspections")
    menu(page, "Suppliers")
    page.get_by_role("main").get_by_label("Search").fill("Kestrel")
    expect(page.locator("#supplier-table")).to_contain_text("Kestrel Textiles")
    expect(page).to_have_url(re.compile(r"q=Kestrel"))

    # Server-drawn SVG charts, styled by class.
    open_url(page, f"/scorecards/suppliers/{supplier.pk}/")
    chart = page.locator("svg.kpi-chart").first
    expect(chart).to_be_visible()
    assert chart.evaluate("svg => getComputedStyle(svg).maxWidth") == "560px"
    for path in (
        "/scorecards/",
        "/scorecards/red-flags/",
        "/orders/",
        "/payments/",
        "/quality/audits/",
    ):
        open_url(page, path)
    # htmx fetches the inspection form's sampling plan as the page loads.
    with page.expect_response(re.compile(r"/quality/sampling-plan/")) as plan:
        open_url(page, "/quality/inspections/new/")
    assert plan.value.ok

    # The email preview keeps its own inline styles (allowed by hash on that page alone), in its sandbox.
    open_url(page, "/scorecards/digest/preview/")
    email = page.frame_locator("#digest-html")
    expect(email.get_by_text("Weekly supplier scorecard")).to_be_visible()
    heading_size = email.locator("h1").evaluate("h1 => getComputedStyle(h1).fontSize")
    assert heading_size == "20px"  # from the email's style="...": applied, not refused

    # Swagger UI starts from its script file and draws the operations.
    open_url(page, "/api/v1/docs/")
    expect(page.locator(".opblock").first).to_be_visible()
    # The browsable API, with its filters dialog (jQuery and Bootstrap 3 from DRF).
    open_url(page, "/api/v1/suppliers/?format=api")
    expect(page.get_by_role("heading", name="Supplier List")).to_be_visible()
    filters = page.get_by_role("button", name="Filters")
    assert filters.evaluate("b => getComputedStyle(b).float") == "right"
    filters.click()
    expect(page.locator("#filtersModal")).to_be_visible()

    # The admin, and a supplier's history there.
    open_url(page, "/admin/")
    open_url(page, f"/admin/suppliers/supplier/{supplier.pk}/change/")
    open_url(page, f"/admin/suppliers/supplier/{supplier.pk}/history/")


def test_main_portal_pages_run_under_the_policy(page):
    supplier = supplier_with_history("Hanoi Stitchworks", owner=UserFactory(role=Role.PROCUREMENT))
    contact = PortalUserFactory(supplier=supplier, full_name="Nguyen Thi Lan")

    login(page, contact.email)
    expect(page.locator("nav.navbar-portal")).to_have_css("background-color", "rgb(18, 53, 91)")
    for names in (
        ("Scorecard",),
        ("Orders",),
        ("Invoices", "Invoices"),
        ("Invoices", "Payment terms"),
        ("Check-ins",),
        ("Issues",),
        ("Quality", "Inspection reports"),
        ("Quality", "Lab reports"),
        ("Quality", "Audits"),
        ("Quality", "Corrective actions"),
        ("Contacts",),
        ("Certificates",),
    ):
        menu(page, *names)
    # The browsable API is for staff: a factory contact asking for it gets the JSON answer.
    open_url(page, "/api/v1/orders/?format=api")
    expect(page.get_by_role("heading", name="Order List")).to_have_count(0)
    expect(page.locator("body")).to_contain_text('"results"')
