"""The factory's contact, on a phone, contests a late delivery behind its on-time figure; a manager finds the contest
on the home page and accepts it; the scorecard then shows the delivery excused, apart, and the factory the decision."""

from datetime import timedelta

from django.urls import reverse
from playwright.sync_api import expect

from core.clock import business_today
from orders.models import Delivery, PurchaseOrder
from scorecards.contests.models import RowContest
from suppliers.models import Stage
from tests.e2e.conftest import DEFAULT_TIMEOUT_MS, login
from tests.e2e.phone import ACTIONS, LAYOUT_PROBLEMS, PHONE
from tests.factories import DeliveryFactory, PurchaseOrderFactory


def test_a_factory_contests_a_late_delivery_a_manager_accepts_and_the_scorecard_shows_it_excused(
    page, browser, live_server, manager, supplier_a, portal_a
):
    supplier_a.stage = Stage.APPROVED
    supplier_a.save(update_fields=["stage"])
    order = PurchaseOrderFactory(
        supplier=supplier_a, number="PO-LATE-1", status=PurchaseOrder.Status.ACKNOWLEDGED
    )
    promised = business_today() - timedelta(days=12)
    late = DeliveryFactory(
        order=order,
        promised_on=promised,
        received_on=promised + timedelta(days=3),
        status=Delivery.Status.RECEIVED,
        quantity_received=100,
    )

    # The factory's contact contests the late delivery on a phone.
    context = browser.new_context(base_url=live_server.url, locale="en-GB", timezone_id="UTC", viewport=PHONE)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    phone = context.new_page()
    try:
        login(phone, portal_a.email)
        phone.goto(reverse("portal:scorecard_behind", args=["on_time_delivery"]))
        assert phone.evaluate(LAYOUT_PROBLEMS, ACTIONS) == []
        with phone.expect_navigation():
            phone.locator("#rows-behind").get_by_role("link", name="Contest").click()
        assert phone.evaluate(LAYOUT_PROBLEMS, ACTIONS) == []
        # Without a reason nothing is sent.
        with phone.expect_navigation():
            phone.get_by_role("button", name="Send the contest").click()
        expect(phone.locator("#contest-form")).to_contain_text("This field is required")
        assert not RowContest.objects.exists()
        phone.locator("textarea[name=reason]").fill(
            "Your forwarder collected two days after the goods were ready."
        )
        with phone.expect_navigation():
            phone.get_by_role("button", name="Send the contest").click()
        expect(phone.locator(".alert-success")).to_contain_text("Our team will look at your contest")
        expect(phone.locator("#contest-status")).to_contain_text("Waiting for a decision")
        assert phone.evaluate(LAYOUT_PROBLEMS, ACTIONS) == []
        phone.goto(reverse("portal:scorecard_behind", args=["on_time_delivery"]))
        expect(phone.locator("#rows-behind .contest-mark")).to_contain_text("contested")
    finally:
        context.close()

    # The manager finds it on the home page and accepts it.
    login(page, manager.email)
    page.goto("/")
    expect(page.locator("#waiting")).to_contain_text("Contests to decide")
    page.goto(reverse("scorecards:deliveries", args=[supplier_a.pk]))
    expect(page.locator("#deliveries-behind .contest-mark")).to_contain_text("contested")
    with page.expect_navigation():
        page.locator("#deliveries-behind .contest-mark").click()
    expect(page.locator("#contest-reason")).to_contain_text("Your forwarder collected")
    page.locator("#decide input[name=decision][value=accept]").check()
    page.locator("#decide textarea[name=note]").fill("The forwarder's booking confirms it.")
    with page.expect_navigation():
        page.get_by_role("button", name="Record decision").click()
    expect(page.locator(".alert-success")).to_contain_text("Decision recorded")
    expect(page.locator("#contest-status")).to_contain_text("Accepted")

    # The scorecard shows the delivery excused, apart, with why.
    page.goto(reverse("scorecards:deliveries", args=[supplier_a.pk]))
    expect(page.locator("#deliveries-excused")).to_contain_text("PO-LATE-1")
    expect(page.locator("#deliveries-excused")).to_contain_text("The forwarder's booking confirms it.")
    expect(page.locator("#deliveries-behind")).not_to_contain_text("PO-LATE-1")
    late.refresh_from_db()
    assert late.excused_by == manager
