"""A buyer publishes a demand forecast in the browser; the factory's contact, on a phone, commits capacity for one
month and reports a shortfall with a reason for the next; the buyer sees both answers beside the forecast."""

from django.urls import reverse
from playwright.sync_api import expect

from core.clock import business_today
from core.dates import add_months
from planning.models import CapacityAnswer, Forecast
from planning.months import month_start
from tests.e2e.conftest import DEFAULT_TIMEOUT_MS, login
from tests.e2e.phone import ACTIONS, LAYOUT_PROBLEMS, PHONE


def test_buyer_publishes_a_forecast_and_the_factory_commits_capacity_on_a_phone(
    page, browser, live_server, buyer, supplier_a, portal_a
):
    first = add_months(month_start(business_today()), 2)
    second = add_months(first, 1)
    first_key, second_key = f"{first:%Y-%m}", f"{second:%Y-%m}"

    # The buyer publishes two months of outlook for one SKU.
    login(page, buyer.email)
    page.goto(reverse("planning:forecast_publish", args=[supplier_a.pk]))
    for row, (month, quantity) in enumerate(((first_key, "4000"), (second_key, "6000"))):
        page.locator(f"select[name=lines-{row}-month]").select_option(month)
        page.locator(f"input[name=lines-{row}-sku]").fill("TOTE-01")
        page.locator(f"input[name=lines-{row}-quantity]").fill(quantity)
        page.locator(f"select[name=lines-{row}-confidence]").select_option("firm")
    with page.expect_navigation():
        page.get_by_role("button", name="Publish").click()
    expect(page.locator(".alert-success")).to_contain_text("Forecast published")
    expect(page.locator("#forecast-months")).to_contain_text("not answered yet")
    forecast = Forecast.objects.get()
    assert forecast.version == 1 and forecast.lines.count() == 2

    # The factory's contact answers on a phone.
    context = browser.new_context(base_url=live_server.url, locale="en-GB", timezone_id="UTC", viewport=PHONE)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    phone = context.new_page()
    try:
        login(phone, portal_a.email)
        phone.goto(reverse("portal:forecasts"))
        with phone.expect_navigation():
            phone.locator("#forecasts a").first.click()
        assert phone.evaluate(LAYOUT_PROBLEMS, ACTIONS) == []
        month_one = phone.locator(f"#month-{first_key}")
        expect(month_one).to_contain_text("4000")
        with phone.expect_navigation():
            month_one.get_by_role("button", name="Send my answer").click()
        expect(phone.locator(".alert-success")).to_contain_text("your answer was sent to the buyer")
        # A shortfall without a reason is refused; with one it goes to the buyer.
        month_two = phone.locator(f"#month-{second_key}")
        month_two.get_by_label("Shortfall", exact=True).check()
        month_two.locator("input[name=committed_quantity]").fill("4500")
        with phone.expect_navigation():
            month_two.get_by_role("button", name="Send my answer").click()
        expect(phone.locator(f"#month-{second_key}")).to_contain_text("Say why the factory cannot make")
        assert CapacityAnswer.objects.count() == 1
        month_two = phone.locator(f"#month-{second_key}")
        month_two.get_by_label("Shortfall", exact=True).check()
        month_two.locator("input[name=committed_quantity]").fill("4500")
        month_two.locator("textarea[name=reason]").fill("Second moulding line under repair.")
        with phone.expect_navigation():
            month_two.get_by_role("button", name="Send my answer").click()
        expect(phone.locator(".alert-success")).to_contain_text("your answer was sent to the buyer")
        assert phone.evaluate(LAYOUT_PROBLEMS, ACTIONS) == []
    finally:
        context.close()

    # The buyer sees both answers beside the forecast.
    page.goto(forecast.get_absolute_url())
    expect(page.locator("#forecast-months")).to_contain_text("Capacity committed")
    expect(page.locator("#forecast-months")).to_contain_text("Second moulding line under repair.")
    assert sorted(CapacityAnswer.objects.values_list("status", flat=True)) == ["committed", "shortfall"]
