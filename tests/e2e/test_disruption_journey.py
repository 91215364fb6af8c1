"""Issue 17's journey (c): a typhoon closes Shenzhen's ports; a manager declares it as a disruption, excuses the
delivery it made late, and the scorecard, on both sides, counts that delivery apart instead of against on-time."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from accounts.roles import Role
from orders.models import Delivery, Disruption
from suppliers import triggers
from suppliers.models import Stage
from tests.e2e.conftest import DEFAULT_TIMEOUT_MS, login
from tests.e2e.phone import ACTIONS, LAYOUT_PROBLEMS, PHONE
from tests.factories import DeliveryFactory, PurchaseOrderFactory, UserFactory


def click_and_wait(page, role, name, **kwargs):
    with page.expect_navigation():
        page.get_by_role(role, name=name, **kwargs).click()


def test_a_typhoon_is_declared_the_late_delivery_excused_and_both_scorecards_count_it_apart(
    page, browser, live_server, supplier_a, portal_a
):
    manager = UserFactory(role=Role.MANAGER, full_name="Mona Manager")
    supplier_a.stage = Stage.APPROVED
    supplier_a.save(update_fields=["stage"])
    today = timezone.localdate()
    with triggers.muted():
        order = PurchaseOrderFactory(supplier=supplier_a, number="PO-KOINU-1")
        for n in range(5):  # five on time, weeks before the typhoon
            promised = today - timedelta(days=30 + 7 * n)
            DeliveryFactory(
                order=order,
                promised_on=promised,
                received_on=promised,
                status=Delivery.Status.RECEIVED,
                quantity_received=100,
            )
        late = DeliveryFactory(  # promised while the ports were shut, received five days late
            order=order,
            promised_on=today - timedelta(days=8),
            received_on=today - timedelta(days=3),
            status=Delivery.Status.RECEIVED,
            quantity_received=100,
        )

    # Before: the late delivery counts against on-time delivery.
    login(page, manager.email)
    page.goto(reverse("scorecards:supplier", args=[supplier_a.pk]))
    expect(page.get_by_text("5/6 · target 95")).to_be_visible()

    # The manager declares the typhoon; declaring without a supplier is refused and creates nothing.
    page.goto(reverse("orders:disruption_create"))
    page.locator("input[name=title]").fill("Typhoon Koinu")
    page.locator("select[name=cause]").select_option(label="Weather or natural event")
    page.locator("input[name=region]").fill("Shenzhen ports (Yantian, Shekou)")
    page.locator("input[name=starts_on]").fill((today - timedelta(days=10)).isoformat())
    page.locator("input[name=ends_on]").fill((today - timedelta(days=6)).isoformat())
    click_and_wait(page, "button", "Declare", exact=True)
    expect(page.locator(".invalid-feedback, .alert-danger").first).to_be_visible()
    assert not Disruption.objects.exists()
    page.locator("select[name=suppliers]").select_option(label=supplier_a.name)
    click_and_wait(page, "button", "Declare", exact=True)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Typhoon Koinu")

    # Its page lists the supplier's deliveries in the window; only the late one can be excused.
    row = page.locator(f"#delivery-{late.pk}")
    expect(row).to_contain_text("PO-KOINU-1")
    row.get_by_label("Why is it excused?").fill("Yantian closed for four days by Typhoon Koinu")
    with page.expect_navigation():
        row.get_by_role("button", name="Excuse").click()
    expect(page.locator(".alert-success")).to_contain_text("is excused")
    expect(row).to_contain_text("excused")
    late.refresh_from_db()
    assert late.excused_by == manager and late.excuse_disruption.title == "Typhoon Koinu"

    # The scorecard: the delivery no longer counts against on-time, and the rows behind show it apart, with why.
    page.goto(reverse("scorecards:supplier", args=[supplier_a.pk]))
    expect(page.get_by_text("5/5 · target 95")).to_be_visible()
    page.goto(reverse("scorecards:behind", args=[supplier_a.pk, "on_time_delivery"]))
    expect(page.locator("#deliveries-behind tbody tr")).to_have_count(5)
    excused = page.locator("#deliveries-excused tbody tr")
    expect(excused).to_have_count(1)
    expect(excused).to_contain_text("Typhoon Koinu")
    expect(excused).to_contain_text("Yantian closed for four days")

    # The factory sees the same on a phone.
    context = browser.new_context(base_url=live_server.url, locale="en-GB", timezone_id="UTC", viewport=PHONE)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    phone = context.new_page()
    try:
        login(phone, portal_a.email)
        phone.goto(reverse("portal:scorecard_behind", args=["on_time_delivery"]))
        expect(phone.locator("#rows-behind tbody tr")).to_have_count(5)
        expect(phone.locator("#deliveries-excused tbody tr")).to_contain_text("Typhoon Koinu")
        assert phone.evaluate(LAYOUT_PROBLEMS, ACTIONS) == []
    finally:
        context.close()
