"""The factory's contact, on a phone, asks for a price increase with a cost breakdown; the buyer counters with a
lower price; the factory accepts the counter, and the agreement's history shows the new version from its date."""

from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from pricing import services
from pricing.models import PriceAgreement, PriceChangeRequest
from suppliers.models import Stage
from tests.e2e.conftest import DEFAULT_TIMEOUT_MS, login, watch_for_csp_violations
from tests.e2e.phone import ACTIONS, LAYOUT_PROBLEMS, PHONE, layout_problems
from tests.pricing.builders import agree, days


def test_the_factory_asks_for_a_price_increase_the_buyer_counters_and_the_factory_accepts(
    page, browser, live_server, buyer, supplier_a, portal_a
):
    supplier_a.stage = Stage.APPROVED
    supplier_a.save(update_fields=["stage"])
    tote = agree(supplier_a, by=buyer, sku="TOTE-01", price="3.40")

    # The factory's contact asks on a phone, with its cost breakdown.
    context = browser.new_context(base_url=live_server.url, locale="en-GB", timezone_id="UTC", viewport=PHONE)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    phone = context.new_page()
    try:
        login(phone, portal_a.email)
        phone.goto(reverse("portal:prices"))
        expect(phone.locator("#agreements")).to_contain_text("TOTE-01")
        with phone.expect_navigation():
            phone.get_by_role("link", name="Ask for a price change").click()
        assert phone.evaluate(LAYOUT_PROBLEMS, ACTIONS) == []
        phone.locator(f"input[name=price_{tote.pk}]").fill("3.80")
        phone.locator("input[name=effective_on]").fill(days(30).isoformat())
        phone.locator("select[name=reason_category]").select_option("material")
        phone.locator("textarea[name=explanation]").fill("Cotton canvas is up 12 % since the spring.")
        phone.locator("input[name=index_reference]").fill("Cotlook A index, May average")
        for name, value in (
            ("material", "2.10"),
            ("labour", "0.80"),
            ("overhead", "0.40"),
            ("margin", "0.50"),
        ):
            phone.locator(f"input[name={name}]").fill(value)
        with phone.expect_navigation():
            phone.get_by_role("button", name="Send the request").click()
        expect(phone.locator(".alert-success")).to_contain_text("Your request was sent to the buyer")
        expect(phone.locator("#change-status")).to_contain_text("Waiting for the buyer")
        assert phone.evaluate(LAYOUT_PROBLEMS, ACTIONS) == []
        change = PriceChangeRequest.objects.get()

        # The buyer reads the evidence and counters with 3.60 from a later date.
        login(page, buyer.email)
        page.goto(reverse("pricing:change_detail", args=[change.pk]))
        expect(page.locator("#cost-breakdown")).to_contain_text("3.8")
        item = change.items.get()
        page.locator(f"input[name=price_{item.pk}]").fill("3.60")
        page.locator("#counter-form input[name=effective_on]").fill(days(45).isoformat())
        page.locator("#counter-form textarea[name=note]").fill("Meet halfway: the index fell back in June.")
        with page.expect_navigation():
            page.get_by_role("button", name="Send the counter").click()
        expect(page.locator(".alert-success")).to_contain_text("Your counter was sent to the factory")
        assert PriceAgreement.objects.count() == 1  # nothing changes before the factory answers

        # The factory accepts the counter on its phone.
        phone.goto(reverse("portal:price_change_detail", args=[change.pk]))
        expect(phone.locator("#change-items")).to_contain_text("3.6")
        with phone.expect_navigation():
            phone.get_by_role("button", name="Accept the counter").click()
        expect(phone.locator(".alert-success")).to_contain_text("the countered prices apply")
        assert phone.evaluate(LAYOUT_PROBLEMS, ACTIONS) == []
    finally:
        context.close()

    # The agreement's history shows the new version from the countered date.
    page.goto(reverse("pricing:agreement_detail", args=[tote.pk]))
    expect(page.locator("#version-2")).to_contain_text("3.6 USD")
    expect(page.locator("#version-2")).to_contain_text(days(45).isoformat())
    expect(page.locator("#version-1")).to_contain_text(days(44).isoformat())


@pytest.mark.parametrize("language", ["vi", "zh-hans"])
def test_the_portal_price_pages_fit_a_phone_in_the_factorys_language(
    browser, live_server, buyer, supplier_a, portal_a, language
):
    supplier_a.stage = Stage.APPROVED
    supplier_a.save(update_fields=["stage"])
    portal_a.language = language
    portal_a.save(update_fields=["language"])
    tote = agree(supplier_a, by=buyer, sku="TOTE-01", price="3.40")
    change = services.price_change_request(
        by=portal_a,
        items=[{"agreement": tote, "new_price": Decimal("3.80")}],
        effective_on=days(30),
        reason_category="energy",
        explanation="Power tariffs rose.",
        breakdown={"material": Decimal("2.10"), "labour": Decimal("0.80")},
    )
    services.price_change_counter(
        change=change, by=buyer, prices={change.items.get().pk: Decimal("3.60")}, note="Halfway"
    )
    breakdown = services.cost_breakdown_request(supplier=supplier_a, by=buyer, sku="TOTE-01")
    context = browser.new_context(
        base_url=live_server.url,
        locale="en-GB",
        timezone_id="UTC",
        viewport=PHONE,
        is_mobile=True,
        has_touch=True,
    )
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    violations = watch_for_csp_violations(context)
    phone = context.new_page()
    try:
        login(phone, portal_a.email)
        problems = {}
        for url in (
            reverse("portal:prices"),
            reverse("portal:price_change_request"),
            reverse("portal:price_change_detail", args=[change.pk]),
            reverse("portal:cost_breakdown_answer", args=[breakdown.pk]),
        ):
            assert phone.goto(url).status == 200, url
            if found := layout_problems(phone):
                problems[url] = found
        assert not problems, problems
    finally:
        context.close()
    assert not violations, violations
