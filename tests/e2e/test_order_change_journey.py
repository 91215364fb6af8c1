"""A buyer changes a sent order's date in the browser; the factory's contact, on a phone, counters with its own date
and a reason; the buyer accepts the counter, and only then does the order's line and delivery move."""

from django.urls import reverse
from playwright.sync_api import expect

from orders import services
from orders.models import OrderChange
from suppliers.models import Stage
from tests.e2e.conftest import DEFAULT_TIMEOUT_MS, login
from tests.e2e.phone import ACTIONS, LAYOUT_PROBLEMS, PHONE
from tests.orders.builders import days, line_data


def test_buyer_changes_a_date_the_factory_counters_on_a_phone_and_the_buyer_accepts(
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
    line = order.lines.get()

    # The buyer asks for the goods ten days sooner.
    login(page, buyer.email)
    page.goto(reverse("orders:line_change", args=[order.pk, line.pk]))
    page.locator("input[name=required_on]").fill(days(30).isoformat())
    page.locator("textarea[name=reason]").fill("The store opening moved forward.")
    with page.expect_navigation():
        page.get_by_role("button", name="Save").click()
    expect(page.locator(".alert-success")).to_contain_text("Change proposed to the factory")
    expect(page.locator("#changes")).to_contain_text("Waiting for an answer")
    line.refresh_from_db()
    assert line.required_on == days(40)  # nothing moves before the factory answers

    # The factory's contact answers on a phone.
    context = browser.new_context(base_url=live_server.url, locale="en-GB", timezone_id="UTC", viewport=PHONE)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    phone = context.new_page()
    try:
        login(phone, portal_a.email)
        phone.goto(reverse("portal:order_detail", args=[order.pk]))
        expect(phone.locator("#changes-to-answer")).to_contain_text("The buyer proposes 1 change")
        with phone.expect_navigation():
            phone.locator("#changes-to-answer").get_by_role("link", name="Answer").click()
        assert phone.evaluate(LAYOUT_PROBLEMS, ACTIONS) == []
        # A counter without a reason is refused, and nothing is sent.
        phone.locator("input[name=required_on]").fill(days(34).isoformat())
        with phone.expect_navigation():
            phone.get_by_role("button", name="Send my counter").click()
        expect(phone.locator("#counter-form")).to_contain_text("This field is required")
        assert OrderChange.objects.get().status == OrderChange.Status.PROPOSED
        phone.locator("input[name=required_on]").fill(days(34).isoformat())
        phone.locator("textarea[name=reason]").fill("Dyeing needs four more days.")
        with phone.expect_navigation():
            phone.get_by_role("button", name="Send my counter").click()
        expect(phone.locator(".alert-success")).to_contain_text("Your counter was sent to the buyer")
        expect(phone.locator("#changes")).to_contain_text("Countered by the factory")
        assert phone.evaluate(LAYOUT_PROBLEMS, ACTIONS) == []
    finally:
        context.close()

    # Back at the desk, the buyer sees the counter and accepts it.
    page.goto(order.get_absolute_url())
    expect(page.locator("#changes")).to_contain_text("Dyeing needs four more days.")
    with page.expect_navigation():
        page.locator("#changes").get_by_role("button", name="Accept the counter").click()
    expect(page.locator(".alert-success")).to_contain_text("The factory's counter is accepted.")
    line.refresh_from_db()
    assert line.required_on == days(34)
    assert order.deliveries.get().promised_on == days(34)
    assert OrderChange.objects.get().status == OrderChange.Status.COUNTER_ACCEPTED
